"""What partners delivered through activities, for the partners' figures (registered with
partners.sources from apps.ready()): activities held, sessions held, person-times and
distinct people, per partner, sub-brand or brand (a brand: its sub-brands).

A session is held when it began in the period, before now, and its activity is neither a
draft nor cancelled; an activity is held when one of its sessions was. Person-times are
the check-ins at held sessions (one per person and session), distinct people those
checked in at least once. Sessions and person-times count on the local date of the
session's start. Four queries, whatever the number of ids."""

from datetime import datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from dangqun.partners import sources

from .models import Activity, ActivitySession, CheckIn

_TO_GROUP = {
    sources.PARTNER: "activity__partner",
    sources.SUB_BRAND: "activity__sub_brand",
    sources.BRAND: "activity__sub_brand__brand",
}
HELD = (Activity.Status.PUBLISHED, Activity.Status.FINISHED)


def held_sessions(*, by: str, ids, start, end, now=None):
    """The held sessions of the period whose activity is under one of the ids."""
    now = now or timezone.now()
    low = timezone.make_aware(datetime.combine(start, time.min))
    high = min(timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)), now)
    return ActivitySession.objects.filter(
        **{f"{_TO_GROUP[by]}__in": ids},
        activity__status__in=HELD,
        start__gte=low,
        start__lt=high,
    )


def delivered(*, by: str, ids, start, end):
    group = _TO_GROUP[by]
    sessions = held_sessions(by=by, ids=ids, start=start, end=end)
    day = TruncDate("start", tzinfo=timezone.get_current_timezone())
    for row in sessions.annotate(day=day).values(group, "day").annotate(n=Count("id")).order_by():
        yield row[group], sources.SESSIONS, row["day"], row["n"]
    for row in sessions.values(group).annotate(n=Count("activity", distinct=True)).order_by():
        yield row[group], sources.ACTIVITIES, None, row["n"]
    check_ins = CheckIn.objects.filter(session__in=sessions.values("pk"))
    on = f"session__{group}"
    check_day = TruncDate("session__start", tzinfo=timezone.get_current_timezone())
    rows = check_ins.annotate(day=check_day).values(on, "day").annotate(n=Count("id")).order_by()
    for row in rows:
        yield row[on], sources.PERSON_TIMES, row["day"], row["n"]
    for row in (
        check_ins.values(on).annotate(n=Count("registration__person", distinct=True)).order_by()
    ):
        yield row[on], sources.PEOPLE, None, row["n"]
