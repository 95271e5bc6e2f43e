"""iCalendar (RFC 5545) documents of activities, through the icalendar package: one event
per session. Times carry the Asia/Shanghai zone (with its VTIMEZONE), so calendar apps show
them right wherever the phone is. Public documents describe the activity only; the private
feed of a person adds their own status and the link to their sign-up."""

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event, vText

from dangqun.core.calendars import new_calendar, to_bytes

from .models import Activity, ActivitySession, Registration

DESCRIPTION_CHARS = 1000


def location(activity: Activity) -> str:
    center = activity.center
    if activity.venue == Activity.Venue.SPACE and activity.space_id:
        return f"{center.name} · {activity.space.name} · {center.address}"
    if activity.venue == Activity.Venue.ONLINE:
        return f"{_('Online:')} {activity.online_url}"
    return activity.address


def _event(
    activity: Activity, session: ActivitySession, *, uid: str, url: str, mark: str = ""
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", activity.created_at)
    event.add("dtstart", timezone.localtime(session.start))
    event.add("dtend", timezone.localtime(session.end))
    event.add("summary", f"{activity.title} ({mark})" if mark else activity.title)
    event.add("location", vText(location(activity)))
    event.add("url", url)
    description = activity.description[:DESCRIPTION_CHARS]
    event.add("description", f"{activity.center.name}\n{description}\n{url}".strip())
    if activity.status == Activity.Status.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "TENTATIVE" if mark else "CONFIRMED")
    return event


def activities_ics(name: str, activities, *, base_url: str) -> bytes:
    """Public: every session of these activities, with no one's personal data."""
    calendar = new_calendar(name)
    for activity in activities:
        url = f"{base_url}/activities/{activity.public_id}/"
        for session in activity.sessions.all():
            uid = f"activity-{activity.public_id}-{session.pk}@dangqun"
            calendar.add_component(_event(activity, session, uid=uid, url=url))
    return to_bytes(calendar)


def registrations_ics(name: str, registrations, *, base_url: str) -> bytes:
    """Private: the sessions of one person's sign-ups, each marked with their status."""
    calendar = new_calendar(name)
    for registration in registrations:
        activity = registration.activity
        url = f"{base_url}/activities/registrations/{registration.public_id}/"
        waiting = registration.status != Registration.Status.CONFIRMED
        mark = registration.get_status_display() if waiting else ""
        for session in activity.sessions.all():
            uid = f"registration-{registration.public_id}-{session.pk}@dangqun"
            calendar.add_component(_event(activity, session, uid=uid, url=url, mark=mark))
    return to_bytes(calendar)
