"""The counter (一站式受理窗口): for a person at the desk, what they have open with the
centers this member of staff runs: service requests, space bookings and activity sign-ups.
Bookings and sign-ups are read through their own apps' selectors, scoped by access.py."""

from dataclasses import dataclass

from django.utils import timezone

from dangqun.activities import selectors as activities
from dangqun.bookings import selectors as bookings
from dangqun.people import access

from . import selectors

ACTIVE_BOOKINGS = ("pending", "confirmed")
ACTIVE_REGISTRATIONS = ("confirmed", "waitlisted", "offered")


@dataclass
class Row:
    kind: str
    id: str
    title: str
    status: str
    when: str


@dataclass
class Desk:
    requests: list
    bookings: list[Row]
    registrations: list[Row]


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def desk(user, person) -> Desk:
    now = timezone.now()
    booking_rows = [
        Row(
            kind="booking",
            id=str(booking.public_id),
            title=f"{booking.space.center.name} · {booking.space.name}",
            status=str(booking.get_status_display()),
            when=_when(booking.start),
        )
        for booking in bookings.bookings_for_staff(user).filter(
            booker=person, status__in=ACTIVE_BOOKINGS, end__gt=now
        )
    ]
    registrations = access.scope(
        user,
        activities.registrations_of(person).filter(status__in=ACTIVE_REGISTRATIONS),
    )
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
    return Desk(
        requests=list(selectors.open_requests_of(person, user)),
        bookings=booking_rows,
        registrations=registration_rows,
    )
