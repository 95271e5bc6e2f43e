"""Teams and their members: a team is set up by staff; a volunteer joins (at once, or once
a leader approves) and leaves; staff name the leaders."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.core import audit
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.text import clean_text
from dangqun.partners.selectors import partnership_for
from dangqun.people import access
from dangqun.people import services as people_services
from dangqun.people.models import PersonTag
from dangqun.places import selectors as places

from ..models import Membership, Team
from .common import require_leader, require_staff

Status = Membership.Status


@transaction.atomic
def team_create(
    *,
    actor,
    name: str,
    region=None,
    center=None,
    name_en: str = "",
    description: str = "",
    join_rule: str = Team.JoinRule.OPEN,
    requires_verified: bool = False,
    is_riders_team: bool = False,
    partner=None,
) -> Team:
    """A team of a center (its region is the center's) or of a region; staff of it only.
    A partner's team names a partner co-building with its center(s)."""
    if center is None and region is None:
        raise ValidationFailed(_("Choose the center or the region of the team."), field="center")
    region = center.region if center is not None else region
    access.require(actor, access.MANAGERS, center or region)
    if join_rule not in Team.JoinRule.values:
        raise ValidationFailed(_("Choose from the list."), field="join_rule")
    centers = [center] if center is not None else places.centers_within(region)
    partner, _sub_brand = partnership_for(centers, partner=partner)
    team = Team.objects.create(
        partner=partner,
        name=clean_text(name, field="name", max_length=120, required=True),
        name_en=clean_text(name_en, field="name_en", max_length=120),
        description=clean_text(description, field="description", max_length=2000, multiline=True),
        region=region,
        center=center,
        join_rule=join_rule,
        requires_verified=bool(requires_verified),
        is_riders_team=bool(is_riders_team),
        created_by=actor,
    )
    audit.record(actor, "volunteer_team.create", team, {"name": team.name})
    return team


def _volunteer_tag(person, team: Team) -> None:
    tag = PersonTag.objects.filter(person=person, tag=PersonTag.Tag.VOLUNTEER).first()
    if tag is None:
        raise ValidationFailed(
            _("Register as a volunteer first (tick the box, or add the group on your profile)."),
            field="volunteer",
        )
    if team.requires_verified and tag.verified_at is None:
        raise ValidationFailed(
            _(
                "This team takes volunteers whom staff have verified: ask at your center "
                "to verify your volunteer registration."
            ),
            field="volunteer",
        )


@transaction.atomic
def team_join(*, actor, team: Team, register: bool = False) -> Membership:
    """The person joins: a member at once when the team is open, else waiting for a leader.
    With `register`, they first declare the volunteer group (the box "I register as a
    volunteer"): both or neither are saved."""
    if register:
        people_services.person_tag_declare(actor=actor, person=actor, tag=PersonTag.Tag.VOLUNTEER)
    _volunteer_tag(actor, team)
    status = Status.ACTIVE if team.join_rule == Team.JoinRule.OPEN else Status.PENDING
    try:
        with transaction.atomic():
            membership = Membership.objects.create(team=team, person=actor, status=status)
    except IntegrityError:
        raise ValidationFailed(_("You are in this team already."), field="team") from None
    audit.record(actor, "volunteer_team.join", membership, {"status": status})
    return membership


@transaction.atomic
def membership_decide(*, actor, membership: Membership, approve: bool) -> Membership:
    """A leader (or staff) accepts or turns down someone who asked to join."""
    require_leader(actor, membership.team)
    moved = Membership.objects.filter(pk=membership.pk, status=Status.PENDING).update(
        status=Status.ACTIVE if approve else Status.REFUSED,
        decided_by=actor,
        changed_at=timezone.now(),
    )
    if not moved:
        raise ValidationFailed(_("This request was answered already."), field="status")
    membership.refresh_from_db()
    audit.record(actor, "volunteer_team.decide", membership, {"approve": bool(approve)})
    return membership


@transaction.atomic
def team_leave(*, actor, team: Team) -> Membership:
    """The person leaves; their hours stay theirs, in the ledger."""
    membership = (
        Membership.objects.select_for_update()
        .filter(team=team, person=actor, status__in=Membership.CURRENT)
        .first()
    )
    if membership is None:
        raise NotFound()
    membership.status = Status.LEFT
    membership.save(update_fields=["status", "changed_at"])
    audit.record(actor, "volunteer_team.leave", membership, {})
    return membership


@transaction.atomic
def leader_set(*, actor, team: Team, person, leader: bool = True) -> Membership:
    """Staff make a member a leader (or a member again)."""
    require_staff(actor, team)
    membership = (
        Membership.objects.select_for_update()
        .filter(team=team, person=person, status=Status.ACTIVE)
        .first()
    )
    if membership is None:
        raise ValidationFailed(_("Only a member of the team can lead it."), field="person")
    membership.role = Membership.Role.LEADER if leader else Membership.Role.MEMBER
    membership.save(update_fields=["role", "changed_at"])
    audit.record(actor, "volunteer_team.leader", membership, {"leader": bool(leader)})
    return membership


@transaction.atomic
def member_add(*, actor, team: Team, person, role: str = Membership.Role.MEMBER) -> Membership:
    """Staff enrol someone who registered at the counter (or the demo, its first members)."""
    require_staff(actor, team)
    _volunteer_tag(person, team)
    # Someone who asked to join an approval team is waiting already: enrolling them is
    # the approval (a second current membership would break the one-per-person rule).
    membership = (
        Membership.objects.select_for_update()
        .filter(team=team, person=person, status__in=Membership.CURRENT)
        .first()
    )
    if membership is not None and membership.status == Status.ACTIVE:
        return membership
    if membership is not None:
        membership.status, membership.decided_by = Status.ACTIVE, actor
        membership.save(update_fields=["status", "decided_by", "changed_at"])
    else:
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    team=team, person=person, status=Status.ACTIVE, role=role, decided_by=actor
                )
        except IntegrityError:  # enrolled, or asked to join, at this very moment
            raise ValidationFailed(_("Please try again."), field="person") from None
    audit.record(actor, "volunteer_team.add", membership, {"role": membership.role})
    return membership


@transaction.atomic
def riders_team_set(*, actor, join: bool) -> Membership | None:
    """A rider's tick "I join the rider volunteer team" on the riders' page: registers them
    as a volunteer and joins the riders' team (or, unticked, leaves it)."""
    team = Team.objects.filter(is_riders_team=True).first()
    current = (
        Membership.objects.filter(team=team, person=actor, status__in=Membership.CURRENT).first()
        if team is not None
        else None
    )
    if join and current is None:
        if team is None:
            raise ValidationFailed(
                _("The riders' volunteer team is not set up yet: ask at the riders' center."),
                field="volunteer",
            )
        people_services.person_tag_declare(actor=actor, person=actor, tag=PersonTag.Tag.VOLUNTEER)
        return team_join(actor=actor, team=team)
    if not join and current is not None:
        return team_leave(actor=actor, team=team)
    return current
