"""The one-time overdue notice: when an open request is past its due date, the street admins
of its center are told once (by the worker's task for each request, or by the sweep of
`dangqun intake_overdue`). The request services schedule the check through tasks.py; the
tasks call these functions (re-exported by services.py)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from dangqun.core import sms

from . import selectors
from .models import OPEN_STATUSES, RequestEvent, ServiceRequest


def _unnotified_overdue(today: date):
    return ServiceRequest.objects.filter(
        status__in=OPEN_STATUSES, due_date__lt=today, overdue_notified_at__isnull=True
    )


def request_notify_overdue(*, request_id: int, today: date | None = None) -> bool:
    """Tell the street admin once that an open request is past its due date. Returns
    whether this call told them (a second call, or a request closed in time, does not)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        claimed = (
            _unnotified_overdue(today)
            .filter(pk=request_id)
            .update(overdue_notified_at=timezone.now())
        )
        if not claimed:
            return False
        request = ServiceRequest.objects.select_related("center__region", "item").get(pk=request_id)
        admins = selectors.street_admins_for(request.center)
        RequestEvent.objects.create(
            request=request,
            action=RequestEvent.Action.OVERDUE,
            status=request.status,
            actor=None,
            data={"told": len(admins)},
        )
        for admin in admins:
            sms.tell(
                admin,
                gettext_lazy(
                    "[Party-Mass Service] Request %(number)s (%(item)s) at %(center)s, %(unit)s "
                    "is overdue: it was due %(due)s."
                ),
                number=request.number,
                item=request.item.name,
                center=request.center.name,
                unit=request.unit,
                due=f"{request.due_date:%Y-%m-%d}",
            )
    return True


def overdue_sweep(*, today: date | None = None) -> int:
    """Every open request past its due date whose street admin has not been told yet."""
    today = today or timezone.localdate()
    ids = list(_unnotified_overdue(today).values_list("pk", flat=True))
    return sum(request_notify_overdue(request_id=pk, today=today) for pk in ids)
