"""What lapses with time in the charging room: a hold past its time, a cabinet silent
longer than the offline time. The worker's tasks (tasks.py) run these writes; nothing here
queues work, so the tasks can call them and the services can queue the tasks."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Cabinet, ChargingSession, Reservation, Slot


def hold_minutes() -> int:
    return settings.CHARGING["RESERVATION_MINUTES"]


def offline_after() -> timedelta:
    return timedelta(seconds=settings.CHARGING["OFFLINE_AFTER_SECONDS"])


def reservation_expire(*, reservation_id: int) -> bool:
    """Mark one hold expired if it is still active and past its time; True if it was."""
    now = timezone.now()
    return bool(
        Reservation.objects.filter(
            pk=reservation_id, status=Reservation.Status.ACTIVE, expires_at__lte=now
        ).update(status=Reservation.Status.EXPIRED, ended_at=now)
    )


def close_session(slot: Slot, now, energy: int | None) -> None:
    changes = {"ended_at": now}
    if energy is not None:
        changes["energy_wh"] = energy
    ChargingSession.objects.filter(slot=slot, ended_at__isnull=True).update(**changes)


@transaction.atomic
def cabinet_silence_check(*, cabinet_id: int) -> tuple[bool, datetime | None]:
    """Mark the cabinet's slots offline (closing their sessions) when it has been silent
    too long. Returns whether it did, and when to check again if reports kept coming (the
    cabinet keeps that time claimed, so no second check is queued meanwhile)."""
    now = timezone.now()
    cabinet = Cabinet.objects.select_for_update().filter(pk=cabinet_id).first()
    if cabinet is None:
        return False, None
    due = (cabinet.last_report_at or now) + offline_after()
    if due > now:
        cabinet.silence_check_at = due
        cabinet.save(update_fields=["silence_check_at"])
        return False, due
    cabinet.silence_check_at = None
    cabinet.save(update_fields=["silence_check_at"])
    for slot in cabinet.slots.exclude(state=Slot.State.OFFLINE):
        close_session(slot, cabinet.last_report_at or now, None)
    cabinet.slots.update(state=Slot.State.OFFLINE)
    return True, None
