"""The worker's round of volunteers: one chain in the queue, ended shifts closed."""

from datetime import timedelta

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from dangqun.activities import services as activity_services
from dangqun.activities.models import CheckIn
from dangqun.volunteers import tasks
from dangqun.volunteers.models import HoursEntry, MissedCheckOut

# Committed rows, as the worker sees them; the built-in rows (content types, the demo
# district's regions) are restored after each test, so whatever runs next finds them.
pytestmark = pytest.mark.usefixtures("race_db")


def _queued() -> int:
    return DBTaskResult.objects.filter(
        task_path=tasks.volunteers_round.module_path, status="READY"
    ).count()


def test_round_start_queues_one_round_only():
    with transaction.atomic():
        assert tasks.round_start() is True
    with transaction.atomic():
        assert tasks.round_start() is False
    assert _queued() == 1


def test_the_round_closes_ended_shifts(crew):
    from dangqun.volunteers import services

    first, second = crew.members[:2]
    for person, leaves in ((first, True), (second, False)):
        registration = services.shift_sign_up(actor=person, shift=crew.shift)
        entry, _created = activity_services.check_in(
            actor=person,
            session=crew.shift.activity.sessions.get(),
            registration=registration,
            method="door_qr",
            check_window=False,
        )
        CheckIn.objects.filter(pk=entry.pk).update(
            checked_in_at=crew.shift.start,
            checked_out_at=crew.shift.end if leaves else None,
        )
    result = tasks.round_once(now=crew.shift.end + timedelta(minutes=1))
    assert result["closed"] == 1
    assert HoursEntry.objects.get().person == first
    assert MissedCheckOut.objects.get().person == second
    assert tasks.round_once(now=crew.shift.end + timedelta(minutes=2))["closed"] == 0
