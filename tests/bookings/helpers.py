"""Plain helpers of the booking tests (the fixtures are in conftest.py).

The tests book in one of two settings, both in Shanghai time:
- the resident's side (pages, API, calendars, feeds) a few days ahead of today, inside the
  default rules; clock times as text: at(ahead(), "10:00");
- the staff's side, the services and the rules on fixed dates in January 2030, with the kinds'
  rules opened that far ahead (the far_ahead fixture); clock times as numbers: at(MONDAY, 9)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from dangqun.bookings import services
from dangqun.bookings.models import Booking
from dangqun.people.models import StaffRole

SH = ZoneInfo("Asia/Shanghai")
Role = StaffRole.Role
Status = Booking.Status
OPEN = ["08:00-20:00"] * 7
# A lunch break on weekdays, a short Saturday, closed on Sunday.
HOURS = ["08:30-12:00,13:30-17:30"] * 5 + ["09:00-17:00", ""]
MONDAY = date(2030, 1, 7)
MOBILE = "13912340001"  # the resident's


def ahead(days: int = 3) -> date:
    return timezone.localdate() + timedelta(days=days)


def at(day: date, hour: int | str, minute: int = 0) -> datetime:
    """That day at a clock time in Shanghai: at(day, "10:30") or at(day, 10, 30)."""
    clock = time.fromisoformat(hour) if isinstance(hour, str) else time(hour, minute)
    return datetime.combine(day, clock, tzinfo=SH)


def direct_booking(space, person, start, minutes=60, status=Status.CONFIRMED, **extra) -> Booking:
    """A booking row without the rules, for states the rules would not allow to create now."""
    fields = {"purpose": "旁人的会", "headcount": 2, **extra}
    return Booking.objects.create(
        space=space,
        booker=person,
        created_by=person,
        start=start,
        end=start + timedelta(minutes=minutes),
        status=status,
        **fields,
    )


def booking_row(
    space, person, day, start, end, purpose="秘密的党小组会", status=Status.CONFIRMED
) -> Booking:
    """A booking row without the rules, from clock times ("10:00", "11:30") on a day."""
    begin = at(day, start)
    minutes = (at(day, end) - begin) // timedelta(minutes=1)
    return direct_booking(space, person, begin, minutes, status, purpose=purpose, headcount=3)


def book(actor, space, day=MONDAY, start=(9, 0), end=(10, 0), **extra) -> Booking:
    """A booking through the service, with all its rules; the actor books for themselves
    unless booker= names someone else."""
    fields = {"purpose": "读书会", "headcount": 5, **extra}
    return services.booking_create(
        actor=actor, space=space, start=at(day, *start), end=at(day, *end), **fields
    )
