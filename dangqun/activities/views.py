"""Activity pages for residents: find and filter, read, sign up in one tap, follow one's
place (waiting list, offers), cancel; the personal check-in code; checking in by scanning
the door's code; iCalendar files and feeds."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from dangqun.core import geo
from dangqun.core.errors import NotFound
from dangqun.core.forms import attempt, call_with_message
from dangqun.core.templatetags.dq import loc
from dangqun.people import selectors as people
from dangqun.places import selectors as places

from . import codes, eligibility, ical, selectors, services
from .forms import ActivityFilterForm
from .models import Activity, ActivitySession, CheckIn, Registration

Status = Registration.Status

# After scanning the door's code without being signed in, a person has this long to sign in
# and be checked in: the scan itself proved they were at the door.
DOOR_SIGN_IN_SECONDS = 15 * 60
_DOOR_KEY = "activities.door_scan"


def staff_check_in_path(token: str) -> str:
    """Where staff land when they scan a personal QR code (the staff check-in page)."""
    return reverse("staff_activities:scan_token", args=[token])


def _activity(public_id) -> Activity:
    try:
        return selectors.activity_public(public_id)
    except NotFound:
        raise Http404 from None


def _own_registration(request, public_id) -> Registration:
    try:
        return selectors.registration_of(request.user, public_id)
    except NotFound:
        raise Http404 from None


def _next_session(activity: Activity, now, day=None) -> ActivitySession | None:
    """The session to show: the first on `day` when a day is asked for, else the next to
    come (the last one when all are over)."""
    sessions = list(activity.sessions.all())
    if day is not None:
        on_day = [s for s in sessions if timezone.localdate(s.start) == day]
        if on_day:
            return on_day[0]
    return next((s for s in sessions if s.end > now), sessions[-1] if sessions else None)


def _can_accept(registration: Registration, now) -> bool:
    until = registration.offered_until
    return registration.status == Status.OFFERED and until is not None and until > now


def _back(request, registration: Registration):
    """After a button on the activity's page, back there; else to the sign-up's page."""
    if request.POST.get("back") == "activity":
        return redirect("activities:detail", public_id=registration.activity.public_id)
    return redirect("activities:registration", public_id=registration.public_id)


def places_left(activity: Activity) -> int:
    return max(0, activity.capacity - activity.taken)


def who_for(activity: Activity) -> list[str]:
    """The activity's eligibility rules in plain words, one line each."""
    lines = []
    if activity.eligible_tags:
        labels = dict(people.tag_choices())
        groups = "、".join(str(labels[t]) for t in activity.eligible_tags if t in labels)
        lines.append(_("Only for: %(groups)s.") % {"groups": groups})
        if activity.requires_verified_tag:
            lines.append(
                _(
                    "Party members and new-employment workers need their group verified "
                    "by staff of their center (once)."
                )
            )
    low, high = activity.min_age, activity.max_age
    if low is not None and high is not None:
        lines.append(_("For people aged %(low)d to %(high)d.") % {"low": low, "high": high})
    elif low is not None:
        lines.append(_("For people aged %(n)d and over.") % {"n": low})
    elif high is not None:
        lines.append(_("For people aged up to %(n)d.") % {"n": high})
    if activity.eligible_region_id:
        lines.append(
            _("Only for residents of %(region)s.") % {"region": loc(activity.eligible_region)}
        )
    return lines or [_("Open to everyone.")]


# --- finding activities -------------------------------------------------------------------


@vary_on_headers("HX-Request")
def activity_list(request):
    signed_in = request.user.is_authenticated
    form = ActivityFilterForm(request.GET, signed_in=signed_in)
    person = request.user if signed_in and form.only_for_me() else None
    filters = form.filters()
    activities = selectors.activities_public(**filters, person=person)
    mine = set()
    if signed_in and activities:
        mine = selectors.joined_among(request.user, activities)
    now = timezone.now()
    cards = [
        {
            "activity": a,
            "next": _next_session(a, now, filters["day"]),
            "left": places_left(a),
            "closed": eligibility.window_refusal(a, now),
            "mine": a.pk in mine,
        }
        for a in activities
    ]
    context = {"form": form, "cards": cards, "for_me": person is not None}
    template = "activities/_results.html" if request.htmx else "activities/list.html"
    return render(request, template, context)


