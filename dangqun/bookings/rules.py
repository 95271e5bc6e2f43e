"""The booking rules of a space and the checks a request must pass before it is saved.
Every failed check names the field and says what is wrong in the user's language."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.core import hours
from dangqun.core.errors import ValidationFailed
from dangqun.people import access
from dangqun.people.models import PersonTag, StaffRole
from dangqun.places.models import Space, SpaceKind

from .models import Booking, BookingRule, ClosedDate


def rule_for(space: Space) -> BookingRule:
    """The space's own rule, else its kind's, else the defaults."""
    rules = list(BookingRule.objects.filter(Q(space=space) | Q(kind_id=space.kind_id)))
    own = next((r for r in rules if r.space_id), None)
    return own or next(iter(rules), None) or BookingRule()


def rule_for_kind(kind: SpaceKind) -> BookingRule:
    """The default rule of every space of this kind, else the defaults."""
    return BookingRule.objects.filter(kind=kind).first() or BookingRule()


def rules_for(spaces: list[Space]) -> dict[int, BookingRule]:
    """rule_for of many spaces in one query (for searches and center views)."""
    found = BookingRule.objects.filter(
        Q(space__in=spaces) | Q(kind_id__in={s.kind_id for s in spaces})
    )
    own = {r.space_id: r for r in found if r.space_id}
    by_kind = {r.kind_id: r for r in found if r.kind_id}
    return {s.pk: own.get(s.pk) or by_kind.get(s.kind_id) or BookingRule() for s in spaces}


def headcount_limit(rule: BookingRule, space: Space) -> int | None:
    """The most people one booking may bring: the space's capacity, or the rule's limit
    where that is lower (a kind's rule never lifts a space above its capacity)."""
    limits = [n for n in (rule.max_headcount, space.capacity) if n]
    return min(limits) if limits else None


def is_space_staff(person, space: Space) -> bool:
    """Staff who run this space's center (or any above it): they book for anyone, approve
    and cancel; the time rules (hours, days ahead, length) bind them too."""
    return access.covers(person, space.center.region, roles=access.MANAGERS)


def refusal(person, space: Space, rule: BookingRule) -> str | None:
    """Why this person may not book this space, in plain words; None if they may."""
    if not space.is_bookable:
        return _("This space cannot be booked.")
    if is_space_staff(person, space):
        return None
    if rule.open_to_partners and access.has_role(person, {StaffRole.Role.PARTNER_STAFF}):
        return None
    if not rule.open_to_residents:
        return _("Only staff and partners may book this space.")
    if rule.required_tags:
        tags = set(person.tags.values_list("tag", flat=True))
        if not tags & set(rule.required_tags):
            names = "、".join(
                str(PersonTag.Tag(t).label) for t in rule.required_tags if t in PersonTag.Tag.values
            )
            return _(
                "This space is for: %(groups)s. Add your group on your profile, or ask the center."
            ) % {"groups": names}
    return None


def _minutes_of_day(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def check_times(
    *,
    space: Space,
    rule: BookingRule,
    start: datetime,
    end: datetime,
    now: datetime | None = None,
    closed: bool | None = None,
) -> None:
    """Order, past, ahead, length, slot grid, opening hours and closed dates. `closed`
    says whether the center is closed that day, when the caller has looked it up already."""
    now = now or timezone.now()
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    if end <= start:
        raise ValidationFailed(_("The end must be after the start."), field="end")
    if start < now:
        raise ValidationFailed(_("This time is in the past."), field="start")
    if start > now + timedelta(days=rule.max_days_ahead):
        raise ValidationFailed(
            _("You can book at most %(days)d days ahead.") % {"days": rule.max_days_ahead},
            field="start",
        )
    length = (end - start).total_seconds() / 60
    if length < rule.min_minutes:
        raise ValidationFailed(
            _("A booking lasts at least %(n)d minutes.") % {"n": rule.min_minutes}, field="end"
        )
    if length > rule.max_minutes:
        raise ValidationFailed(
            _("A booking lasts at most %(n)d minutes.") % {"n": rule.max_minutes}, field="end"
        )
    if any(
        _minutes_of_day(t) % rule.slot_minutes or t.second or t.microsecond
        for t in (local_start, local_end)
    ):
        raise ValidationFailed(
            _("Start and end must fall on the %(n)d-minute grid (for example 09:00, 09:%(n)02d).")
            % {"n": rule.slot_minutes},
            field="start",
        )
    _check_open(space, local_start, local_end, closed)


def _check_open(space: Space, local_start: datetime, local_end: datetime, closed) -> None:
    day = local_start.date()
    # An end at midnight belongs to the day before it.
    if (local_end - timedelta(microseconds=1)).date() != day:
        raise ValidationFailed(_("A booking starts and ends on the same day."), field="end")
    if closed is None:
        closed = ClosedDate.objects.filter(center_id=space.center_id, date=day).exists()
    if closed:
        raise ValidationFailed(_("The center is closed on this date."), field="start")
    begin = _minutes_of_day(local_start)
    finish = _minutes_of_day(local_end) if local_end.date() == day else 24 * 60
    intervals = hours.parse_day(space.effective_hours[day.weekday()])
    if not any(s <= begin and finish <= e for s, e in intervals):
        shown = hours.describe_day(space.effective_hours[day.weekday()])
        raise ValidationFailed(
            _("Outside opening hours. That day the space is open: %(hours)s.") % {"hours": shown},
            field="start",
        )


def check_headcount(*, space: Space, rule: BookingRule, headcount) -> int:
    try:
        number = int(headcount)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise ValidationFailed(
            _("Enter how many people will come (at least 1)."), field="headcount"
        )
    limit = headcount_limit(rule, space)
    if limit and number > limit:
        if limit == space.capacity:
            message = _("How many people: at most %(n)d people fit this space.")
        else:
            message = _("How many people: this space takes at most %(n)d people a booking.")
        raise ValidationFailed(message % {"n": limit}, field="headcount")
    return number


def overlapping(space: Space, start: datetime, end: datetime):
    return Booking.objects.filter(
        space=space, status__in=Booking.ACTIVE, start__lt=end, end__gt=start
    )
