"""Figures of one-stop intake for a center or a street over a period: requests by kind,
the on-time rate, the average handling time in working days and the rating distribution.

The period selects requests by the day they were submitted (Shanghai time). On time: a
request resolved on or before its due date; the rate is over the resolved requests.
Handling time: working days from submission to resolution, counted like the deadlines
(the day of submission does not count), averaged over the resolved requests. A constant
number of queries, however many requests."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.people import access
from dangqun.places.models import Region, ServiceCenter
from dangqun.workdays.selectors import working_days_between

from .models import Kind, Rating, ServiceRequest, Status

MAX_DAYS = 3660


@dataclass
class Figures:
    scope: str
    start: date
    end: date
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_kind: list[dict] = field(default_factory=list)
    resolved: int = 0
    on_time: int = 0
    on_time_rate: Decimal | None = None
    average_working_days: Decimal | None = None
    ratings: dict[int, int] = field(default_factory=dict)
    rated: int = 0
    average_rating: Decimal | None = None


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    if end < start:
        raise ValidationFailed(_("The period must end on or after its start."), field="end")
    if (end - start).days > MAX_DAYS:
        raise ValidationFailed(_("The period may be at most ten years."), field="end")
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _round(value: Decimal, places: str = "0.1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def figures(requests: QuerySet, *, scope: str, start: date, end: date) -> Figures:
    low, high = _bounds(start, end)
    requests = requests.filter(submitted_at__gte=low, submitted_at__lt=high)
    result = Figures(scope=scope, start=start, end=end)
    kinds = dict(requests.values_list("item__kind").annotate(n=Count("id")).order_by())
    result.by_kind = [
        {"kind": kind, "label": str(label), "count": kinds.get(kind, 0)}
        for kind, label in Kind.choices
    ]
    statuses = dict(requests.values_list("status").annotate(n=Count("id")).order_by())
    result.by_status = {status: statuses.get(status, 0) for status in Status.values}
    result.total = sum(statuses.values())
    resolved = list(
        requests.filter(status=Status.RESOLVED, closed_at__isnull=False).values_list(
            "submitted_at", "closed_at", "due_date"
        )
    )
    result.resolved = len(resolved)
    if resolved:
        spans, on_time = [], 0
        for submitted, closed, due in resolved:
            first, last = timezone.localdate(submitted), timezone.localdate(closed)
            spans.append(working_days_between(first, last))
            on_time += due is None or last <= due
        result.on_time = on_time
        result.on_time_rate = _round(Decimal(on_time * 100) / len(resolved))
        result.average_working_days = _round(Decimal(sum(spans)) / len(spans))
    scores = dict(
        Rating.objects.filter(request__in=requests)
        .values_list("score")
        .annotate(n=Count("id"))
        .order_by()
    )
    result.ratings = {score: scores.get(score, 0) for score in range(1, 6)}
    result.rated = sum(result.ratings.values())
    if result.rated:
        weighted = sum(score * n for score, n in result.ratings.items())
        result.average_rating = _round(Decimal(weighted) / result.rated, "0.01")
    return result


def center_figures(user, *, center: ServiceCenter, start: date, end: date) -> Figures:
    if not access.covers(user, center.region, roles=access.MANAGERS):
        raise NotFound()
    return figures(
        ServiceRequest.objects.filter(center=center), scope=center.name, start=start, end=end
    )


def street_figures(user, *, street: Region, start: date, end: date) -> Figures:
    if not access.covers(user, street, roles=access.MANAGERS):
        raise NotFound()
    return figures(
        ServiceRequest.objects.filter(center__region__path__startswith=street.path),
        scope=street.name,
        start=start,
        end=end,
    )
