"""Certificates: a volunteer service certificate (志愿服务证明) for a period, computed from
the ledger by the team's center that recorded it; a training certificate for an activity
of kind training, to those whose attendance meets its rule. What a certificate says is
copied in when it is issued; its serial number opens the public verification page; staff
revoke one with a reason."""

import secrets
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.activities import selectors as activities
from dangqun.core import audit
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.numbers import whole_number
from dangqun.core.text import clean_text
from dangqun.people import access
from dangqun.people.identity import mask_name

from ..models import Certificate, HoursEntry, Team
from .common import is_member, require_leader

SERIAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud
TRAINING_KIND = "training"


def _serial(kind: str) -> str:
    """YH-V-2026-7K3M9Q2P: prefix, kind, year, 8 random characters (about 10^12 per year:
    a serial cannot be guessed)."""
    from django.conf import settings

    letter = "V" if kind == Certificate.Kind.SERVICE else "T"
    code = "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(8))
    prefix = settings.INTAKE["NUMBER_PREFIX"]
    return f"{prefix}-{letter}-{timezone.localdate().year}-{code}"


def _identity(person) -> dict:
    return {
        "name_masked": mask_name(person.name) or person.masked_mobile,
        "resident_id_masked": person.resident_id_masked,
    }


def _create(**fields) -> Certificate:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(serial=_serial(fields["kind"]), **fields)
        except IntegrityError as error:
            if "serial" not in str(error):
                raise
    raise ValidationFailed(_("Please try again."), field="serial")


def _period(start, end) -> tuple[date, date]:
    if not isinstance(start, date) or not isinstance(end, date):
        raise ValidationFailed(_("Give the first and the last day."), field="period_start")
    if end < start:
        raise ValidationFailed(_("The last day comes before the first."), field="period_end")
    if end > timezone.localdate() or start.year < 2000:
        raise ValidationFailed(_("Give a period that has passed."), field="period_end")
    return start, end


def _services(entries) -> list[dict]:
    by_task: dict[str, int] = {}
    for entry in entries.filter(kind=HoursEntry.Kind.CREDIT).select_related("shift__task"):
        title = entry.shift.task.title if entry.shift_id else str(_("Other service"))
        by_task[title] = by_task.get(title, 0) + entry.minutes
    return [{"title": t, "minutes": m} for t, m in sorted(by_task.items()) if m > 0]


@transaction.atomic
def service_certificate_issue(*, actor, team: Team, person, period_start, period_end):
    """The volunteer (for themselves) or a leader or staff (for a member) has the team's
    center certify the hours of a period, as the ledger holds them."""
    if person.pk != actor.pk:
        require_leader(actor, team)
    elif not (
        is_member(person, team) or HoursEntry.objects.filter(team=team, person=person).exists()
    ):
        raise NotFound()
    start, end = _period(period_start, period_end)
    entries = HoursEntry.objects.filter(team=team, person=person, date__range=(start, end))
    credit = entries.filter(kind=HoursEntry.Kind.CREDIT).aggregate(t=Sum("minutes"))["t"] or 0
    honour = entries.filter(kind=HoursEntry.Kind.HONOUR).aggregate(t=Sum("minutes"))["t"] or 0
    if credit + honour <= 0:
        raise ValidationFailed(_("No volunteer hours in this period."), field="period_start")
    if team.center is None:
        raise ValidationFailed(_("This team has no center to certify it."), field="team")
    certificate = _create(
        kind=Certificate.Kind.SERVICE,
        person=person,
        center=team.center,
        team=team,
        period_start=start,
        period_end=end,
        credit_minutes=credit,
        honour_minutes=honour,
        services=_services(entries),
        title=team.name,
        issued_by=actor,
        **_identity(person),
    )
    audit.record(actor, "certificate.issue", certificate, {"kind": certificate.kind})
    return certificate


def _rule_text(needed: int, total: int) -> str:
    if needed >= total:
        return _("Attended all %(total)d sessions") % {"total": total}
    return _("Attended at least %(needed)d of %(total)d sessions") % {
        "needed": needed,
        "total": total,
    }


@transaction.atomic
def training_certificates_issue(*, actor, activity, min_sessions=None) -> list[Certificate]:
    """Staff of the training's center issue a certificate to everyone whose attendance
    meets the rule (all sessions, or at least `min_sessions` of them); people who have one
    already are skipped. The rule is printed on each certificate."""
    access.require(actor, access.MANAGERS, activity.center)
    if activity.kind != TRAINING_KIND:
        raise ValidationFailed(_("Certificates are issued for trainings."), field="activity")
    counts, total = activities.attended_sessions(activity)
    if not total:
        raise ValidationFailed(_("The training has no session."), field="activity")
    needed = (
        total
        if min_sessions in (None, "")
        else whole_number(min_sessions, field="min_sessions", low=1, high=total)
    )
    sessions = activities.session_days(activity)
    issued = []
    rule = _rule_text(needed, total)
    have = set(
        Certificate.objects.filter(activity=activity, revoked_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    for person, attended in counts:
        if attended < needed or person.pk in have:
            continue
        issued.append(
            _create(
                kind=Certificate.Kind.TRAINING,
                person=person,
                center=activity.center,
                activity=activity,
                period_start=sessions[0],
                period_end=sessions[-1],
                title=activity.title,
                rule=rule,
                services=[{"title": activity.title, "sessions": attended, "of": total}],
                issued_by=actor,
                **_identity(person),
            )
        )
    audit.record(actor, "certificate.issue_training", activity, {"issued": len(issued)})
    return issued


@transaction.atomic
def certificate_revoke(*, actor, certificate: Certificate, reason: str) -> Certificate:
    access.require(actor, access.MANAGERS, certificate.center)
    reason = clean_text(reason, field="reason", max_length=200, required=True)
    moved = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor, revoked_reason=reason
    )
    if not moved:
        raise ValidationFailed(_("This certificate is revoked already."), field="status")
    certificate.refresh_from_db()
    audit.record(actor, "certificate.revoke", certificate, {"reason": reason})
    return certificate


def _by_serial(serial) -> Certificate:
    serial = str(serial or "").strip().upper()
    found = (
        Certificate.objects.select_related("center__region", "person").filter(serial=serial).first()
        if 0 < len(serial) <= 24
        else None
    )
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def certificate_to_print(*, actor, serial) -> Certificate:
    """The certificate whose PDF `actor` may have: their own, or one of a center their staff
    role covers (a look at someone's personal data: audited). Anyone else: NotFound."""
    certificate = _by_serial(serial)
    if certificate.person_id == getattr(actor, "pk", None):
        return certificate
    if access.covers(actor, certificate.center.region, roles=access.MANAGERS):
        audit.record(actor, "certificate.print", certificate, {"serial": certificate.serial})
        return certificate
    raise NotFound()
