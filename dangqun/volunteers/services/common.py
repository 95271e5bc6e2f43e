"""What the volunteers' services share: who leads a team, who is in it."""

from django.utils.translation import gettext as _

from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.people import access

from ..models import Membership, Team


def is_staff_of(actor, team: Team) -> bool:
    return access.covers(actor, team.region, roles=access.MANAGERS)


def is_leader(actor, team: Team) -> bool:
    return Membership.objects.filter(
        team=team,
        person_id=getattr(actor, "pk", None),
        role=Membership.Role.LEADER,
        status=Membership.Status.ACTIVE,
    ).exists()


def require_leader(actor, team: Team) -> None:
    """A leader of the team or staff of its region; otherwise the same 404 as a missing team."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound()
    if not (is_leader(actor, team) or is_staff_of(actor, team)):
        raise NotFound()


def require_staff(actor, team: Team) -> None:
    if not is_staff_of(actor, team):
        raise NotFound()


def is_member(person, team: Team) -> bool:
    return Membership.objects.filter(
        team=team, person_id=getattr(person, "pk", None), status=Membership.Status.ACTIVE
    ).exists()


def require_member(person, team: Team, *, field: str = "person") -> None:
    if not is_member(person, team):
        raise ValidationFailed(
            _("%(name)s is not a member of %(team)s.")
            % {"name": person.name or person.masked_mobile, "team": team.name},
            field=field,
        )
