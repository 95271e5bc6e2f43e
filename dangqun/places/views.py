"""Public pages: the list of centers and a center's page."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from dangqun.core import geo, hours
from dangqun.core.errors import ValidationFailed

from . import selectors


def _chosen(queryset, value, field="pk"):
    """The filter's object, or None when absent or unknown (an unknown filter shows all)."""
    if not value or "\x00" in value:  # PostgreSQL refuses NUL in text: no such object
        return None
    try:
        return queryset.filter(**{field: value}).first()
    except (ValueError, TypeError):
        return None


def _position(request) -> tuple[float, float] | None:
    """The visitor's position (WGS-84, from the browser) given as lat/lng, or None when not
    given; ValidationFailed when given and not a position."""
    lat, lng = request.GET.get("lat", ""), request.GET.get("lng", "")
    if not lat and not lng:
        return None
    latitude = geo.parse_coordinate(lat, kind="latitude", field="lat")
    longitude = geo.parse_coordinate(lng, kind="longitude", field="lng")
    return float(latitude), float(longitude)


def center_list(request):
    street = _chosen(selectors.streets(), request.GET.get("street"))
    kind = _chosen(selectors.space_kinds(), request.GET.get("kind"), field="code")
    centers = selectors.centers_public(street=street, kind=kind)
    try:
        position = _position(request)
    except ValidationFailed:  # a position we cannot read: the list as it is, with a word
        position, unreadable = None, True
    else:
        unreadable = False
    if position is not None:
        centers = selectors.centers_by_distance(centers, lat=position[0], lng=position[1])
    now = timezone.now()
    context = {
        "centers": [(c, c.is_open_at(now)) for c in centers],
        "streets": selectors.streets(),
        "kinds": selectors.space_kinds_offered(),
        "street": street,
        "kind": kind,
        "position": position,
        "position_unreadable": unreadable,
    }
    template = "places/_center_results.html" if request.htmx else "places/center_list.html"
    return render(request, template, context)


def center_detail(request, slug: str):
    center = selectors.center_by_slug(slug)
    if center is None:
        raise Http404
    now = timezone.now()
    spaces = [(s, s.is_open_at(now)) for s in selectors.spaces_of(center)]
    return render(
        request,
        "places/center_detail.html",
        {
            "center": center,
            "is_open": center.is_open_at(now),
            "week": hours.week_rows(center.opening_hours, now),
            "spaces": spaces,
            "ancestors": selectors.region_ancestors(center.region),
            "amap_url": geo.amap_marker_url(center.latitude, center.longitude, center.name),
        },
    )
