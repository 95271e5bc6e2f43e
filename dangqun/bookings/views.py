"""Booking pages for residents: book (once or weekly), see, cancel; the door pass; the
calendars of a space and of a center; the search for a free space; iCalendar files."""

from datetime import date, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dangqun.core.errors import DomainError, NotFound
from dangqun.core.forms import call_with_message
from dangqun.people import counter as people_counter
from dangqun.people import selectors as people
from dangqun.people.identity import mask_name
from dangqun.places import selectors as places

from . import ical, passes, rules, selectors, services
from .errors import SeriesConflicts
from .forms import BookingForm, CancelForm, SearchForm, day_or_today
from .models import Booking, BookingSeries


def _space(space_id: int):
    space = places.space_by_id(space_id)
    if space is None:
        raise Http404
    return space


def _day(value) -> date:
    return day_or_today(value)


@login_required
def my_bookings(request):
    now = timezone.now()
    bookings = selectors.bookings_of(request.user)
    return render(
        request,
        "bookings/mine.html",
        {
            "upcoming": [b for b in bookings if b.end > now][::-1],
            "past": [b for b in bookings if b.end <= now][:20],
            "sections": selectors.mine_sections.of(request.user),
            "feed_url": request.build_absolute_uri(
                f"/bookings/feed/{passes.feed_token(request.user)}.ics"
            ),
        },
    )


def _booker(request, form):
    if form.for_person is not None:
        return form.for_person
    mobile = form.cleaned_data.get("on_behalf_mobile")
    return people.signed_up_person(mobile, field="on_behalf_mobile") if mobile else request.user


def _for_person(request, is_staff: bool):
    """The person staff book for, named by their public id (from the counter page): one
    of the staff's regions, or someone who gave their full mobile number at the desk."""
    public_id = request.POST.get("on_behalf") or request.GET.get("for")
    if not public_id:
        return None
    if not is_staff:
        raise Http404
    try:
        return people_counter.person_at_counter(request, public_id)
    except NotFound:
        raise Http404 from None


def _counter_person(request):
    """On the public pages that lead to a booking (search, calendars): the person staff
    are serving at the counter (`?for=<public id>`), kept through to the booking form;
    404 for anyone who may not book for that person."""
    public_id = request.GET.get("for")
    if not public_id:
        return None
    if not request.user.is_authenticated:
        raise Http404
    try:
        return people_counter.person_at_counter(request, public_id)
    except NotFound:
        raise Http404 from None


def _for_query(person) -> str:
    """`&for=<public id>` for the links of a page that serves someone at the counter."""
    return "&" + urlencode({"for": person.public_id}) if person is not None else ""


def _clock(value) -> str | None:
    """A clock time from a link ('09:30'), or None for anything else."""
    try:
        return time.fromisoformat(str(value)).strftime("%H:%M") if value else None
    except ValueError:
        return None


def _count(value) -> int | None:
    """A number of people from a link, or None for anything else."""
    text = str(value or "")
    return int(text) if text.isdigit() and 0 < int(text) <= 100000 else None


def _form_initial(request) -> dict:
    """What a search or a calendar's slot carries into the booking form: the day, the
    times and how many people (anything malformed is left out)."""
    day = request.GET.get("date")
    initial = {
        "date": day_or_today(day) if day else None,
        "start_time": _clock(request.GET.get("start")),
        "end_time": _clock(request.GET.get("end")),
        "headcount": _count(request.GET.get("people")),
    }
    return {name: value for name, value in initial.items() if value is not None}


# The services name the moments "start" and "end"; the form asks for them as times.
_FORM_FIELDS = {"start": "start_time", "end": "end_time"}


def _show_error(form, error: DomainError) -> None:
    """Show a service's error beside the form field it names, or above the form."""
    field = _FORM_FIELDS.get(error.field, error.field)
    form.add_error(field if field in form.fields else None, str(error.message))


