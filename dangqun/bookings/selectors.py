"""Reads of space booking: calendars, free-space search, lists. Staff lists are scoped by
people/access.py; residents see their own bookings and only "taken" of others'."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from dangqun.core import hours
from dangqun.core.errors import DomainError, NotFound
from dangqun.core.sections import PersonSections
from dangqun.people import access
from dangqun.places import selectors as places
from dangqun.places.models import Region, ServiceCenter, Space, SpaceKind

from . import rules
from .models import Booking, BookingSeries, ClosedDate

MAX_CALENDAR_DAYS = 31  # the longest calendar asked for at once


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def active_bookings(space_ids, start: datetime, end: datetime) -> QuerySet:
    return Booking.objects.filter(
        space_id__in=space_ids, status__in=Booking.ACTIVE, start__lt=end, end__gt=start
    ).select_related("booker")


@dataclass
class Slot:
    start: datetime
    end: datetime
    open: bool
    booking: Booking | None = None

    @property
    def free(self) -> bool:
        return self.open and self.booking is None


@dataclass
class DayColumn:
    day: date
    closed_reason: str | None
    slots: list[Slot] = field(default_factory=list)


def _day_column(
    space: Space, day: date, bookings: list[Booking], closed: dict, slot_minutes: int
) -> DayColumn:
    now = timezone.now()
    intervals = hours.parse_day(space.effective_hours[day.weekday()])
    column = DayColumn(day, closed.get(day))
    if not intervals:
        return column
    day_start, _ = day_bounds(day)
    first, last = intervals[0][0], intervals[-1][1]
    for minute in range(first, last, slot_minutes):
        start = day_start + timedelta(minutes=minute)
        end = start + timedelta(minutes=slot_minutes)
        # Open when the space is open for the whole slot and the slot has not begun.
        is_open = (
            column.closed_reason is None
            and start >= now
            and any(s <= minute and minute + slot_minutes <= e for s, e in intervals)
        )
        taken = next((b for b in bookings if b.start < end and b.end > start), None)
        column.slots.append(Slot(start, end, is_open, taken))
    return column


def space_calendar(space: Space, first_day: date, days: int) -> list[DayColumn]:
    """Slots of a space over `days` days: open or not, free or taken (and by which booking)."""
    rule = rules.rule_for(space)
    start, _ = day_bounds(first_day)
    end = start + timedelta(days=days)
    bookings = list(active_bookings([space.pk], start, end))
    closed = dict(
        ClosedDate.objects.filter(
            center_id=space.center_id,
            date__gte=first_day,
            date__lt=first_day + timedelta(days=days),
        ).values_list("date", "reason")
    )
    closed = {d: reason or "" for d, reason in closed.items()}
    return [
        _day_column(space, first_day + timedelta(days=i), bookings, closed, rule.slot_minutes)
        for i in range(days)
    ]


def center_day(center: ServiceCenter, day: date) -> list[tuple[Space, DayColumn]]:
    """Each bookable space of a center on one day: the center's day view."""
    spaces = list(center.spaces.filter(is_bookable=True).select_related("kind", "center"))
    start, end = day_bounds(day)
    bookings = list(active_bookings([s.pk for s in spaces], start, end))
    closed = {
        d: r or ""
        for d, r in ClosedDate.objects.filter(center=center, date=day).values_list("date", "reason")
    }
    space_rules = rules.rules_for(spaces)
    return [
        (
            space,
            _day_column(
                space,
                day,
                [b for b in bookings if b.space_id == space.pk],
                closed,
                space_rules[space.pk].slot_minutes,
            ),
        )
        for space in spaces
    ]


def free_spaces(
    *, start: datetime, end: datetime, people: int = 1, kind=None, street: Region | None = None
) -> list[Space]:
    """Bookable spaces free for the whole time, open then, and big enough."""
    spaces = Space.objects.filter(is_bookable=True).select_related("center__region", "kind")
    if kind is not None:
        spaces = spaces.filter(kind=kind)
    if street is not None:
        spaces = spaces.filter(center__region__path__startswith=street.path)
    spaces = [s for s in spaces if not s.capacity or s.capacity >= people]
    taken = set(
        active_bookings([s.pk for s in spaces], start, end).values_list("space_id", flat=True)
    )
    space_rules = rules.rules_for(spaces)
    closed_centers = set(
        ClosedDate.objects.filter(
            center_id__in={s.center_id for s in spaces}, date=timezone.localdate(start)
        ).values_list("center_id", flat=True)
    )
    result = []
    for space in spaces:
        if space.pk in taken:
            continue
        try:
            rules.check_times(
                space=space,
                rule=space_rules[space.pk],
                start=start,
                end=end,
                closed=space.center_id in closed_centers,
            )
        except DomainError:  # any rule that refuses the time excludes the space
            continue
        result.append(space)
    return result


def bookings_of(person) -> QuerySet:
    return (
        Booking.objects.filter(booker=person)
        .select_related("space__center", "series")
        .order_by("-start")
    )


