"""Writes of space booking. The overlap rule is enforced by the database (see
migrations/0002); the check here only gives a friendly answer before the insert."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangqun.core import audit, sms
from dangqun.core.errors import NotFound, PermissionDenied, ValidationFailed
from dangqun.core.text import clean_text
from dangqun.people import access
from dangqun.people.models import PersonTag, StaffRole
from dangqun.places.models import Space, SpaceKind

from . import exports, rules, selectors, times
from .errors import AlreadyBooked, SeriesConflicts
from .models import Booking, BookingRule, BookingSeries, ClosedDate

Status = Booking.Status
MAX_WEEKS = 26


def _when(booking: Booking) -> str:
    return f"{times.label(booking.start)}-{times.label(booking.end)[11:]}"


def _tell(booking: Booking, message, extra: str = "", **values) -> None:
    """Send the booker a short message, in the booker's language, once committed."""
    sms.tell(
        booking.booker,
        message,
        suffix=extra,
        space=booking.space.name,
        when=_when(booking),
        **values,
    )


def _clean_purpose(purpose: str) -> str:
    return clean_text(
        purpose,
        field="purpose",
        max_length=200,
        required=True,
        message=_("Say what the space is for."),
    )


def _clean_reason(reason: str, *, max_length: int = 200) -> str:
    """A reason given with a decision: at most `max_length` characters are kept."""
    return clean_text(str(reason or "")[:max_length], field="reason", max_length=max_length)


def _check_who_and_what(*, actor, booker, space: Space, headcount, purpose):
    """What does not depend on the date: who books, for how many, what for."""
    rule = rules.rule_for(space)
    if booker != actor and not rules.is_space_staff(actor, space):
        raise PermissionDenied(
            _("Only the center's staff may book for someone else."), field="booker"
        )
    # The center's staff may book for anyone (a group's rule is theirs to bend); everyone
    # else must pass the space's audience rule.
    why_not = rules.refusal(actor if booker != actor else booker, space, rule)
    if why_not:
        raise PermissionDenied(why_not, field="space")
    count = rules.check_headcount(space=space, rule=rule, headcount=headcount)
    needs_approval = rule.requires_approval and not rules.is_space_staff(actor, space)
    return rule, _clean_purpose(purpose), count, needs_approval


def _insert(**fields) -> Booking:
    """Insert one booking; the database's overlap guard turns a lost race into AlreadyBooked."""
    try:
        with transaction.atomic():
            if rules.overlapping(fields["space"], fields["start"], fields["end"]).exists():
                raise AlreadyBooked()
            return Booking.objects.create(**fields)
    except IntegrityError as error:
        if "booking_no_overlap" in str(error):
            raise AlreadyBooked() from None
        raise
    except OperationalError as error:
        # PostgreSQL checks the exclusion constraint after the row is written: two
        # overlapping inserts at the same moment wait for each other, and it cancels one
        # with "deadlock detected" (40P01). That one lost the race for the slot.
        if getattr(error.__cause__, "sqlstate", None) == "40P01":
            raise AlreadyBooked() from None
        raise


def booking_create(
    *, actor, space: Space, start: datetime, end: datetime, purpose: str, headcount, booker=None
) -> Booking:
    booker = booker or actor
    rule, purpose, count, needs_approval = _check_who_and_what(
        actor=actor, booker=booker, space=space, headcount=headcount, purpose=purpose
    )
    rules.check_times(space=space, rule=rule, start=start, end=end)
    with transaction.atomic():
        booking = _insert(
            space=space,
            booker=booker,
            created_by=actor,
            start=start,
            end=end,
            purpose=purpose,
            headcount=count,
            status=Status.PENDING if needs_approval else Status.CONFIRMED,
        )
        audit.record(
            actor,
            "booking.create",
            booking,
            {"status": booking.status, "for": str(booker.public_id)},
        )
        _tell(
            booking,
            gettext_lazy(
                "[Party-Mass Service] Your request for %(space)s at "
                "%(when)s is waiting for approval."
            )
            if needs_approval
            else gettext_lazy(
                "[Party-Mass Service] Booked: %(space)s, %(when)s. Show the "
                "QR code on your booking page at the door."
            ),
        )
    return booking


def _require_staff(actor, booking: Booking) -> None:
    if not rules.is_space_staff(actor, booking.space):
        raise NotFound()


def _decide(actor, booking: Booking, status: str, reason: str = "") -> Booking:
    """Move a pending booking on; the UPDATE only succeeds if it is still pending."""
    now = timezone.now()
    moved = Booking.objects.filter(pk=booking.pk, status=Status.PENDING).update(
        status=status, reason=reason, decided_by=actor, decided_at=now
    )
    if not moved:
        raise ValidationFailed(
            _("Only a booking waiting for approval can be approved or rejected."),
            field="status",
            code="invalid_transition",
        )
    booking.refresh_from_db()
    return booking


