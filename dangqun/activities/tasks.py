"""Background work of activities, run by the worker (`dangqun worker`, which `dangqun up`
starts): reminders before each session, and offers from the waiting list that lapse.
The services ask for this work through activities/queue.py; this module tells the queue
what to run (at import, from the app's ready()).
Tasks are queued in the database (django-tasks-db) with the time they are due; each task
checks again when it runs, so a cancelled activity or an answered offer is left alone."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django_tasks import task

from dangqun.core import sms

from . import queue, services
from .models import Activity, ActivitySession, Registration


@task()
def send_session_reminder(session_id: int) -> int:
    """Text everyone with a confirmed place; returns how many were told."""
    session = (
        ActivitySession.objects.select_related("activity")
        .filter(pk=session_id, reminded_at__isnull=True, activity__status=Activity.Status.PUBLISHED)
        .first()
    )
    if session is None or session.start <= timezone.now():
        return 0
    claimed = ActivitySession.objects.filter(pk=session.pk, reminded_at__isnull=True).update(
        reminded_at=timezone.now()
    )
    if not claimed:  # another worker got there first
        return 0
    registrations = Registration.objects.filter(
        activity=session.activity, status=Registration.Status.CONFIRMED
    ).select_related("person")
    start = timezone.localtime(session.start)
    for registration in registrations:
        person = registration.person
        with translation.override(person.language or settings.LANGUAGE_CODE):
            text = str(
                gettext_lazy(
                    "[Party-Mass Service] Reminder: %(title)s starts at %(when)s. Your check-in "
                    "code: %(code)s."
                )
            ) % {
                "title": session.activity.title,
                "when": f"{start:%m-%d %H:%M}",
                "code": registration.short_code,
            }
        sms.send(person.mobile, text)
    return len(registrations)


@task()
def expire_offer(registration_id: int) -> bool:
    return services.offer_expire(registration_id=registration_id)


def schedule_reminders(activity_id: int) -> None:
    activity = Activity.objects.get(pk=activity_id)
    now = timezone.now()
    for session in activity.sessions.filter(start__gt=now):
        due = max(now, session.start - timedelta(minutes=activity.reminder_minutes))
        send_session_reminder.using(run_after=due).enqueue(session.pk)


def schedule_offer_expiry(registration_id: int) -> None:
    offer = Registration.objects.filter(pk=registration_id).first()
    if offer is not None and offer.offered_until:
        expire_offer.using(run_after=offer.offered_until).enqueue(registration_id)


# What the services hand over after commit (activities/queue.py), registered when the app
# is ready: the services never import this module.
queue.handle(queue.REMINDERS, schedule_reminders)
queue.handle(queue.OFFER_MADE, schedule_offer_expiry)
