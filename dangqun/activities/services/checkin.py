"""Check-in and check-out at a session, and walk-ins registered at the door."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.core import audit
from dangqun.core.errors import ValidationFailed

from ..models import ActivitySession, CheckIn, Registration

Status = Registration.Status

CHECK_IN_OPENS = timedelta(minutes=30)  # before a session starts


def within_check_in_hours(session: ActivitySession, now=None) -> None:
    now = now or timezone.now()
    if not session.start - CHECK_IN_OPENS <= now < session.end:
        raise ValidationFailed(
            _("Check-in is open from 30 minutes before the session until it ends."), field="session"
        )


@transaction.atomic
def check_in(
    *,
    actor,
    session: ActivitySession,
    registration: Registration,
    method: str,
    check_window: bool = True,
) -> tuple[CheckIn, bool]:
    """Record that the person came to the session. A second scan changes nothing."""
    if registration.activity_id != session.activity_id:
        raise ValidationFailed(_("This code belongs to another activity."), field="code")
    # The status as it is now, not as the caller read it: a sign-up cancelled a moment ago
    # does not check in (registration_cancel locks the same row).
    registration.status = (
        Registration.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=registration.pk)
    )
    if registration.status != Status.CONFIRMED:
        raise ValidationFailed(
            _("This person has no confirmed place (%(status)s).")
            % {"status": registration.get_status_display()},
            field="code",
        )
    if check_window:
        within_check_in_hours(session)
    entry, created = CheckIn.objects.get_or_create(
        registration=registration,
        session=session,
        defaults={"method": method, "by": actor if actor != registration.person else None},
    )
    if created:
        audit.record(actor, "checkin.create", entry, {"method": method})
    return entry, created


@transaction.atomic
def check_out(*, actor, entry: CheckIn) -> CheckIn:
    CheckIn.objects.filter(pk=entry.pk, checked_out_at__isnull=True).update(
        checked_out_at=timezone.now()
    )
    entry.refresh_from_db()
    return entry