def bookings_of_series(series) -> QuerySet:
    """The weeks of a recurring booking, in time order."""
    return Booking.objects.filter(series=series).select_related("space__center", "series")


def active_bookings_of(person) -> QuerySet:
    """The person's bookings that hold their time (waiting for approval or confirmed),
    past ones included (for the person's calendar feed)."""
    return bookings_of(person).filter(status__in=Booking.ACTIVE)


def open_bookings_of(person) -> QuerySet:
    """The person's bookings still to come or under way that hold their time (for the
    counter); unscoped: staff pages scope them through access.py."""
    return (
        Booking.objects.filter(booker=person, status__in=Booking.ACTIVE, end__gt=timezone.now())
        .select_related("space__center")
        .order_by("start", "id")
    )


def taken_times(space: Space, *, since: datetime) -> QuerySet:
    """The space's active bookings ending after `since` (for its public feed: busy times)."""
    return Booking.objects.filter(
        space=space, status__in=Booking.ACTIVE, end__gte=since
    ).select_related("space__center")


def bookable_spaces(*, center: ServiceCenter | None = None) -> QuerySet:
    spaces = places.spaces().filter(is_bookable=True)
    return spaces.filter(center=center) if center is not None else spaces


def kind_by_code(code: str) -> SpaceKind | None:
    return places.space_kinds().filter(code=str(code)).first()


def closed_date(center: ServiceCenter, *, day: date | None = None, pk=None) -> ClosedDate | None:
    """The center's closed date on that day, or by its id; None when there is none."""
    closed = ClosedDate.objects.select_related("center__region").filter(center=center)
    if pk is not None:
        closed = closed.filter(pk=pk)
    if day is not None:
        closed = closed.filter(date=day)
    return closed.first()


def closed_dates_from(center: ServiceCenter, day: date) -> QuerySet:
    return ClosedDate.objects.filter(center=center, date__gte=day).select_related("center")


def _own_or_run(model, person, public_id):
    """A row the person booked, or one whose space they run as staff; otherwise NotFound."""
    try:
        row = model.objects.select_related("space__center__region", "booker").get(
            public_id=public_id
        )
    except (model.DoesNotExist, ValidationError, ValueError):
        raise NotFound() from None
    if row.booker_id == person.pk or rules.is_space_staff(person, row.space):
        return row
    raise NotFound()


def booking_of(person, public_id) -> Booking:
    """One's own booking, or one the person runs as staff; otherwise NotFound."""
    return _own_or_run(Booking, person, public_id)


def series_of(person, public_id) -> BookingSeries:
    """One's own weekly series, or one the person runs as staff; otherwise NotFound."""
    return _own_or_run(BookingSeries, person, public_id)


def bookings_for_staff(
    user, *, center=None, space=None, status=None, date_from=None, date_to=None
) -> QuerySet:
    bookings = access.scope(
        user, Booking.objects.select_related("space__center", "booker", "created_by")
    )
    if center is not None:
        bookings = bookings.filter(space__center=center)
    if space is not None:
        bookings = bookings.filter(space=space)
    if status:
        bookings = bookings.filter(status=status)
    if date_from:
        bookings = bookings.filter(end__gt=day_bounds(date_from)[0])
    if date_to:
        bookings = bookings.filter(start__lt=day_bounds(date_to)[1])
    return bookings.order_by("start", "id")


def pending_count_for_staff(user) -> int:
    """How many bookings still to come wait for this member of staff's approval (the back
    office's home)."""
    return (
        bookings_for_staff(user, status=Booking.Status.PENDING)
        .filter(end__gt=timezone.now())
        .count()
    )


def active_bookings_for_staff(user, *, center: ServiceCenter, day: date) -> QuerySet:
    """The center's bookings on that day that hold their time (the day sheet, and the
    warning when a day with bookings is closed)."""
    return bookings_for_staff(user, center=center, date_from=day, date_to=day).filter(
        status__in=Booking.ACTIVE
    )


def bookable_spaces_for_staff(user) -> QuerySet:
    """The bookable spaces of the centers this member of staff runs (the list's filter)."""
    return access.scope(
        user, bookable_spaces().select_related("center"), roles=access.MANAGERS
    ).order_by("center__name", "name")


def centers_with_bookable_spaces(user) -> QuerySet:
    """The centers this member of staff runs, each with its bookable spaces (settings)."""
    spaces = bookable_spaces().select_related("kind").order_by("id")
    return access.centers_for_staff(user).prefetch_related(Prefetch("spaces", queryset=spaces))


def booking_for_staff(user, *, public_id) -> Booking:
    return access.get_or_404(
        user,
        Booking.objects.select_related("space__center__region", "booker", "created_by"),
        public_id=public_id,
    )


# What other capabilities list on "my bookings" (a rider's hold of a charging slot): they
# register a template and a read of the person; bookings imports none of them.
mine_sections = PersonSections()
