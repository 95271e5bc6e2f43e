"""Reads of the back office's activity pages and endpoints (the pages themselves read no
model): the form's choices, an activity's counts and check-ins, a session's sign-in sheet,
exhibition visitors by day. Everything is scoped through people/access.py or reached from
an activity the caller already read through `selectors.activity_for_staff`."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate

from dangqun.core.errors import NotFound
from dangqun.people import access
from dangqun.places import selectors as places

from . import selectors
from .models import Activity, ActivitySession, CheckIn, ExhibitionDay, Registration

Status = Registration.Status


def form_choices(user, activity: Activity | None = None) -> dict:
    """What the activity form offers: the user's bookable spaces (and the activity's own),
    the user's centers, every region (for "open to the people of")."""
    bookable = Q(is_bookable=True)
    if activity is not None and activity.space_id:
        bookable |= Q(pk=activity.space_id)
    spaces = access.scope(user, places.spaces().filter(bookable), roles=access.MANAGERS).order_by(
        "center__name", "name"
    )
    return {
        "spaces": spaces,
        "centers": access.centers_for_staff(user).order_by("name"),
        "regions": places.regions(),
    }


def space_for_staff(user, pk) -> object | None:
    """A space the user runs (for an activity's venue), or None."""
    space = places.space_by_id(pk)
    if space is None or not access.covers(user, space.center.region, roles=access.MANAGERS):
        return None
    return space


def one(activity: Activity) -> QuerySet:
    """The activity as a queryset, for the figures that take several."""
    return Activity.objects.filter(pk=activity.pk)


def sessions_with_check_ins(activity: Activity) -> list[ActivitySession]:
    return list(activity.sessions.annotate(checked_in=Count("check_ins")))


def registration_counts(activity: Activity) -> dict:
    by_status = dict(
        activity.registrations.values_list("status").annotate(n=Count("id")).order_by()
    )
    return {
        "confirmed": by_status.get(Status.CONFIRMED, 0),
        "offered": by_status.get(Status.OFFERED, 0),
        "waiting": by_status.get(Status.WAITLISTED, 0),
        "cancelled": by_status.get(Status.CANCELLED, 0) + by_status.get(Status.EXPIRED, 0),
    }


def active_registrations(activity: Activity) -> int:
    return activity.registrations.filter(status__in=Registration.ACTIVE).count()


def registration_for_staff(user, public_id, *, activity: Activity | None = None):
    lookup = {"public_id": public_id}
    if activity is not None:
        lookup["activity"] = activity
    return access.get_or_404(
        user,
        Registration.objects.select_related("activity__center__region", "person"),
        **lookup,
    )


def registration_with_check_ins(pk: int) -> Registration:
    return (
        Registration.objects.select_related("activity", "person")
        .prefetch_related("check_ins")
        .get(pk=pk)
    )


def confirmed_for_sheet(user, activity: Activity) -> QuerySet:
    return (
        selectors.registrants_for_staff(user, activity)
        .filter(status=Status.CONFIRMED)
        .select_related(None)
        .select_related("person")
    )


def check_ins_by_registration(session: ActivitySession) -> dict:
    return {
        c.registration_id: c for c in CheckIn.objects.filter(session=session).only("registration")
    }


def check_in_of(session: ActivitySession, registration: Registration) -> CheckIn | None:
    return CheckIn.objects.filter(registration=registration, session=session).first()


def check_in_loaded(pk: int) -> CheckIn:
    return (
        CheckIn.objects.select_related("session", "registration__activity", "registration__person")
        .prefetch_related("registration__check_ins")
        .get(pk=pk)
    )


def attendance_entries(activity: Activity) -> list[CheckIn]:
    return list(
        CheckIn.objects.filter(session__activity=activity)
        .select_related("session", "registration__person", "by")
        .order_by("session__start", "checked_in_at", "id")
    )


def visitor_days(activity: Activity) -> list[dict]:
    """Per day: check-ins (person-times, by the local date of the check-in), visitors counted
    by staff at the door, and the two together."""
    scanned = dict(
        CheckIn.objects.filter(session__activity=activity)
        .annotate(day=TruncDate("checked_in_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    counted = {d.date: d for d in ExhibitionDay.objects.filter(activity=activity)}
    days = sorted(set(scanned) | set(counted), reverse=True)
    return [
        {
            "date": day,
            "checked_in": scanned.get(day, 0),
            "counted": counted[day].visitors if day in counted else None,
            "total": scanned.get(day, 0) + (counted[day].visitors if day in counted else 0),
        }
        for day in days
    ]


def exhibition_days(activity: Activity) -> QuerySet:
    return ExhibitionDay.objects.filter(activity=activity).order_by("date")


def session_for_staff(user, pk) -> ActivitySession | None:
    try:
        return (
            ActivitySession.objects.filter(
                pk=int(pk), activity__in=selectors.activities_for_staff(user)
            )
            .select_related("activity__center__region")
            .first()
        )
    except (TypeError, ValueError, OverflowError):
        return None


def activities_with_sessions(user) -> QuerySet:
    return selectors.activities_for_staff(user).prefetch_related(
        Prefetch("sessions", queryset=ActivitySession.objects.order_by("start", "id"))
    )


def scoped_activities(user) -> QuerySet:
    return access.scope(user, Activity.objects.all())


def session_for_activity(activity: Activity, session_id) -> ActivitySession:
    """A session of this activity (which carries it, read once), or NotFound."""
    try:
        session = activity.sessions.filter(pk=int(session_id)).first()
    except (TypeError, ValueError, OverflowError):
        session = None
    if session is None:
        raise NotFound()
    session.activity = activity
    return session


def activity_answer(activity: Activity) -> Activity:
    """The activity as saved, with what an answer shows."""
    return (
        Activity.objects.select_related("center", "space")
        .prefetch_related("sessions")
        .get(pk=activity.pk)
    )


def registrants_in_order(user, activity: Activity, status: str | None = None) -> list:
    """Who signed up, in sign-up order, each waiting one with its place in line."""
    registrations = list(selectors.registrants_for_staff(user, activity).select_related("activity"))
    waiting = 0
    for registration in registrations:
        if registration.status == Status.WAITLISTED:
            waiting += 1
            registration.position = waiting
        else:
            registration.position = None
    return [r for r in registrations if not status or r.status == status]


def activities_in_scope(user, *, center_slug: str | None = None, street_id=None) -> QuerySet:
    """The user's activities, of one of their centers or inside one of their streets."""
    activities = scoped_activities(user)
    if center_slug:
        activities = activities.filter(center=access.center_for_staff(user, slug=center_slug))
    if street_id is not None:
        region = access.get_or_404(user, places.regions(), roles=access.MANAGERS, pk=street_id)
        activities = activities.filter(center__region__path__startswith=region.path)
    return activities


def code_used_elsewhere(user, code: str) -> bool:
    """Whether another of the user's activities has a sign-up with this short code."""
    return access.scope(user, Registration.objects.filter(short_code=code)).exists()


def check_ins_of_session(session: ActivitySession) -> QuerySet:
    return (
        CheckIn.objects.filter(session=session)
        .select_related("registration__person")
        .order_by("-checked_in_at", "-id")
    )


def check_in_at(session: ActivitySession, registration_public_id) -> CheckIn | None:
    try:
        return (
            CheckIn.objects.select_related("registration__person")
            .filter(session=session, registration__public_id=registration_public_id)
            .first()
        )
    except (ValidationError, ValueError):
        return None
