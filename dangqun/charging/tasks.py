"""Background work of the charging room, run by the worker (`dangqun worker`): holds that
lapse, and cabinets that stop reporting. Pages compute offline on read as well, so nothing
waits for the worker to be correct; the task writes it down and closes open sessions.

One silence check per cabinet is queued at a time (Cabinet.silence_check_at is claimed by a
conditional UPDATE when a report arrives); when it runs early because reports kept coming,
it queues itself again for the new due time."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import Cabinet, Reservation, Slot


@task()
def expire_hold(reservation_id: int) -> bool:
    from .services import reservation_expire

    return reservation_expire(reservation_id=reservation_id)


def schedule_hold_expiry(reservation_id: int) -> None:
    hold = Reservation.objects.filter(pk=reservation_id).first()
    if hold is not None:
        expire_hold.using(run_after=hold.expires_at).enqueue(reservation_id)


@task()
def check_silence(cabinet_id: int) -> bool:
    """Mark the cabinet's slots offline when it has been silent too long; True if it did."""
    from .devices import close_session
    from .services import offline_after

    now = timezone.now()
    with transaction.atomic():
        cabinet = Cabinet.objects.select_for_update().filter(pk=cabinet_id).first()
        if cabinet is None:
            return False
        due = (cabinet.last_report_at or now) + offline_after()
        if due > now:
            cabinet.silence_check_at = due
            cabinet.save(update_fields=["silence_check_at"])
            transaction.on_commit(lambda: check_silence.using(run_after=due).enqueue(cabinet_id))
            return False
        cabinet.silence_check_at = None
        cabinet.save(update_fields=["silence_check_at"])
        for slot in cabinet.slots.exclude(state=Slot.State.OFFLINE):
            close_session(slot, cabinet.last_report_at or now, None)
        cabinet.slots.update(state=Slot.State.OFFLINE)
        return True


def schedule_silence_check(cabinet_id: int) -> None:
    cabinet = Cabinet.objects.filter(pk=cabinet_id).first()
    if cabinet is not None and cabinet.silence_check_at is not None:
        check_silence.using(run_after=cabinet.silence_check_at).enqueue(cabinet_id)