def activity_detail(request, public_id):
    activity = _activity(public_id)
    now = timezone.now()
    context = {
        "activity": activity,
        "sessions": list(activity.sessions.all()),
        "now": now,
        "left": places_left(activity),
        "who_for": who_for(activity),
        "window_refusal": eligibility.window_refusal(activity, now),
        "sign_in_url": _sign_in_url(request.get_full_path()),
        "amap_url": None,
    }
    if activity.venue == Activity.Venue.ADDRESS and activity.latitude is not None:
        context["amap_url"] = geo.amap_marker_url(
            activity.latitude, activity.longitude, activity.address
        )
    if request.user.is_authenticated:
        registration = selectors.registration_for_person(activity, request.user)
        context["registration"] = registration
        if registration is None:
            context["refusal"] = eligibility.refusal(activity, request.user, now)
        else:
            context["position"] = selectors.waiting_position(registration)
            context["can_accept"] = _can_accept(registration, now)
    return render(request, "activities/detail.html", context)


def _sign_in_url(next_path: str) -> str:
    return f"{reverse('accounts:sign_in')}?{urlencode({'next': next_path})}"


@login_required
@require_POST
def sign_up(request, public_id):
    activity = _activity(public_id)
    signed_up = call_with_message(
        request, services.registration_create, actor=request.user, activity=activity
    )
    if not signed_up.ok:
        return redirect("activities:detail", public_id=activity.public_id)
    registration = signed_up.value
    if registration.status == Status.CONFIRMED:
        messages.success(
            request,
            _("You have a place. Your check-in code is %(code)s.")
            % {"code": registration.short_code},
        )
    else:
        messages.success(
            request,
            _("The activity is full: you are number %(n)d on the waiting list.")
            % {"n": selectors.waiting_position(registration)},
        )
    return redirect("activities:registration", public_id=registration.public_id)


# --- one's own registrations --------------------------------------------------------------


@login_required
def my_activities(request):
    now = timezone.now()
    coming, past = [], []
    for registration in selectors.registrations_of(request.user):
        registration.next_session = _next_session(registration.activity, now)
        ahead = registration.next_session and registration.next_session.end > now
        if registration.status in Registration.ACTIVE and ahead:
            coming.append(registration)
        else:
            past.append(registration)
    coming.sort(key=lambda r: r.next_session.start)
    feed_path = reverse("activities:my_feed", args=[codes.feed_token(request.user)])
    return render(
        request,
        "activities/mine.html",
        {
            "coming": coming,
            "past": past[:20],
            "feed_url": request.build_absolute_uri(feed_path),
        },
    )


