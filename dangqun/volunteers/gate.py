"""Who may take a place on a shift, asked by the activities' sign-up wherever it comes from
(the team's page, the activity's own page, the API, the counter): a member of the team,
with no other shift at the same time."""

from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.activities import selectors as activities

from .models import Membership, Shift

OWNER = "volunteers"


def overlapping_shift(person, shift: Shift) -> Shift | None:
    """Another shift of this person (signed up or waiting) that overlaps `shift`."""
    return (
        Shift.objects.filter(
            start__lt=shift.end,
            end__gt=shift.start,
            activity__registrations__person=person,
            activity__registrations__status__in=activities.ACTIVE_STATUSES,
        )
        .exclude(pk=shift.pk)
        .select_related("task")
        .first()
    )


def shift_refusal(activity, person) -> str | None:
    shift = Shift.objects.select_related("task__team").filter(activity=activity).first()
    if shift is None:
        return _("Sign-up is not open here.")
    team = shift.task.team
    if not Membership.objects.filter(
        team=team, person=person, status=Membership.Status.ACTIVE
    ).exists():
        return _("Only members of %(team)s can take its shifts: join the team first.") % {
            "team": team.name
        }
    other = overlapping_shift(person, shift)
    if other is not None:
        return _("You have another shift at that time: %(task)s, %(when)s.") % {
            "task": other.task.title,
            "when": f"{timezone.localtime(other.start):%m-%d %H:%M}",
        }
    return None
