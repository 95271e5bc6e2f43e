"""The overdue notice on the real queue (django-tasks-db, as in production): submitting a
request queues its check for the day after its due date; the worker runs it once due and
the street admin is told once; a request closed in time is left alone. `dangqun
intake_overdue` does the same sweep for cron."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dangqun.intake import services, tasks
from dangqun.intake.models import ServiceRequest
from dangqun.people.models import StaffRole
from tests import factories

from .conftest import FIELDS, GOOD_VALUES


@pytest.fixture
def queue_db(django_db_serialized_rollback, transactional_db):
    """Committed rows, so on_commit work (queuing tasks, texts) runs as in production."""


@pytest.fixture
def setting(queue_db, district, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    tree = district
    item = factories.service_item(tree.xianlin_center, code="party-transfer", fields=FIELDS)
    staff = factories.staff(StaffRole.Role.CENTER_STAFF, tree.xianlin, tree.xianlin_center)
    admin = factories.staff(StaffRole.Role.STREET_ADMIN, tree.xianlin)
    return item, staff, admin


def _queued():
    return list(DBTaskResult.objects.filter(task_path=tasks.check_overdue.module_path))


def _submit(item):
    person = factories.PersonFactory()
    return services.request_submit(
        actor=person,
        person=person,
        item=item,
        channel="online",
        values=GOOD_VALUES,
        description="",
    )


def _run_worker():
    past = timezone.now() - timedelta(seconds=1)
    DBTaskResult.objects.filter(status="READY").update(run_after=past)
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def test_submission_queues_the_check_for_the_day_after_the_due_date(setting, sms_outbox):
    item, staff, admin = setting
    late, closed = _submit(item), _submit(item)
    queued = sorted(_queued(), key=lambda q: q.args_kwargs["args"])
    assert [q.args_kwargs["args"] for q in queued] == [[late.pk], [closed.pk]]
    day_after = datetime.combine(late.due_date + timedelta(days=1), time(0, 5))
    assert queued[0].run_after == timezone.make_aware(day_after)
    services.request_accept(actor=staff, request=closed)
    services.request_resolve(actor=staff, request=closed)
    ServiceRequest.objects.update(due_date=timezone.localdate() - timedelta(days=1))
    sms_outbox.clear()
    _run_worker()
    told = [text for mobile, text in sms_outbox if mobile == admin.mobile]
    assert len(told) == 1 and late.number in told[0]
    assert late.events.filter(action="overdue").count() == 1
    assert not closed.events.filter(action="overdue").exists()
    out = io.StringIO()
    call_command("intake_overdue", stdout=out)  # already told: nothing new
    assert "0" in out.getvalue() and len([m for m in sms_outbox if m[0] == admin.mobile]) == 1


def test_the_command_catches_up_without_the_worker(setting, sms_outbox):
    item, _staff, admin = setting
    request = _submit(item)
    ServiceRequest.objects.update(due_date=timezone.localdate() - timedelta(days=3))
    out = io.StringIO()
    call_command("intake_overdue", stdout=out)
    assert out.getvalue().strip().endswith("1")
    assert request.events.filter(action="overdue").count() == 1
    assert any(request.number in text for mobile, text in sms_outbox if mobile == admin.mobile)