@transaction.atomic
def booking_approve(*, actor, booking: Booking) -> Booking:
    _require_staff(actor, booking)
    if booking.end <= timezone.now():
        raise ValidationFailed(
            _("This booking is over and cannot be approved."),
            field="status",
            code="invalid_transition",
        )
    _decide(actor, booking, Status.CONFIRMED)
    audit.record(actor, "booking.approve", booking, {})
    _tell(
        booking,
        gettext_lazy(
            "[Party-Mass Service] Approved: %(space)s, %(when)s. Show the "
            "QR code on your booking page at the door."
        ),
    )
    return booking


@transaction.atomic
def booking_reject(*, actor, booking: Booking, reason: str) -> Booking:
    _require_staff(actor, booking)
    reason = _clean_reason(reason)
    if not reason:
        raise ValidationFailed(_("Give the reason for rejecting."), field="reason")
    _decide(actor, booking, Status.REJECTED, reason)
    audit.record(actor, "booking.reject", booking, {"reason": reason})
    _tell(
        booking,
        gettext_lazy("[Party-Mass Service] Not approved: %(space)s, %(when)s. Reason: "),
        extra=reason,  # appended after formatting: a "%" the staff typed stays as typed
    )
    return booking


@transaction.atomic
def booking_cancel(*, actor, booking: Booking, reason: str = "", notify: bool = True) -> Booking:
    """The booker or the space's staff cancel an active booking that has not ended.
    notify=False when the booking only held a room for something that tells people itself
    (a cancelled activity)."""
    is_staff = rules.is_space_staff(actor, booking.space)
    if booking.booker_id != actor.pk and not is_staff:
        raise NotFound()
    if booking.end <= timezone.now():
        raise ValidationFailed(
            _("This booking is over and cannot be cancelled."),
            field="status",
            code="invalid_transition",
        )
    moved = Booking.objects.filter(pk=booking.pk, status__in=Booking.ACTIVE).update(
        status=Status.CANCELLED,
        reason=_clean_reason(reason),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    if not moved:
        raise ValidationFailed(
            _("This booking is not active."), field="status", code="invalid_transition"
        )
    booking.refresh_from_db()
    audit.record(actor, "booking.cancel", booking, {"by_staff": is_staff})
    if notify:
        _tell(booking, gettext_lazy("[Party-Mass Service] Cancelled: %(space)s, %(when)s."))
    return booking


@dataclass
class Occurrence:
    start: datetime
    end: datetime
    problem: str = ""


def _weekly(start: datetime, end: datetime, weeks) -> list[Occurrence]:
    try:
        weeks = int(weeks)
    except (TypeError, ValueError):
        weeks = 0
    if not 2 <= weeks <= MAX_WEEKS:
        raise ValidationFailed(_("Repeat for 2 to %(n)d weeks.") % {"n": MAX_WEEKS}, field="weeks")
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    # Step in local time, so a series keeps its wall-clock hours.
    return [
        Occurrence(local_start + timedelta(weeks=i), local_end + timedelta(weeks=i))
        for i in range(weeks)
    ]


def series_plan(
    *,
    actor,
    space: Space,
    start: datetime,
    end: datetime,
    purpose: str,
    headcount,
    weeks,
    booker=None,
) -> list[Occurrence]:
    """Every week of a recurring booking with what stops it, if anything; saves nothing.
    A problem of the whole request (who, how many, what for) is raised, not listed."""
    booker = booker or actor
    rule, *_rest = _check_who_and_what(
        actor=actor, booker=booker, space=space, headcount=headcount, purpose=purpose
    )
    plan = _weekly(start, end, weeks)
    for occurrence in plan:
        try:
            rules.check_times(space=space, rule=rule, start=occurrence.start, end=occurrence.end)
            if rules.overlapping(space, occurrence.start, occurrence.end).exists():
                raise AlreadyBooked()
        except (ValidationFailed, AlreadyBooked) as error:
            occurrence.problem = str(error.message)
    return plan


def booking_series_create(
    *,
    actor,
    space: Space,
    start: datetime,
    end: datetime,
    purpose: str,
    headcount,
    weeks,
    booker=None,
) -> BookingSeries:
    """All weeks or none: any conflict raises SeriesConflicts listing every bad week."""
    request = {
        "actor": actor,
        "space": space,
        "start": start,
        "end": end,
        "purpose": purpose,
        "headcount": headcount,
        "weeks": weeks,
        "booker": booker or actor,
    }
    plan = series_plan(**request)
    if any(o.problem for o in plan):
        raise SeriesConflicts(plan)
    try:
        return _series_insert(plan=plan, **request)
    except AlreadyBooked:
        # Someone took a week between the plan and the insert; everything was rolled
        # back, so the new plan shows exactly which weeks are gone.
        raise SeriesConflicts(series_plan(**request)) from None


@transaction.atomic
def _series_insert(*, plan, actor, space, booker, purpose, headcount, **_times) -> BookingSeries:
    _rule, clean_purpose, count, needs_approval = _check_who_and_what(
        actor=actor, booker=booker, space=space, headcount=headcount, purpose=purpose
    )
    series = BookingSeries.objects.create(space=space, booker=booker, weeks=len(plan))
    status = Status.PENDING if needs_approval else Status.CONFIRMED
    for occurrence in plan:
        _insert(
            space=space,
            booker=booker,
            created_by=actor,
            series=series,
            start=occurrence.start,
            end=occurrence.end,
            purpose=clean_purpose,
            headcount=count,
            status=status,
        )
    audit.record(actor, "booking_series.create", series, {"weeks": len(plan)})
    _tell(
        series.bookings.first(),
        gettext_lazy(
            "[Party-Mass Service] Your weekly request for %(space)s from %(when)s, "
            "%(weeks)d weeks, is waiting for approval."
        )
        if needs_approval
        else gettext_lazy(
            "[Party-Mass Service] Booked every week for %(weeks)d weeks from %(when)s at %(space)s."
        ),
        weeks=len(plan),
    )
    return series


@transaction.atomic
def booking_series_cancel(*, actor, series: BookingSeries, reason: str = "") -> list[Booking]:
    """The booker or the space's staff cancel every week of a series that is still active
    and has not ended, at once; weeks already over stay as they were. One SMS says how
    many weeks were cancelled. Returns the weeks cancelled."""
    is_staff = rules.is_space_staff(actor, series.space)
    if series.booker_id != actor.pk and not is_staff:
        raise NotFound()
    weeks = list(
        Booking.objects.select_for_update()
        .filter(series=series, status__in=Booking.ACTIVE, end__gt=timezone.now())
        .order_by("start")
    )
    if not weeks:
        raise ValidationFailed(
            _("No week of this series is left to cancel."),
            field="status",
            code="invalid_transition",
        )
    Booking.objects.filter(pk__in=[b.pk for b in weeks]).update(
        status=Status.CANCELLED,
        reason=_clean_reason(reason),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    audit.record(
        actor, "booking_series.cancel", series, {"weeks": len(weeks), "by_staff": is_staff}
    )
    _tell(
        weeks[0],
        gettext_lazy(
            "[Party-Mass Service] Cancelled: %(space)s every week from %(when)s. Weeks "
            "cancelled: %(weeks)d."
        ),
        weeks=len(weeks),
    )
    return list(selectors.bookings_of_series(series).filter(pk__in=[b.pk for b in weeks]))


@transaction.atomic
def closed_date_add(*, actor, center, date, reason: str = "") -> ClosedDate:
    """Close a center on a day to come (today or later); its bookings stay."""
    if not access.covers(actor, center.region, roles=access.MANAGERS):
        raise NotFound()
    if date < timezone.localdate():
        raise ValidationFailed(_("Choose today or a later date."), field="date")
    reason = _clean_reason(reason, max_length=120)
    closed, created = ClosedDate.objects.get_or_create(
        center=center, date=date, defaults={"reason": reason}
    )
    if not created:
        raise ValidationFailed(_("This date is closed already."), field="date")
    audit.record(actor, "closed_date.add", center, {"date": date.isoformat()})
    return closed


# Booking rules and closed dates, edited by staff.

SLOT_CHOICES = (15, 30, 60)
MAX_DAYS_AHEAD = 365
RULE_FIELDS = (
    "slot_minutes",
    "min_minutes",
    "max_minutes",
    "max_days_ahead",
    "requires_approval",
    "max_headcount",
    "open_to_residents",
    "open_to_partners",
    "required_tags",
)


def _whole_number(value, *, field: str, minimum: int, maximum: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip():
        raise ValidationFailed(_("Enter a whole number."), field=field)
    if not minimum <= number <= maximum:
        raise ValidationFailed(
            _("Enter a number from %(low)d to %(high)d.") % {"low": minimum, "high": maximum},
            field=field,
        )
    return number


def _clean_rule(data: dict, current: BookingRule, space: Space | None) -> dict:
    """The rule's fields from data (missing ones keep their current value), all checked."""
    values = {name: data.get(name, getattr(current, name)) for name in RULE_FIELDS}
    clean = {}
    try:
        clean["slot_minutes"] = int(values["slot_minutes"])
    except (TypeError, ValueError):
        clean["slot_minutes"] = 0
    if clean["slot_minutes"] not in SLOT_CHOICES:
        raise ValidationFailed(
            _("Choose a slot length of 15, 30 or 60 minutes."), field="slot_minutes"
        )
    slot = clean["slot_minutes"]
    for name in ("min_minutes", "max_minutes"):
        clean[name] = _whole_number(values[name], field=name, minimum=slot, maximum=24 * 60)
        if clean[name] % slot:
            raise ValidationFailed(
                _("Use a multiple of the slot length (%(n)d minutes).") % {"n": slot},
                field=name,
            )
    if clean["min_minutes"] > clean["max_minutes"]:
        raise ValidationFailed(
            _("The longest booking cannot be shorter than the shortest."), field="max_minutes"
        )
    clean["max_days_ahead"] = _whole_number(
        values["max_days_ahead"], field="max_days_ahead", minimum=1, maximum=MAX_DAYS_AHEAD
    )
    clean["max_headcount"] = _headcount_limit(values["max_headcount"], space)
    for name in ("requires_approval", "open_to_residents", "open_to_partners"):
        clean[name] = bool(values[name])
    tags = values["required_tags"] or []
    if isinstance(tags, str) or any(t not in PersonTag.Tag.values for t in tags):
        raise ValidationFailed(_("Choose groups from the list."), field="required_tags")
    clean["required_tags"] = sorted(set(tags))
    return clean


def _headcount_limit(value, space: Space | None) -> int | None:
    if value in (None, ""):
        return None
    limit = _whole_number(value, field="max_headcount", minimum=1, maximum=100000)
    if space is not None and space.capacity and limit > space.capacity:
        raise ValidationFailed(
            _("At most the space's capacity (%(n)d people).") % {"n": space.capacity},
            field="max_headcount",
        )
    return limit


def _changes(before: BookingRule, after: dict) -> dict:
    return {k: v for k, v in after.items() if getattr(before, k) != v}


def _rule_save(*, actor, data: dict, current: BookingRule, space=None, kind=None) -> BookingRule:
    """Save a space's own rule or a kind's default rule: fields missing from data keep their
    value in the current rule, and the audit log keeps what changed."""
    owner = {"space": space} if space is not None else {"kind": kind}
    clean = _clean_rule(data, current, space)
    rule, _created = BookingRule.objects.update_or_create(**owner, defaults=clean)
    audit.record(actor, "booking_rule.save", space or kind, _changes(current, clean))
    return rule


@transaction.atomic
def booking_rule_save(*, actor, space: Space, data: dict) -> BookingRule:
    """Save this space's own rule (overriding its kind's); only the space's staff may.
    Fields missing from data keep the value of the rule in force now."""
    if not rules.is_space_staff(actor, space):
        raise NotFound()
    return _rule_save(actor=actor, data=data, current=rules.rule_for(space), space=space)


@transaction.atomic
def booking_rule_reset(*, actor, space: Space) -> BookingRule:
    """Drop this space's own rule: its kind's default (or the built-in one) applies again."""
    if not rules.is_space_staff(actor, space):
        raise NotFound()
    deleted, _rows = BookingRule.objects.filter(space=space).delete()
    if deleted:
        audit.record(actor, "booking_rule.reset", space, {})
    return rules.rule_for(space)


def may_edit_kind_rules(actor) -> bool:
    return access.has_role(actor, {StaffRole.Role.DISTRICT_ADMIN})


@transaction.atomic
def booking_kind_rule_save(*, actor, kind: SpaceKind, data: dict) -> BookingRule:
    """Save the default rule of every space of this kind; district admins only."""
    if not may_edit_kind_rules(actor):
        raise NotFound()
    return _rule_save(actor=actor, data=data, current=rules.rule_for_kind(kind), kind=kind)


@transaction.atomic
def closed_date_remove(*, actor, closed: ClosedDate) -> None:
    """Open a closed date again (the weekly hours apply once more)."""
    if not access.covers(actor, closed.center.region, roles=access.MANAGERS):
        raise NotFound()
    center, day = closed.center, closed.date
    closed.delete()
    audit.record(actor, "closed_date.remove", center, {"date": day.isoformat()})


def bookings_export(*, actor, filters: dict, described: dict) -> bytes:
    """The bookings of the staff list's filters (`filters`: the keyword arguments of
    selectors.bookings_for_staff) as an .xlsx file. Who exported which filter
    (`described`: the filters as plain values) and how many rows is audited."""
    bookings = list(selectors.bookings_for_staff(actor, **filters))
    audit.record(
        actor,
        "booking.export",
        filters.get("center") or actor,
        {**described, "rows": len(bookings)},
    )
    return exports.bookings_workbook(bookings)
