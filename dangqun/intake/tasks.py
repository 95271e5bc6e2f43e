"""Background work of one-stop intake, run by the worker (`dangqun worker`): when a
request's due date has passed and it is still open, its street admin is told, once.

Each request queues its own check for the first moment after its due date (as activities
queue their reminders); the check looks again when it runs, so a request closed in time is
left alone. `dangqun intake_overdue` runs the same check over every request (for cron, or
after a worker was down). One direction: the request services schedule the check here; the
tasks call the overdue notice (overdue.py), which imports neither."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import task

from . import overdue
from .models import ServiceRequest


@task()
def check_overdue(request_id: int) -> bool:
    return overdue.request_notify_overdue(request_id=request_id)


def schedule_overdue_check(request_id: int) -> None:
    request = ServiceRequest.objects.filter(pk=request_id).only("due_date").first()
    if request is None or request.due_date is None:
        return
    day_after = datetime.combine(request.due_date + timedelta(days=1), time(0, 5))
    check_overdue.using(run_after=timezone.make_aware(day_after)).enqueue(request_id)
