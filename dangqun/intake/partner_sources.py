"""What partners delivered through one-stop intake, for the partners' figures (registered
with partners.sources from apps.ready()): requests handled, per partner, sub-brand or
brand (a brand: its sub-brands) of the item requested.

Handled: resolved, on the local date it was closed within the period. A rejected request
was closed but nothing was delivered, so it does not count. One query."""

from datetime import datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from dangqun.partners import sources

from .models import ServiceRequest, Status

_TO_GROUP = {
    sources.PARTNER: "item__partner",
    sources.SUB_BRAND: "item__sub_brand",
    sources.BRAND: "item__sub_brand__brand",
}


def delivered(*, by: str, ids, start, end):
    group = _TO_GROUP[by]
    low = timezone.make_aware(datetime.combine(start, time.min))
    high = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    rows = (
        ServiceRequest.objects.filter(
            **{f"{group}__in": ids},
            status=Status.RESOLVED,
            closed_at__gte=low,
            closed_at__lt=high,
        )
        .annotate(day=TruncDate("closed_at", tzinfo=timezone.get_current_timezone()))
        .values(group, "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        yield row[group], sources.REQUESTS, row["day"], row["n"]
