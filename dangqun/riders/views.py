"""Riders' pages: the map and list of stations with the reach search, a station's page, and
the riders' programme (register, trainings, volunteer team, the riders' center)."""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.activities import selectors as activities
from dangqun.core import geo, hours
from dangqun.core.errors import DomainError, NotFound
from dangqun.core.forms import call_for_form
from dangqun.places import selectors as places
from dangqun.volunteers import selectors as volunteers

from . import presenters, search, selectors, services, travel
from .forms import ReachForm, RiderForm

RIDERS_CENTER_SLUG = "cangqian-new-employment"


def geo_system(request) -> str:
    """The coordinate system the visitor asked for (?coord=); unknown falls back to WGS-84
    on pages (the API refuses it)."""
    try:
        return geo.parse_system(request.GET.get("coord"))
    except geo.ValidationFailed:
        return geo.WGS84


def station_detail_context(request, station) -> dict:
    """The station page's context, with the keys other capabilities registered (charging:
    its rooms with live slots)."""
    coord = geo_system(request)
    shown_lat, shown_lng = presenters.shown(station.latitude, station.longitude, coord)
    return {
        "station": station,
        "is_open": station.is_open_at(),
        "week": hours.week_rows(station.opening_hours),
        "amap_url": geo.amap_marker_url(station.latitude, station.longitude, station.name),
        "coord": coord,
        "coord_label": geo.SYSTEMS[coord],
        "shown_lat": shown_lat,
        "shown_lng": shown_lng,
        **selectors.page_extras(station),
    }


def station_detail(request, pk):
    try:
        station = selectors.public_station(pk=pk)
    except NotFound:
        raise Http404 from None
    return render(request, "riders/station_detail.html", station_detail_context(request, station))


def _card(station, system, hit=None) -> dict:
    lat, lng = presenters.shown(station.latitude, station.longitude, system)
    open_now = station.is_open_at()
    return {
        "station": station,
        "open_now": open_now,
        "minutes": None if hit is None else max(1, round(hit.seconds / 60)),
        "distance_km": None if hit is None else round(hit.distance_m / 1000, 1),
        # The map gets GPS (WGS-84) and shifts it onto its tiles; the list shows the chosen
        # system.
        "map": {
            "id": station.pk,
            "name": station.name,
            "lat": float(station.latitude),
            "lng": float(station.longitude),
            "open": open_now,
            "status": _("Open now") if open_now else _("Closed now"),
            "url": reverse("riders:station_detail", args=[station.pk]),
        },
        "lat": lat,
        "lng": lng,
    }


def _add_extras(cards: list[dict]) -> None:
    """What other capabilities registered for the map's cards (the charging room: free and
    total slots, None without a room), read for all cards at once."""
    extras = selectors.card_extras(c["station"].pk for c in cards)
    for card in cards:
        for key, values in extras.items():
            card[key] = values.get(card["station"].pk)


def station_map(request):
    """Without a point: every station in service. With one: those within N minutes,
    fastest first. Works without JavaScript; the map is drawn over the same data."""
    form = ReachForm(request.GET or None, initial={"minutes": "10", "mode": travel.EBIKE})
    system = geo_system(request)
    context = {"form": form, "searched": False, "circle": None, "origin": None}
    cards = None
    if request.GET.get("lat") or request.GET.get("lng"):
        if not form.is_valid():
            form.add_error(None, _("Check the search."))
            query = None
        else:
            data = form.cleaned_data
            query = call_for_form(
                form,
                search.make_query,
                lat=data["lat"],
                lng=data["lng"],
                minutes=data["minutes"] or "10",
                mode=data["mode"] or travel.EBIKE,
                amenities=data["amenities"],
                open_now=data["open_now"],
                coord=data["coord"] or geo.WGS84,
            ).value
        if query is not None:
            pairs, engine_name = presenters.reach_results(query)
            cards = [_card(station, system, hit) for station, hit in pairs]
            engine = travel.engine()
            context.update(
                searched=True,
                query=query,
                engine=engine_name,
                origin={"lat": query.lat, "lng": query.lng},
                circle=engine.max_radius_m(query.mode, query.seconds),
                nearest=None if cards else presenters.nearest_shown(query),
            )
    if cards is None:
        stations = selectors.public_stations()
        if form.is_bound and form.is_valid() and form.cleaned_data["amenities"]:
            stations = selectors.stations_with_amenities(stations, form.cleaned_data["amenities"])
        cards = [_card(station, system) for station in stations]
        if form.is_bound and form.is_valid() and form.cleaned_data["open_now"]:
            cards = [c for c in cards if c["open_now"]]
    _add_extras(cards)
    context.update(
        cards=cards,
        map_points=[c["map"] for c in cards],
        coord=system,
        coord_label=geo.SYSTEMS[system],
        show_coordinates=bool(form.is_bound and (form["lat"].errors or form["lng"].errors)),
    )
    return render(request, "riders/map.html", context)


# --- the riders' programme ----------------------------------------------------------------


def _home_context(request, form: RiderForm) -> dict:
    center = places.center_by_slug(RIDERS_CENTER_SLUG)
    signed_in = request.user.is_authenticated
    team = volunteers.riders_team()
    return {
        "center": center,
        "spaces": list(places.spaces_of(center)) if center else [],
        "trainings": activities.activities_public(kind="training")[:10],
        "riders_team": team,
        "team_shifts": volunteers.upcoming_shifts(team)[:3] if team else [],
        "team_size": selectors.volunteer_team_size(),
        "profile": selectors.rider_profile_or_none(request.user) if signed_in else None,
        "tag": selectors.rider_tag(request.user) if signed_in else None,
        "sections": selectors.home_sections.of(request.user),
        "form": form,
    }


def riders_home(request):
    initial = None
    if request.user.is_authenticated:
        tag = selectors.rider_tag(request.user)
        initial = {
            "trade": tag.trade if tag else None,
            "platform": tag.platform if tag else "",
            "volunteer": volunteers.is_in_riders_team(request.user),
        }
    return render(request, "riders/home.html", _home_context(request, RiderForm(initial=initial)))


@login_required
@require_POST
def rider_register(request):
    form = RiderForm(request.POST)
    if form.is_valid():
        done = call_for_form(
            form, services.rider_register, person=request.user, **form.cleaned_data
        )
        if done.ok:
            messages.success(request, _("You are registered as a new-employment worker."))
            return redirect("riders:home")
    return render(request, "riders/home.html", _home_context(request, form), status=400)


@login_required
@require_POST
def rider_withdraw(request):
    with contextlib.suppress(DomainError):  # nothing kept: nothing to erase
        services.rider_withdraw_location_consent(person=request.user)
    messages.success(request, _("Your work area is erased and no longer used."))
    return redirect("riders:home")
