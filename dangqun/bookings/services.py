"""Writes of space booking. The overlap rule is enforced by the database (see
migrations/0002); the check here only gives a friendly answer before the insert."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangqun.core import audit, sms
from dangqun.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from dangqun.places.models import Space

from . import rules
from .models import Booking, BookingSeries, ClosedDate
from .rules import AlreadyBooked

Status = Booking.Status
MAX_WEEKS = 26


def _when(booking: Booking) -> str:
    start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
    return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"


def _tell(booking: Booking, message) -> None:
    """Send the booker a short message once the change is committed."""
    text = message % {"space": booking.space.name, "when": _when(booking)}
    mobile = booking.booker.mobile
    transaction.on_commit(lambda: sms.send(mobile, text))


def _clean_purpose(purpose: str) -> str:
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationFailed(_("Say what the space is for."), field="purpose")
    if len(purpose) > 200:
        raise ValidationFailed(_("At most %(n)d characters.") % {"n": 200}, field="purpose")
    return purpose


def _check_who_and_what(*, actor, booker, space: Space, headcount, purpose):
    """What does not depend on the date: who books, for how many, what for."""
    rule = rules.rule_for(space)
    if booker != actor and not rules.is_space_staff(actor, space):
        raise PermissionDenied(
            _("Only the center's staff may book for someone else."), field="booker"
        )
    why_not = rules.refusal(booker, space, rule)
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
    reason = (reason or "").strip()[:200]
    if not reason:
        raise ValidationFailed(_("Give the reason for rejecting."), field="reason")
    _decide(actor, booking, Status.REJECTED, reason)
    audit.record(actor, "booking.reject", booking, {"reason": reason})
    _tell(
        booking,
        gettext_lazy("[Party-Mass Service] Not approved: %(space)s, %(when)s. Reason: ") + reason,
    )
    return booking


@transaction.atomic
def booking_cancel(*, actor, booking: Booking, reason: str = "") -> Booking:
    """The booker or the space's staff cancel an active booking that has not ended."""
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
        reason=(reason or "").strip()[:200],
        decided_by=actor,
        decided_at=timezone.now(),
    )
    if not moved:
        raise ValidationFailed(
            _("This booking is not active."), field="status", code="invalid_transition"
        )
    booking.refresh_from_db()
    audit.record(actor, "booking.cancel", booking, {"by_staff": is_staff})
    _tell(booking, gettext_lazy("[Party-Mass Service] Cancelled: %(space)s, %(when)s."))
    return booking


@dataclass
class Occurrence:
    start: datetime
    end: datetime
    problem: str = ""


class SeriesConflicts(DomainError):
    """Some weeks of a recurring booking cannot be booked; nothing was saved."""

    status = 409
    code = "series_conflicts"

    def __init__(self, occurrences: list[Occurrence]):
        self.occurrences = occurrences
        bad = [o for o in occurrences if o.problem]
        super().__init__(
            _("%(n)d of the weeks cannot be booked; nothing was saved.") % {"n": len(bad)},
            field="start",
        )

    def as_dict(self) -> dict:
        return {
            **super().as_dict(),
            "conflicts": [
                {"start": o.start.isoformat(), "end": o.end.isoformat(), "problem": o.problem}
                for o in self.occurrences
                if o.problem
            ],
        }


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
            "[Party-Mass Service] Your weekly request for %(space)s from %(when)s is waiting for "
            "approval."
        )
        if needs_approval
        else gettext_lazy("[Party-Mass Service] Booked every week from %(when)s at %(space)s."),
    )
    return series


@transaction.atomic
def closed_date_add(*, actor, center, date, reason: str = "") -> ClosedDate:
    closed, created = ClosedDate.objects.get_or_create(
        center=center, date=date, defaults={"reason": (reason or "").strip()[:120]}
    )
    if not created:
        raise ValidationFailed(_("This date is closed already."), field="date")
    audit.record(actor, "closed_date.add", center, {"date": date.isoformat()})
    return closed
