"""The counter (一站式受理窗口): for a person at the counter, what they have open with the
centers this member of staff runs: service requests, space bookings and activity sign-ups.
Bookings and sign-ups are read through their own apps' selectors (which name their active
statuses), scoped by access.py."""

from dataclasses import dataclass
from datetime import UTC

from django.utils import timezone

from dangqun.activities import selectors as activities
from dangqun.bookings import selectors as bookings
from dangqun.people import access

from . import selectors


@dataclass
class Row:
    kind: str
    id: str
    title: str
    status: str
    when: str


@dataclass
class CounterView:
    requests: list
    bookings: list[Row]
    registrations: list[Row]


def _when(moment) -> str:
    """Shanghai time; a time stored beyond what +08:00 can show (year 9999) in UTC."""
    if not moment:
        return ""
    try:
        return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
    except (OverflowError, ValueError):
        return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def counter_view(user, person) -> CounterView:
    booking_rows = [
        Row(
            kind="booking",
            id=str(booking.public_id),
            title=f"{booking.space.center.name} · {booking.space.name}",
            status=str(booking.get_status_display()),
            when=_when(booking.start),
        )
        for booking in access.scope(user, bookings.open_bookings_of(person))
    ]
    registrations = access.scope(user, activities.open_registrations_of(person))
    registration_rows = [
        Row(
            kind="registration",
            id=str(registration.activity.public_id),
            title=registration.activity.title,
            status=str(registration.get_status_display()),
            when=_when(min((s.start for s in registration.activity.sessions.all()), default=None)),
        )
        for registration in registrations
    ]
    return CounterView(
        requests=list(selectors.open_requests_of(person, user)),
        bookings=booking_rows,
        registrations=registration_rows,
    )


# What the counter can start for the person at one center: a booking of one of its spaces
# (the booking form, for the person), a sign-up for one of its coming activities.

ACTIVITIES_SHOWN = 12


def spaces_to_book(center) -> list:
    if center is None:
        return []
    return list(bookings.bookable_spaces(center=center).order_by("name", "id"))


def activities_to_join(center, person) -> list:
    """The center's activities whose sign-up is open, but those the person joined already;
    each as (activity, why the person may not join it, in staff's words, or None)."""
    if center is None:
        return []
    return activities.activities_for_counter(center=center, person=person, limit=ACTIVITIES_SHOWN)
