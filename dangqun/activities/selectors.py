"""Reads of activities: what residents can find, what staff run, and the figures:
person-times (every check-in of every session) and distinct people, never one scan twice."""

from datetime import date, datetime, time, timedelta
from functools import cache
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from dangqun.core import rows
from dangqun.core.errors import NotFound
from dangqun.people import access
from dangqun.people.models import PersonTag
from dangqun.places.models import Region

from . import eligibility
from .models import Activity, ActivitySession, CheckIn, ExhibitionDay, Registration


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def activities_public(
    *,
    street: Region | None = None,
    center=None,
    kind: str | None = None,
    day: date | None = None,
    person=None,
) -> list[Activity]:
    """Published activities with a session still to come (or on `day`), for `person` only
    those they may join when given."""
    now = timezone.now()
    activities = (
        Activity.objects.filter(status=Activity.Status.PUBLISHED)
        .select_related("center__region", "space", "eligible_region")
        .prefetch_related(Prefetch("sessions", queryset=ActivitySession.objects.order_by("start")))
    )
    if day is not None:
        activities = activities.filter(
            sessions__start__gte=_day_start(day),
            sessions__start__lt=_day_start(day + timedelta(days=1)),
        )
    else:
        activities = activities.filter(sessions__end__gt=now)
    if street is not None:
        activities = activities.filter(center__region__path__startswith=street.path)
    if center is not None:
        activities = activities.filter(center=center)
    if kind:
        activities = activities.filter(kind=kind)
    found = sorted(set(activities), key=lambda a: (a.sessions.all()[0].start, a.pk))
    if person is not None:
        # The person's groups and home region are read once, not once per activity (a fresh
        # copy: the caller's object keeps no cache that could go stale).
        reader = (
            get_user_model()
            .objects.select_related("home_region")
            .prefetch_related("tags")
            .get(pk=person.pk)
        )
        found = [a for a in found if eligibility.is_eligible(a, reader)]
    return found


def activities_for_counter(*, center, person, limit: int) -> list[tuple[Activity, str | None]]:
    """What the counter may sign the person up for at `center`: its published activities
    with a session to come whose sign-up is open now, except those the person holds a
    sign-up for already; each with why the person may not join it, worded for staff (None
    when they may)."""
    now = timezone.now()
    joined = set(
        Registration.objects.filter(person=person, status__in=Registration.ACTIVE).values_list(
            "activity_id", flat=True
        )
    )
    reader = (
        get_user_model()
        .objects.select_related("home_region")
        .prefetch_related("tags")
        .get(pk=person.pk)
    )
    return [
        (activity, eligibility.person_refusal(activity, reader, to_staff=True))
        for activity in activities_public(center=center)
        if activity.pk not in joined
        and activity.registration_opens <= now < activity.registration_closes
    ][:limit]


def activity_public(public_id) -> Activity:
    try:
        return (
            Activity.objects.select_related("center__region", "space", "eligible_region")
            .exclude(status=Activity.Status.DRAFT)
            .get(public_id=public_id)
        )
    except (Activity.DoesNotExist, ValidationError, ValueError):
        raise NotFound() from None


def activity_to_join(public_id) -> Activity:
    """The activity a sign-up is for: the row alone, no sessions, spaces or joins (the
    region an activity is limited to, when it is, is read only then). Read in hand-written
    SQL (core.rows): the rush of a popular activity comes through here."""
    try:
        key = rows.db_value(Activity, "public_id", UUID(str(public_id)))
    except ValueError:
        raise NotFound() from None
    activity = rows.first(Activity, _activity_to_join_sql(), [key, Activity.Status.DRAFT])
    if activity is None:
        raise NotFound()
    return activity


@cache
def _activity_to_join_sql() -> str:
    return (
        f"SELECT {rows.columns(Activity)} FROM {rows.table(Activity)} "
        "WHERE public_id = %s AND status <> %s"
    )


def activities_for_staff(user) -> QuerySet:
    return access.scope(user, Activity.objects.select_related("center", "space")).order_by(
        "-created_at"
    )