def _book(request, space, form):
    """Book once, or plan/confirm a weekly series; returns a response or None to re-show."""
    start, end = form.times()
    kwargs = {
        "actor": request.user,
        "booker": _booker(request, form),
        "space": space,
        "start": start,
        "end": end,
        "purpose": form.cleaned_data["purpose"],
        "headcount": form.cleaned_data["headcount"],
    }
    weeks = form.cleaned_data.get("weeks") or 1
    if weeks == 1:
        booking = services.booking_create(**kwargs)
        if kwargs["booker"] != request.user:
            done = _("The booking for %(name)s is saved.")
            return _back_to_counter(request, form, kwargs["booker"], done)
        messages.success(request, _("Your booking is saved."))
        return redirect("bookings:detail", public_id=booking.public_id)
    if request.POST.get("confirm") != "1":
        plan = services.series_plan(weeks=weeks, **kwargs)
        return render(
            request,
            "bookings/new.html",
            {
                "space": space,
                "form": form,
                "plan": plan,
                "plan_ok": not any(o.problem for o in plan),
            },
        )
    series = services.booking_series_create(weeks=weeks, **kwargs)
    if kwargs["booker"] != request.user:
        done = _("All %(n)d weeks are booked for %(name)s.")
        return _back_to_counter(request, form, kwargs["booker"], done, n=series.weeks)
    messages.success(request, _("All %(n)d weeks are booked.") % {"n": series.weeks})
    return redirect("bookings:mine")


def _back_to_counter(request, form, person, done: str, **values):
    """After booking for someone, staff go back to that person's page at the counter,
    not to their own bookings. Someone named by their full mobile number is remembered
    at the counter first, as the counter's own look-up does."""
    if form.for_person is None:
        people_counter.remember(request, person)
    messages.success(request, done % {**values, "name": person.name or person.masked_mobile})
    return redirect(reverse("staff_intake:counter_person", args=[person.public_id]))


