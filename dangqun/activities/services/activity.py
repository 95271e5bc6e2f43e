"""Writes of an activity itself: publish (which books its space), set the sessions of a
draft, cancel (everyone told), copy, finish, and the daily visitors of an exhibition."""

import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangqun.bookings import services as bookings
from dangqun.core import audit, sms
from dangqun.core.errors import DomainError, ValidationFailed
from dangqun.core.numbers import whole_number
from dangqun.core.text import clean_text

from .. import queue
from ..models import Activity, ActivitySession, ExhibitionDay, Registration
from .common import require_staff as _require_staff

Status = Registration.Status
# A copy is put this many days later: at least the next day, at most two years on (the
# form, the API and the counter all ask this service, so they cannot disagree).
COPY_DAYS = (1, 730)


def _clean_sessions(sessions) -> list[tuple[datetime, datetime]]:
    cleaned = []
    for start, end in sessions or []:
        if end <= start:
            raise ValidationFailed(_("Each session must end after it starts."), field="sessions")
        cleaned.append((start, end))
    if not cleaned:
        raise ValidationFailed(_("Give at least one session."), field="sessions")
    return sorted(cleaned)


def _book_spaces(actor, activity: Activity) -> None:
    """Hold the space for every session; a taken session stops the publication."""
    for session in activity.sessions.filter(booking__isnull=True):
        try:
            session.booking = bookings.booking_create(
                actor=actor,
                space=activity.space,
                start=session.start,
                end=session.end,
                purpose=activity.title,
                headcount=min(activity.capacity, activity.space.capacity or 10**6),
            )
        except DomainError as error:
            start = timezone.localtime(session.start)
            raise ValidationFailed(
                _("The space cannot be booked for the session of %(when)s: %(why)s")
                % {"when": f"{start:%Y-%m-%d %H:%M}", "why": error.message},
                field="sessions",
            ) from None
        session.save(update_fields=["booking"])


@transaction.atomic
def activity_publish(*, actor, activity: Activity) -> Activity:
    _require_staff(actor, activity)
    if activity.status != Activity.Status.DRAFT:
        raise ValidationFailed(_("Only a draft can be published."), field="status")
    if not activity.sessions.exists():
        raise ValidationFailed(_("Give at least one session."), field="sessions")
    if activity.sessions.filter(start__lte=timezone.now()).exists():
        raise ValidationFailed(
            _("A session has already begun: change the sessions before publishing."),
            field="sessions",
        )
    if activity.venue == Activity.Venue.SPACE:
        _book_spaces(actor, activity)
    activity.status = Activity.Status.PUBLISHED
    activity.save(update_fields=["status"])
    audit.record(actor, "activity.publish", activity, {})
    queue.after_commit(queue.REMINDERS, activity.pk)
    return activity


@transaction.atomic
def activity_set_sessions(*, actor, activity: Activity, sessions) -> list[ActivitySession]:
    """Replace the sessions of a draft."""
    _require_staff(actor, activity)
    if activity.status != Activity.Status.DRAFT:
        raise ValidationFailed(
            _("Sessions of a published activity cannot be changed; cancel it and publish a copy."),
            field="sessions",
        )
    cleaned = _clean_sessions(sessions)
    activity.sessions.all().delete()
    return [ActivitySession.objects.create(activity=activity, start=s, end=e) for s, e in cleaned]


@transaction.atomic
def activity_cancel(*, actor, activity: Activity, reason: str) -> Activity:
    """Cancel, free the spaces, and tell everyone who signed up."""
    _require_staff(actor, activity)
    return cancel_and_tell(actor=actor, activity=activity, reason=reason)


