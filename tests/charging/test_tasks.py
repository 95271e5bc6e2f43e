"""The charging room's background work through the real queue and `dangqun worker`: a
report queues one silence check per cabinet, due when the cabinet would turn offline; the
worker finds it still reporting and queues itself again, or marks its slots offline and
closes open sessions. A hold queues its own expiry."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dangqun.charging import services, tasks
from dangqun.charging.models import Cabinet, ChargingSession, Reservation, Slot
from tests import factories

from .helpers import post_report, room_with_cabinet, states


@pytest.fixture
def queue_db(django_db_serialized_rollback, transactional_db):
    """Committed rows, so on_commit work (queuing tasks) runs as in production."""


@pytest.fixture
def cabinet(queue_db, district):
    _room, cabinet, secret = room_with_cabinet(district.cangqian, charging=2, swap=0)
    return cabinet, secret


def _queued(task) -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path=task.module_path, status="READY").order_by(
            "run_after"
        )
    )


def _make_due(task) -> None:
    past = timezone.now() - timedelta(seconds=1)
    DBTaskResult.objects.filter(task_path=task.module_path, status="READY").update(run_after=past)


def _run_worker() -> None:
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def test_silence_is_checked_once_per_cabinet_and_turns_slots_offline(client, cabinet, settings):
    cab, secret = cabinet
    settings.CHARGING = {**settings.CHARGING, "OFFLINE_AFTER_SECONDS": 120}
    post_report(client, cab.code, secret, {"slots": [{"number": 1, "state": "charging"}]})
    post_report(
        client,
        cab.code,
        secret,
        {"slots": [{"number": 1, "state": "charging", "energy_wh": 5}]},
        at=int(timezone.now().timestamp()) + 1,
    )
    (check,) = _queued(tasks.check_silence)  # two reports, one check
    cab.refresh_from_db()
    assert check.run_after == cab.silence_check_at
    assert check.run_after > timezone.now() + timedelta(seconds=100)

    # Due early (reports kept coming): the check queues itself for the new due time.
    _make_due(tasks.check_silence)
    _run_worker()
    (again,) = _queued(tasks.check_silence)
    assert again.run_after > timezone.now()
    assert states(cab)[1] == "charging"

    # Silent for longer than the offline time: the worker writes offline down.
    Cabinet.objects.filter(pk=cab.pk).update(last_report_at=timezone.now() - timedelta(hours=1))
    _make_due(tasks.check_silence)
    _run_worker()
    assert set(states(cab).values()) == {"offline"}
    assert ChargingSession.objects.get().ended_at is not None
    assert _queued(tasks.check_silence) == []


def test_a_hold_queues_its_expiry(cabinet):
    cab, _secret = cabinet
    rider = factories.PersonFactory()
    hold = services.reservation_create(actor=rider, slot=Slot.objects.get(cabinet=cab, number=1))
    (expiry,) = _queued(tasks.expire_hold)
    assert expiry.run_after == hold.expires_at
    now = timezone.now()
    Reservation.objects.filter(pk=hold.pk).update(
        created_at=now - timedelta(minutes=20), expires_at=now - timedelta(seconds=1)
    )
    _make_due(tasks.expire_hold)
    _run_worker()
    hold.refresh_from_db()
    assert hold.status == Reservation.Status.EXPIRED
