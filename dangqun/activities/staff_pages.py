"""What the back office's activity pages share: the activity and session look-ups, the
check-in window, masked names, the session picker."""

from django.shortcuts import render
from django.utils import timezone

from dangqun.people import identity

from . import selectors, services
from .models import Activity, ActivitySession, Registration

Status = Registration.Status


def staff_activity(request, public_id) -> Activity:
    return selectors.activity_for_staff(request.user, public_id)


def session_of(activity: Activity, value) -> ActivitySession | None:
    try:
        return activity.sessions.filter(pk=int(value)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def is_open_for_check_in(session: ActivitySession, now=None) -> bool:
    now = now or timezone.now()
    return session.start - services.CHECK_IN_OPENS <= now < session.end


def masked_name(person) -> str:
    """王小明 -> 王**; someone without a name by their masked mobile number."""
    return identity.mask_name(person.name) or person.masked_mobile


def clock(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def pick_session_page(request, activity: Activity, title: str, url_name: str):
    sessions = list(activity.sessions.all())
    now = timezone.now()
    return render(
        request,
        "activities/staff_pick_session.html",
        {
            "activity": activity,
            "sessions": [(s, is_open_for_check_in(s, now)) for s in sessions],
            "title": title,
            "url_name": url_name,
        },
    )
