"""Which mobile party members attended an activity, for their figures in partners
(registered with partners.mobile_read from apps.ready(); partners sits below activities).

A person attended when they were checked in at a session that began within the period
(local dates, inclusive), whatever the activity's partner."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from .models import CheckIn


def attended(*, person_ids, start, end) -> set[int]:
    low = timezone.make_aware(datetime.combine(start, time.min))
    high = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    return set(
        CheckIn.objects.filter(
            registration__person_id__in=list(person_ids),
            session__start__gte=low,
            session__start__lt=high,
        )
        .values_list("registration__person_id", flat=True)
        .distinct()
    )
