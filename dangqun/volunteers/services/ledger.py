"""The hours ledger: append-only. Credit hours come from a shift's check-in and check-out
(the overlap of the attendance with the shift, counted only from a minimum share of it);
honour hours are entered with a reason and evidence and approved by a second person; a
correction reverses an entry and writes its replacement, with who and why. Every entry
earns (or takes back) its points in the same transaction (services.points)."""

import contextlib
from datetime import date, datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.activities import selectors as activities
from dangqun.core import audit
from dangqun.core.attachments import checked_attachment
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.numbers import whole_number
from dangqun.core.text import clean_text

from .. import rules
from ..models import (
    CorrectionRequest,
    HonourClaim,
    HoursEntry,
    MissedCheckOut,
    Shift,
    Team,
    evidence_storage,
)
from .common import is_leader, is_staff_of, require_leader, require_member
from .points import points_for_entry

Kind, Source = HoursEntry.Kind, HoursEntry.Source
DAY_MINUTES = 24 * 60


def attended_minutes(shift: Shift, arrived: datetime, left: datetime) -> int:
    """Minutes of the shift the volunteer was there; 0 below the minimum share."""
    start, end = max(shift.start, arrived), min(shift.end, left)
    minutes = int(max(0, (end - start).total_seconds()) // 60)
    return minutes if minutes >= shift.minutes * rules.credit_min_share() else 0


def _write(**fields) -> HoursEntry:
    entry = HoursEntry(**fields)
    entry.save()
    points_for_entry(entry)
    return entry


def _day_of(shift: Shift) -> date:
    return timezone.localtime(shift.start).date()


@transaction.atomic  # the entry and its points together; the points lock the account
def credit_check_in(*, shift: Shift, check_in, left: datetime | None = None, by=None):
    """Credit hours for one checked-out attendance (or, with `left` and `by`, one a leader
    confirmed after a missed check-out). Counted once: a second call finds the entry."""
    if HoursEntry.objects.filter(check_in=check_in).exists():
        return None
    left = left or check_in.checked_out_at
    minutes = attended_minutes(shift, check_in.checked_in_at, left)
    if not minutes:
        return None
    return _write(
        person=check_in.registration.person,
        team=shift.task.team,
        kind=Kind.CREDIT,
        source=Source.MISSED_CHECK_OUT if by else Source.ATTENDANCE,
        minutes=minutes,
        date=_day_of(shift),
        shift=shift,
        check_in=check_in,
        entered_by=by,
    )


@transaction.atomic
def shift_close(*, shift: Shift) -> int:
    """After the shift: every check-out credited, every missed check-out flagged for a
    leader. Safe to run twice. Returns how many were flagged."""
    locked = Shift.objects.select_for_update().get(pk=shift.pk)
    if locked.credited_at is not None:
        return 0
    flagged = 0
    for check_in in activities.check_ins_of(shift.activity):
        if check_in.checked_out_at is not None:
            credit_check_in(shift=shift, check_in=check_in)
        else:
            MissedCheckOut.objects.get_or_create(
                shift=shift, check_in=check_in, defaults={"person": check_in.registration.person}
            )
            flagged += 1
    locked.credited_at = timezone.now()
    locked.save(update_fields=["credited_at"])
    return flagged


@transaction.atomic
def shift_close_now(*, actor, shift: Shift, now=None) -> int:
    """A leader closes an ended shift without waiting for the worker's round: the same
    close (check-outs credited, missed check-outs flagged). Returns how many were flagged."""
    require_leader(actor, shift.task.team)
    if shift.end > (now or timezone.now()):
        raise ValidationFailed(_("A shift is closed once it has ended."), field="shift")
    if Shift.objects.select_for_update().get(pk=shift.pk).credited_at is not None:
        raise ValidationFailed(_("This shift was closed already."), field="status")
    flagged = shift_close(shift=shift)
    audit.record(actor, "volunteer_shift.close", shift, {"flagged": flagged})
    return flagged


def shifts_close(*, now=None) -> int:
    """The worker's round: close the shifts that have ended."""
    now = now or timezone.now()
    closed = 0
    for shift in Shift.objects.filter(end__lte=now, credited_at__isnull=True).select_related(
        "task__team", "activity"
    ):
        shift_close(shift=shift)
        closed += 1
    return closed


@transaction.atomic
def missed_check_out_confirm(*, actor, missed: MissedCheckOut, left: datetime | None = None):
    """A leader confirms when the volunteer left (the shift's end when not given)."""
    shift = missed.shift
    require_leader(actor, shift.task.team)
    current = MissedCheckOut.objects.select_for_update().get(pk=missed.pk)
    if current.status != MissedCheckOut.Status.OPEN:
        raise ValidationFailed(_("This was confirmed already."), field="status")
    check_in = activities.check_in_by_pk(current.check_in_id)
    left = left or shift.end
    if not check_in.checked_in_at <= left <= shift.end:
        raise ValidationFailed(
            _("Give a time between the check-in and the end of the shift."), field="left"
        )
    entry = credit_check_in(shift=shift, check_in=check_in, left=left, by=actor)
    current.status = MissedCheckOut.Status.CONFIRMED
    current.decided_by, current.decided_at = actor, timezone.now()
    current.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(actor, "volunteer_hours.confirm_missed", current, {"left": left.isoformat()})
    return entry


def minutes_on(person, day: date) -> int:
    return (
        HoursEntry.objects.filter(person=person, date=day).aggregate(total=Sum("minutes"))["total"]
        or 0
    )


def _minutes(value, *, least: int = 1) -> int:
    """Minutes of one day: from `least` (1, or 0 where a correction may take all away)."""
    message = (
        _("Enter the minutes, from 1 to %(most)d (24 hours).")
        if least
        else _("Enter the minutes, from 0 to %(most)d (24 hours).")
    )
    return whole_number(
        value, field="minutes", low=least, high=DAY_MINUTES, message=message % {"most": DAY_MINUTES}
    )


def _within_a_day(person, day: date, minutes: int, *, field: str = "minutes") -> None:
    if minutes_on(person, day) + minutes > DAY_MINUTES:
        raise ValidationFailed(
            _("This would make more than 24 hours on %(day)s.") % {"day": day.isoformat()},
            field=field,
        )


def _past_day(day) -> date:
    if not isinstance(day, date) or day > timezone.localdate() or day.year < 2000:
        raise ValidationFailed(_("Give a day that has passed (or today)."), field="date")
    return day


def honour_enter(**kwargs) -> HonourClaim:
    """A leader or staff enter honour hours for a member: reason and evidence (a photo or a
    PDF, intake's attachment rules) required; they reach the ledger once someone else
    approves them. Keyword arguments: actor, team, person, day, minutes, reason, evidence.

    Nothing half-saved: the evidence file is written last, once everything is checked, and
    removed again if anything fails after it was begun (the disk fills up, the row or the
    audit entry cannot be written, the transaction does not commit)."""
    written: list[str] = []
    try:
        return _honour_enter(written=written, **kwargs)
    except BaseException:
        storage = evidence_storage()
        for name in written:
            with contextlib.suppress(OSError):  # never written, or the disk is gone
                storage.delete(name)
        raise


@transaction.atomic
def _honour_enter(
    *, written: list[str], actor, team: Team, person, day: date, minutes, reason: str, evidence
) -> HonourClaim:
    require_leader(actor, team)
    require_member(person, team)
    day = _past_day(day)
    minutes = _minutes(minutes)
    reason = clean_text(reason, field="reason", max_length=300, required=True)
    if not evidence:
        raise ValidationFailed(_("Attach a photo or a PDF as evidence."), field="evidence")
    extension, content_type = checked_attachment(evidence, field="evidence")
    _within_a_day(person, day, minutes)
    claim = HonourClaim(
        team=team,
        person=person,
        date=day,
        minutes=minutes,
        reason=reason,
        entered_by=actor,
        evidence_type=content_type,
    )
    evidence.seek(0)
    # Named before writing, so that a write failing half-way is removed too (the name is
    # the claim's own random id).
    written.append(claim.evidence.field.generate_filename(claim, f"evidence.{extension}"))
    claim.evidence.save(f"evidence.{extension}", evidence, save=False)
    written[-1] = claim.evidence.name
    claim.save()
    audit.record(actor, "volunteer_honour.enter", claim, {"minutes": minutes})
    return claim


@transaction.atomic
def honour_decide(*, actor, claim: HonourClaim, approve: bool, note: str = "") -> HonourClaim:
    """A second leader or staff approves (the entry is written) or refuses, saying why."""
    require_leader(actor, claim.team)
    current = HonourClaim.objects.select_for_update().get(pk=claim.pk)
    if current.entered_by_id == actor.pk:
        raise ValidationFailed(
            _("Hours you entered are approved by someone else."), field="approval"
        )
    if current.status != HonourClaim.Status.PENDING:
        raise ValidationFailed(_("This was decided already."), field="status")
    note = clean_text(note, field="note", max_length=300, required=not approve)
    if approve:
        _within_a_day(current.person, current.date, current.minutes, field="approval")
        _write(
            person=current.person,
            team=current.team,
            kind=Kind.HONOUR,
            source=Source.APPROVAL,
            minutes=current.minutes,
            date=current.date,
            honour=current,
            reason=current.reason,
            entered_by=actor,
        )
    current.status = HonourClaim.Status.APPROVED if approve else HonourClaim.Status.REFUSED
    current.decided_by, current.decided_at, current.decision_note = actor, timezone.now(), note
    current.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(actor, "volunteer_honour.decide", current, {"approve": bool(approve)})
    return current


def _correctable(entry: HoursEntry) -> HoursEntry:
    current = HoursEntry.objects.select_for_update().get(pk=entry.pk)
    if current.minutes < 0 or HoursEntry.objects.filter(reverses=current).exists():
        raise ValidationFailed(_("This entry was corrected already."), field="entry")
    return current


@transaction.atomic
def entry_correct(*, actor, entry: HoursEntry, minutes, reason: str) -> HoursEntry | None:
    """A leader corrects an entry: a reversal of it and, unless the right figure is 0, its
    replacement, both naming who and why. Returns the replacement."""
    require_leader(actor, entry.team)
    reason = clean_text(reason, field="reason", max_length=300, required=True)
    right = _minutes(minutes, least=0)
    current = _correctable(entry)
    common = {"person": current.person, "team": current.team, "kind": current.kind}
    common.update(date=current.date, shift=current.shift, reason=reason, entered_by=actor)
    _write(source=Source.REVERSAL, minutes=-current.minutes, reverses=current, **common)
    replacement = None
    if right:
        _within_a_day(current.person, current.date, right)
        replacement = _write(source=Source.CORRECTION, minutes=right, replaces=current, **common)
    audit.record(actor, "volunteer_hours.correct", current, {"minutes": right, "reason": reason})
    return replacement


@transaction.atomic
def correction_request(*, actor, entry: HoursEntry, minutes, message: str) -> CorrectionRequest:
    """The volunteer asks for one of their entries to be corrected."""
    if entry.person_id != actor.pk:
        raise NotFound()
    if entry.minutes < 0:
        raise ValidationFailed(_("A reversal cannot be corrected."), field="entry")
    if HoursEntry.objects.filter(reverses=entry).exists():
        raise ValidationFailed(
            _("This entry was corrected already: ask about the entry that replaced it."),
            field="entry",
        )
    right = _minutes(minutes, least=0)
    message = clean_text(message, field="message", max_length=300, required=True)
    if CorrectionRequest.objects.filter(entry=entry, status=CorrectionRequest.Status.OPEN).exists():
        raise ValidationFailed(_("You asked already; a leader will answer."), field="entry")
    request = CorrectionRequest.objects.create(
        entry=entry, person=actor, minutes=right, message=message
    )
    audit.record(actor, "volunteer_hours.ask_correction", request, {"minutes": right})
    return request


@transaction.atomic
def correction_answer(
    *, actor, request: CorrectionRequest, accept: bool, answer: str = ""
) -> CorrectionRequest:
    """A leader answers: accepting corrects the entry to the minutes asked for."""
    require_leader(actor, request.entry.team)
    current = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != CorrectionRequest.Status.OPEN:
        raise ValidationFailed(_("This was answered already."), field="status")
    answer = clean_text(answer, field="answer", max_length=300, required=not accept)
    if accept:
        entry_correct(
            actor=actor,
            entry=current.entry,
            minutes=current.minutes,
            reason=answer or current.message,
        )
    current.status = (
        CorrectionRequest.Status.ACCEPTED if accept else CorrectionRequest.Status.REFUSED
    )
    current.answer, current.answered_by, current.answered_at = answer, actor, timezone.now()
    current.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    audit.record(actor, "volunteer_hours.answer_correction", current, {"accept": bool(accept)})
    return current


def may_decide(actor, claim: HonourClaim) -> bool:
    """Whether `actor` may approve this claim (a leader or staff, not its author)."""
    return claim.entered_by_id != getattr(actor, "pk", None) and (
        is_leader(actor, claim.team) or is_staff_of(actor, claim.team)
    )