@login_required
def booking_new(request, space_id: int):
    space = _space(space_id)
    rule = rules.rule_for(space)
    is_staff = rules.is_space_staff(request.user, space)
    for_person = _for_person(request, is_staff)
    form = BookingForm(
        request.POST or None,
        slot_minutes=rule.slot_minutes,
        is_staff=is_staff,
        for_person=for_person,
        initial=_form_initial(request),
    )
    refusal = rules.refusal(request.user, space, rule)
    if request.method == "POST" and form.is_valid():
        try:
            response = _book(request, space, form)
        except SeriesConflicts as conflicts:
            return render(
                request,
                "bookings/new.html",
                {"space": space, "form": form, "plan": conflicts.occurrences, "plan_ok": False},
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            return response
    return render(
        request,
        "bookings/new.html",
        {
            "space": space,
            "form": form,
            "rule": rule,
            "refusal": refusal,
            "limit": rules.headcount_limit(rule, space),
        },
    )


def _own_booking(request, public_id) -> Booking:
    try:
        return selectors.booking_of(request.user, public_id)
    except NotFound:
        raise Http404 from None


@login_required
def booking_detail(request, public_id):
    booking = _own_booking(request, public_id)
    pass_url = None
    if booking.status == Booking.Status.CONFIRMED:
        pass_url = request.build_absolute_uri(passes.pass_path(booking))
    return render(
        request,
        "bookings/detail.html",
        {
            "booking": booking,
            "pass_url": pass_url,
            "qr": passes.qr_svg(pass_url) if pass_url else None,
            "can_cancel": booking.is_active and booking.end > timezone.now(),
            "form": CancelForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request, public_id):
    """Cancelling asks first (one tap must not lose a place): GET shows the booking and
    a button; POST cancels."""
    booking = _own_booking(request, public_id)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        form.is_valid()
        reason = form.cleaned_data.get("reason", "")
        if call_with_message(
            request, services.booking_cancel, actor=request.user, booking=booking, reason=reason
        ).ok:
            messages.success(request, _("The booking is cancelled."))
        return redirect("bookings:detail", public_id=booking.public_id)
    if not (booking.is_active and booking.end > timezone.now()):
        return redirect("bookings:detail", public_id=booking.public_id)
    return render(request, "bookings/cancel.html", {"booking": booking, "form": form})


def _own_series(request, public_id) -> BookingSeries:
    try:
        return selectors.series_of(request.user, public_id)
    except NotFound:
        raise Http404 from None


def _weeks_left(series) -> list[Booking]:
    now = timezone.now()
    return [b for b in selectors.bookings_of_series(series) if b.is_active and b.end > now]


@login_required
@require_http_methods(["GET", "POST"])
def series_cancel(request, public_id):
    """Cancel every week of a series still to come, at once; GET asks, POST cancels."""
    series = _own_series(request, public_id)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        form.is_valid()
        cancelled = call_with_message(
            request,
            services.booking_series_cancel,
            actor=request.user,
            series=series,
            reason=form.cleaned_data.get("reason", ""),
        )
        if cancelled.ok:
            n = len(cancelled.value)
            messages.success(request, _("Weeks cancelled: %(n)d.") % {"n": n})
        return redirect("bookings:mine")
    weeks = _weeks_left(series)
    if not weeks:
        return redirect("bookings:mine")
    return render(
        request,
        "bookings/series_cancel.html",
        {"series": series, "weeks": weeks, "form": form},
    )


@login_required
def series_ics(request, public_id):
    """Every week of a series still holding its time, in one calendar file."""
    series = _own_series(request, public_id)
    weeks = [b for b in selectors.bookings_of_series(series) if b.is_active]
    content = ical.to_ics(
        f"{series.space.center.name} · {series.space.name}",
        weeks,
        private=True,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return _ics_response(content, f"booking-series-{series.public_id}.ics")


def door_pass(request, token: str):
    """What the door shows when the QR code is scanned: valid or not, and for when."""
    booking = passes.booking_from_pass(token)
    if booking is None:
        raise Http404
    now = timezone.now()
    return render(
        request,
        "bookings/door_pass.html",
        {
            "booking": booking,
            "valid_now": booking.status == Booking.Status.CONFIRMED
            and booking.start - timedelta(minutes=30) <= now < booking.end,
            "masked_name": mask_name(booking.booker.name),
        },
    )


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def booking_ics(request, public_id):
    booking = _own_booking(request, public_id)
    content = ical.to_ics(
        booking.space.name,
        [booking],
        private=True,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return _ics_response(content, f"booking-{booking.public_id}.ics")


def my_feed(request, token: str):
    """A private feed of one's own bookings, for a calendar app (the URL is the key)."""
    person = people.person_by_public_id(passes.person_id_from_feed(token))
    if person is None:
        raise Http404
    content = ical.to_ics(
        _("My bookings"),
        selectors.active_bookings_of(person),
        private=True,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return _ics_response(content, "my-bookings.ics")


def space_feed(request, space_id: int):
    """A public feed of when a space is taken; it names no one."""
    space = _space(space_id)
    since = timezone.now() - timedelta(days=30)
    content = ical.to_ics(
        f"{space.center.name} · {space.name}",
        selectors.taken_times(space, since=since),
        private=False,
    )
    return _ics_response(content, f"space-{space.pk}.ics")


def space_calendar(request, space_id: int):
    space = _space(space_id)
    view = "day" if request.GET.get("view") == "day" else "week"
    day = _day(request.GET.get("date"))
    # A week is the seven days from the one asked for (today at first), not from its
    # Monday: the days already gone are not what anyone opens the calendar for.
    first = day
    days = 1 if view == "day" else 7
    step = timedelta(days=days)
    return render(
        request,
        "bookings/space_calendar.html",
        {
            "space": space,
            "view": view,
            "columns": selectors.space_calendar(space, first, days),
            "day": day,
            "previous": first - step,
            "next": first + step,
            "today": timezone.localdate(),
            "bookable": space.is_bookable,
            **_serving(request),
        },
    )


def _serving(request) -> dict:
    """The context of a page that leads to a booking: the person served at the counter,
    if any, and the queries its links keep (that person; and how many people come)."""
    person = _counter_person(request)
    people = _count(request.GET.get("people"))
    keep = "&" + urlencode({"people": people}) if people else ""
    return {
        "for_person": person,
        "for_query": _for_query(person),
        "keep_query": keep + _for_query(person),
    }


def center_calendar(request, slug: str):
    center = places.center_by_slug(slug)
    if center is None:
        raise Http404
    day = _day(request.GET.get("date"))
    return render(
        request,
        "bookings/center_calendar.html",
        {
            "center": center,
            "day": day,
            "rows": selectors.center_day(center, day),
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "today": timezone.localdate(),
            **_serving(request),
        },
    )


def search(request):
    # A page opened from the counter carries only `for`: it is not a search yet.
    asked = any(name != "for" for name in request.GET)
    form = SearchForm(request.GET if asked else None)
    results = None
    if form.is_bound and form.is_valid():
        start, end = form.times()
        results = selectors.free_spaces(
            start=start,
            end=end,
            people=form.cleaned_data["people"],
            kind=form.cleaned_data["kind"],
            street=form.cleaned_data["street"],
        )
    template = "bookings/_search_results.html" if request.htmx else "bookings/search.html"
    return render(request, template, {"form": form, "results": results, **_serving(request)})