@login_required
def registration_detail(request, public_id):
    registration = _own_registration(request, public_id)
    activity = registration.activity
    now = timezone.now()
    confirmed = (
        registration.status == Status.CONFIRMED and activity.status == Activity.Status.PUBLISHED
    )
    context = {
        "registration": registration,
        "activity": activity,
        "sessions": list(activity.sessions.all()),
        "checked_in": set(registration.check_ins.values_list("session_id", flat=True)),
        "position": selectors.waiting_position(registration),
        "can_accept": _can_accept(registration, now),
        "can_cancel": registration.status in Registration.ACTIVE,
        "show_code": confirmed,
        "now": now,
    }
    if confirmed:
        check_in_url = request.build_absolute_uri(
            staff_check_in_path(codes.personal_token(registration))
        )
        context["qr"] = codes.qr_svg(check_in_url)
    return render(request, "activities/registration.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request, public_id):
    """Cancelling asks first (one tap must not lose a place): GET shows the sign-up and a
    button; POST cancels."""
    registration = _own_registration(request, public_id)
    if request.method == "GET":
        if registration.status not in Registration.ACTIVE:
            return redirect("activities:registration", public_id=registration.public_id)
        return render(
            request,
            "activities/cancel.html",
            {
                "registration": registration,
                "activity": registration.activity,
                "next_session": _next_session(registration.activity, timezone.now()),
                "back": "activity" if request.GET.get("back") == "activity" else "",
            },
        )
    cancelled = call_with_message(
        request, services.registration_cancel, actor=request.user, registration=registration
    )
    if cancelled.ok:
        messages.success(request, _("Your sign-up is cancelled. Thank you for freeing the place."))
    return _back(request, registration)


@login_required
@require_POST
def offer_accept(request, public_id):
    registration = _own_registration(request, public_id)
    accepted = call_with_message(
        request, services.offer_accept, actor=request.user, registration=registration
    )
    if accepted.ok:
        messages.success(
            request,
            _("The place is yours. Your check-in code is %(code)s.")
            % {"code": registration.short_code},
        )
    return _back(request, registration)


# --- checking in at the door --------------------------------------------------------------


def _door_outcome(request, session: ActivitySession) -> dict:
    """Check the signed-in person in to the session, and say what happened."""
    activity = session.activity
    outcome = {"session": session, "activity": activity}
    registration = selectors.registration_for_person(activity, request.user)
    if registration is None:
        outcome["state"] = "not_registered"
        outcome["walk_in_refusal"] = services.door_refusal(session)
        # A fresh door code: the scan may have been two minutes ago (a sign-in between).
        outcome["walk_in_token"] = codes.door_token(session)
        return outcome
    outcome["registration"] = registration
    if registration.status != Status.CONFIRMED:
        outcome["state"] = "no_place"
        return outcome
    checked_in = attempt(
        services.check_in,
        actor=request.user,
        session=session,
        registration=registration,
        method=CheckIn.Method.DOOR_QR,
    )
    if not checked_in.ok:
        outcome.update(state="refused", message=str(checked_in.error.message))
        return outcome
    _entry, created = checked_in.value
    outcome["state"] = "checked_in" if created else "already"
    return outcome


def door(request, token: str):
    """The page a person reaches by scanning the door's rotating code of a session."""
    session = codes.session_from_door_token(token)
    if session is None:
        return render(request, "activities/door.html", {"state": "invalid"}, status=400)
    if not request.user.is_authenticated:
        request.session[_DOOR_KEY] = {"session": session.pk, "at": int(time.time())}
        messages.info(request, _("Sign in, and you are checked in right after."))
        return redirect(_sign_in_url(reverse("activities:door_resume")))
    return render(request, "activities/door.html", _door_outcome(request, session))


@login_required
@require_POST
def door_walk_in(request, token: str):
    """One tap at the door: register as a walk-in and check in (services.door's rule)."""
    session = codes.session_from_door_token(token)
    if session is None:
        return render(request, "activities/door.html", {"state": "invalid"}, status=400)
    outcome = {"session": session, "activity": session.activity}
    done = attempt(services.walk_in_at_the_door, person=request.user, session=session)
    if not done.ok:
        outcome.update(state="refused", message=str(done.error.message))
        return render(request, "activities/door.html", outcome, status=400)
    entry, created = done.value
    outcome.update(state="checked_in" if created else "already", registration=entry.registration)
    return render(request, "activities/door.html", outcome)


@login_required
def door_resume(request):
    """Back from signing in after a scan: check in to the session scanned a moment ago."""
    scan = request.session.pop(_DOOR_KEY, None) or {}
    fresh = time.time() - scan.get("at", 0) <= DOOR_SIGN_IN_SECONDS
    session = selectors.session_public(scan.get("session")) if fresh else None
    if session is None:
        return render(request, "activities/door.html", {"state": "invalid"}, status=400)
    return render(request, "activities/door.html", _door_outcome(request, session))


# --- calendars ----------------------------------------------------------------------------


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def activity_ics(request, public_id):
    activity = _activity(public_id)
    content = ical.activities_ics(activity.title, [activity], base_url=_base_url(request))
    return _ics_response(content, f"activity-{activity.public_id}.ics")


def public_feed(request):
    """Published activities to come, optionally of one center and one kind. It names no one."""
    center = kind = None
    slug = request.GET.get("center")
    if slug:
        center = places.center_by_slug(slug)
        if center is None:
            raise Http404
    if request.GET.get("kind"):
        kind = request.GET["kind"]
        if kind not in Activity.Kind.values:
            raise Http404
    activities = selectors.activities_public(center=center, kind=kind)
    name = _("Activities")
    if center is not None:
        name = f"{center.name} · {name}"
    content = ical.activities_ics(name, activities, base_url=_base_url(request))
    return _ics_response(content, "activities.ics")


def my_feed(request, token: str):
    """A private feed of one's own sign-ups, for a calendar app (the URL is the key)."""
    public_id = codes.person_id_from_feed(token)
    person = people.person_by_public_id(public_id)
    if person is None:
        raise Http404
    registrations = selectors.open_registrations_of(person)
    # A calendar app fetches the feed without the person's cookie: their own language.
    with translation.override(person.language or settings.LANGUAGE_CODE):
        content = ical.registrations_ics(
            _("My activities"), registrations, base_url=_base_url(request)
        )
    return _ics_response(content, "my-activities.ics")
