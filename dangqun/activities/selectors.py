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

from . import codes, eligibility
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
        Activity.objects.filter(status=Activity.Status.PUBLISHED, owner="")
        .select_related("center__region", "space", "eligible_region", "partner", "sub_brand")
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
            Activity.objects.select_related(
                "center__region", "space", "eligible_region", "partner", "sub_brand"
            )
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
    return access.scope(
        user, Activity.objects.select_related("center", "space", "partner", "sub_brand")
    ).order_by("-created_at")


def activity_for_staff(user, public_id) -> Activity:
    return access.get_or_404(
        user,
        Activity.objects.select_related("center__region", "space", "partner", "sub_brand"),
        public_id=public_id,
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


# --- for apps that run activities of their own (Activity.owner) ----------------------------


def only_session(activity: Activity) -> ActivitySession:
    """The session of a one-session activity (a volunteer shift)."""
    return ActivitySession.objects.select_related("activity").get(activity=activity)


def registration_by_code(session: ActivitySession, code: str) -> Registration | None:
    """The sign-up of `session`'s activity a check-in code names: its six-letter short code,
    or its personal QR code (the scanned address or the bare token)."""
    found = codes.registration_from_short_code(session, code)
    if found is None:
        found = codes.registration_from_token(codes.token_of_scan(code))
    if found is None or found.activity_id != session.activity_id:
        return None
    return found


def personal_check_in_token(registration: Registration) -> str:
    return codes.personal_token(registration)


def check_in_by_pk(pk) -> CheckIn | None:
    return CheckIn.objects.select_related("registration__person", "session").filter(pk=pk).first()


def check_ins_of(activity: Activity) -> list[CheckIn]:
    return list(
        CheckIn.objects.filter(session__activity=activity)
        .select_related("registration__person", "session")
        .order_by("checked_in_at", "id")
    )


def registrations_holding(activity: Activity) -> QuerySet:
    """Active sign-ups (places and the waiting list), first come first."""
    return (
        Registration.objects.filter(activity=activity, status__in=Registration.ACTIVE)
        .select_related("person")
        .order_by("created_at", "id")
    )


# The statuses of a sign-up that holds a place or a place in line.
ACTIVE_STATUSES = tuple(Registration.ACTIVE)
CheckInMethod = CheckIn.Method


def check_in_at(session: ActivitySession, registration: Registration) -> CheckIn | None:
    return CheckIn.objects.filter(session=session, registration=registration).first()


HOLDING_STATUSES = tuple(Registration.HOLDING)  # confirmed first, then offered
CONFIRMED = Registration.Status.CONFIRMED


def attended_sessions(activity: Activity) -> tuple[list[tuple[object, int]], int]:
    """[(person, sessions attended)] of the activity's people, and its number of sessions."""
    total = activity.sessions.count()
    counts = (
        CheckIn.objects.filter(session__activity=activity)
        .values("registration__person")
        .annotate(n=Count("session", distinct=True))
    )
    people = get_user_model().objects.in_bulk([row["registration__person"] for row in counts])
    return [(people[row["registration__person"]], row["n"]) for row in counts], total


def session_days(activity: Activity) -> list[date]:
    return [timezone.localtime(s.start).date() for s in activity.sessions.order_by("start")]


def show_up_counts(activity_ids) -> dict:
    """Of the confirmed sign-ups of these activities, how many checked in at least once."""
    confirmed = Registration.objects.filter(
        activity_id__in=list(activity_ids), status=Registration.Status.CONFIRMED
    )
    return {
        "confirmed": confirmed.count(),
        "came": confirmed.filter(check_ins__isnull=False).distinct().count(),
    }