def cancel_and_tell(*, actor, activity: Activity, reason: str) -> Activity:
    """The cancellation itself, once the caller has authorised the actor."""
    reason = clean_text(
        reason,
        field="reason",
        max_length=200,
        required=True,
        message=_("Say why the activity is cancelled."),
    )
    moved = Activity.objects.filter(
        pk=activity.pk, status__in=[Activity.Status.DRAFT, Activity.Status.PUBLISHED]
    ).update(status=Activity.Status.CANCELLED, waiting=0)
    if not moved:
        raise ValidationFailed(_("This activity is already cancelled or over."), field="status")
    activity.refresh_from_db()
    for session in activity.sessions.select_related("booking"):
        if session.booking and session.booking.is_active and session.booking.end > timezone.now():
            bookings.booking_cancel(
                actor=actor, booking=session.booking, reason=reason, notify=False
            )
    registrants = list(
        activity.registrations.filter(status__in=Registration.ACTIVE).select_related("person")
    )
    activity.registrations.filter(status__in=Registration.ACTIVE).update(status=Status.CANCELLED)
    for registration in registrants:
        sms.tell(
            registration.person,
            gettext_lazy("[Party-Mass Service] %(title)s is cancelled: %(reason)s. We are sorry."),
            title=activity.title,
            reason=reason,
        )
    audit.record(actor, "activity.cancel", activity, {"reason": reason, "told": len(registrants)})
    return activity


def _copy_days(days_later) -> int:
    low, high = COPY_DAYS
    return whole_number(days_later, field="days_later", low=low, high=high)


@transaction.atomic
def activity_copy(*, actor, activity: Activity, days_later: int) -> Activity:
    """A new draft like this one, every date moved by `days_later` days."""
    _require_staff(actor, activity)
    shift = timedelta(days=_copy_days(days_later))
    copy = Activity.objects.get(pk=activity.pk)
    copy.pk = copy.id = None
    copy._state.adding = True
    copy.public_id = uuid.uuid4()
    copy.status = Activity.Status.DRAFT
    copy.taken = copy.waiting = 0
    copy.created_by = actor
    copy.registration_opens += shift
    copy.registration_closes += shift
    copy.save()
    for session in activity.sessions.all():
        ActivitySession.objects.create(
            activity=copy, start=session.start + shift, end=session.end + shift
        )
    audit.record(actor, "activity.copy", copy, {"from": str(activity.public_id)})
    return copy


@transaction.atomic
def activity_finish(*, actor, activity: Activity) -> Activity:
    _require_staff(actor, activity)
    moved = Activity.objects.filter(pk=activity.pk, status=Activity.Status.PUBLISHED).update(
        status=Activity.Status.FINISHED
    )
    if not moved:
        raise ValidationFailed(_("Only a published activity can be finished."), field="status")
    activity.refresh_from_db()
    audit.record(actor, "activity.finish", activity, {})
    return activity


# --- registrations ------------------------------------------------------------------------
#
# Places and the waiting list are two counts on the activity's row, changed only under that
# row's lock: `taken`, the confirmed and offered registrations (a check constraint keeps it
# within capacity), and `waiting`, those on the waiting list. Whatever takes or frees a
# place or moves someone into or out of the queue locks that row first, the activity before
# any registration, so a sign-up and a cancellation crossing each other are put in order by
# the database: the second one sees what the first did. A sign-up is written by hand (see


@transaction.atomic
def exhibition_day_set(*, actor, activity: Activity, date, visitors) -> ExhibitionDay:
    _require_staff(actor, activity)
    if activity.kind != Activity.Kind.EXHIBITION:
        raise ValidationFailed(_("Daily visitor counts are for exhibitions."), field="activity")
    try:
        count = int(visitors)
    except (TypeError, ValueError):
        count = -1
    if count < 0:
        raise ValidationFailed(_("Enter the number of visitors (0 or more)."), field="visitors")
    if date > timezone.localdate():
        raise ValidationFailed(
            _("Visitors can be counted only for today or earlier."), field="date"
        )
    day, _created = ExhibitionDay.objects.update_or_create(
        activity=activity, date=date, defaults={"visitors": count, "entered_by": actor}
    )
    audit.record(
        actor, "exhibition_day.set", activity, {"date": date.isoformat(), "visitors": count}
    )
    return day