def activity_for_staff(user, public_id) -> Activity:
    return access.get_or_404(
        user, Activity.objects.select_related("center__region", "space"), public_id=public_id
    )


def registrations_of(person) -> QuerySet:
    return (
        Registration.objects.filter(person=person)
        .select_related("activity__center")
        .prefetch_related("activity__sessions")
        .order_by("-created_at")
    )


def registration_of(person, public_id) -> Registration:
    try:
        return Registration.objects.select_related("activity__center__region", "person").get(
            public_id=public_id, person=person
        )
    except (Registration.DoesNotExist, ValidationError, ValueError):
        raise NotFound() from None


def registration_for_person(activity: Activity, person) -> Registration | None:
    if not getattr(person, "is_authenticated", False):
        return None
    return Registration.objects.filter(
        activity=activity, person=person, status__in=Registration.ACTIVE
    ).first()


def registrants_for_staff(user, activity: Activity) -> QuerySet:
    return (
        access.scope(user, Registration.objects.filter(activity=activity))
        .select_related("person")
        .prefetch_related("check_ins", "person__tags")
        .order_by("created_at", "id")
    )


def waiting_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    # Those before it in (created_at, id) order, written as one index range (created_at up
    # to its own) less the ties that come after it, so a long list is not read to the end.
    # Hand-written (core.rows): every sign-up that joins the queue is answered with it.
    with rows.cursor() as cursor:
        cursor.execute(
            _waiting_position_sql(),
            [
                registration.activity_id,
                Registration.Status.WAITLISTED,
                *[rows.db_value(Registration, "created_at", registration.created_at)] * 2,
                registration.id,
            ],
        )
        return cursor.fetchone()[0] + 1


@cache
def _waiting_position_sql() -> str:
    return (
        f"SELECT COUNT(*) FROM {rows.table(Registration)} WHERE activity_id = %s "
        "AND status = %s AND created_at <= %s AND NOT (created_at = %s AND id >= %s)"
    )


def attendance(
    *, activities: QuerySet, since: date | None = None, until: date | None = None
) -> dict:
    """Person-times and distinct people over the check-ins of these activities' sessions
    (between the dates, inclusive), in total and by group tag; plus exhibition visitors
    counted by staff."""
    check_ins = CheckIn.objects.filter(session__activity__in=activities)
    days = ExhibitionDay.objects.filter(activity__in=activities)
    if since:
        check_ins = check_ins.filter(session__start__gte=_day_start(since))
        days = days.filter(date__gte=since)
    if until:
        check_ins = check_ins.filter(session__start__lt=_day_start(until + timedelta(days=1)))
        days = days.filter(date__lte=until)
    totals = check_ins.aggregate(
        person_times=Count("id"), people=Count("registration__person", distinct=True)
    )
    by_tag = {}
    for tag, label in PersonTag.Tag.choices:
        tagged = check_ins.filter(registration__person__tags__tag=tag).aggregate(
            person_times=Count("id", distinct=True),
            people=Count("registration__person", distinct=True),
        )
        by_tag[tag] = {"label": str(label), **tagged}
    counted = sum(d.visitors for d in days)
    return {
        "person_times": totals["person_times"],
        "people": totals["people"],
        "by_tag": by_tag,
        "exhibition_visitors_counted": counted,
        "sessions": ActivitySession.objects.filter(activity__in=activities).count(),
    }


def joined_among(person, activities) -> set[int]:
    """Which of these activities the person holds an active sign-up of (ids)."""
    return set(
        Registration.objects.filter(
            person=person,
            status__in=Registration.ACTIVE,
            activity__in=[a.pk for a in activities],
        ).values_list("activity_id", flat=True)
    )


def session_public(pk) -> ActivitySession | None:
    """A session by id, with its activity (the door's scan names it)."""
    try:
        return ActivitySession.objects.select_related("activity").filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def open_registrations_of(person) -> QuerySet:
    """The person's active sign-ups, with what a calendar or the counter shows."""
    return (
        registrations_of(person)
        .filter(status__in=Registration.ACTIVE)
        .select_related("activity__space")
    )
