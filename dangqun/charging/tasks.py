"""Background work of the charging room, run by the worker (`dangqun worker`): holds that
lapse, and cabinets that stop reporting. Pages compute offline on read as well, so nothing
waits for the worker to be correct; the task writes it down and closes open sessions.

One silence check per cabinet is queued at a time (Cabinet.silence_check_at is claimed by a
conditional UPDATE when a report arrives); when it runs early because reports kept coming,
it queues itself again for the new due time.

The tasks call the writes of lapses.py; services and device reports queue the tasks
through the schedule_* functions here (one direction: nothing below imports this module)."""

from django.db import transaction
from django_tasks import task

from . import lapses
from .models import Cabinet, Reservation


@task()
def expire_hold(reservation_id: int) -> bool:
    return lapses.reservation_expire(reservation_id=reservation_id)


def schedule_hold_expiry(reservation_id: int) -> None:
    hold = Reservation.objects.filter(pk=reservation_id).first()
    if hold is not None:
        expire_hold.using(run_after=hold.expires_at).enqueue(reservation_id)


@task()
def check_silence(cabinet_id: int) -> bool:
    """Mark the cabinet's slots offline when it has been silent too long; True if it did."""
    offline, again_at = lapses.cabinet_silence_check(cabinet_id=cabinet_id)
    if again_at is not None:
        transaction.on_commit(lambda: check_silence.using(run_after=again_at).enqueue(cabinet_id))
    return offline


def schedule_silence_check(cabinet_id: int) -> None:
    cabinet = Cabinet.objects.filter(pk=cabinet_id).first()
    if cabinet is not None and cabinet.silence_check_at is not None:
        check_silence.using(run_after=cabinet.silence_check_at).enqueue(cabinet_id)
