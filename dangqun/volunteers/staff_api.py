"""Staff API of volunteers under /api/v1/staff/volunteers/: teams (set up, enrol a member by
mobile number, name leaders, the roster and its Excel file), honour hours to approve and a
ledger entry to correct (as the team's leaders may), the rewards catalogue of my centers,
redemptions and expiring points, certificates (a service certificate for a period, revoking
one, a training's certificates) and the figures of a center, a street or the district for a
period with the ledger in Excel.

For district, street and center staff (staff_endpoint), scoped like the pages: a team,
reward, certificate, person, center or region outside my regions is the same 404 as one
that does not exist."""

from datetime import date
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Status

from dangqun.accounts.auth import AUTH
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.schemas import Day, Id, Limit, Offset, Text
from dangqun.people import access
from dangqun.people import selectors as people
from dangqun.people.decorators import staff_endpoint

from . import exports, selectors, services
from .lead_api import XLSX, file_response, roster_rows, xlsx
from .staff_forms import month_bounds
from .staff_schemas import (
    LeadEntryCorrectIn,
    LeadEntryCorrectOut,
    LeadHonourDecisionIn,
    LeadHonourOut,
    LeadMembershipOut,
    LeadRosterRowOut,
    LeadTeamOut,
    VolunteerStaffCertificateIn,
    VolunteerStaffCertificateOut,
    VolunteerStaffFiguresOut,
    VolunteerStaffLeaderIn,
    VolunteerStaffMemberIn,
    VolunteerStaffPointsOut,
    VolunteerStaffRedeemIn,
    VolunteerStaffRedemptionOut,
    VolunteerStaffRevokeIn,
    VolunteerStaffRewardIn,
    VolunteerStaffRewardNewIn,
    VolunteerStaffRewardOut,
    VolunteerStaffTeamIn,
    VolunteerStaffTeamRowOut,
    VolunteerStaffTrainingIn,
)

router = Router(tags=["volunteers (staff)"], auth=AUTH)

CenterSlug = Annotated[Text, Field(max_length=50)]
Serial = Annotated[Text, Field(max_length=40)]


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    """The period asked for; this month by default (as the staff pages)."""
    first, last = month_bounds(timezone.localdate())
    start, end = start or first, end or last
    if end < start:
        raise ValidationFailed(_("The last day comes before the first."), field="end")
    return start, end


def _place(request, center: str | None, region: int | None) -> dict:
    """{"center": ...} or {"region": ...} of my regions; the widest region I see when none
    is named; 404 for one that is not mine."""
    if center:
        return {"center": access.center_for_staff(request.user, slug=center)}
    if region is not None:
        return {"region": selectors.region_for_staff(request.user, region)}
    widest = selectors.regions_for_staff(request.user).first()
    if widest is None:
        raise NotFound()
    return {"region": widest}


# --- teams ------------------------------------------------------------------------------------


@router.get(
    "/teams",
    response=list[VolunteerStaffTeamRowOut],
    summary="The teams of my regions with members, people waiting, leaders and the minutes "
    "of the period (this month by default)",
)
@staff_endpoint()
def team_list(request, start: Day | None = None, end: Day | None = None):
    start, end = _period(start, end)
    return selectors.team_rows_for_staff(request.user, start=start, end=end)


@router.post(
    "/teams",
    response={201: LeadTeamOut},
    summary="Set up a team of a center (slug) or of a region (id)",
)
@staff_endpoint()
def team_create(request, payload: VolunteerStaffTeamIn):
    owner = {}
    if payload.center:
        owner["center"] = access.center_for_staff(request.user, slug=payload.center)
    elif payload.region is not None:
        owner["region"] = selectors.region_for_staff(request.user, payload.region)
    team = services.team_create(
        actor=request.user,
        name=payload.name,
        name_en=payload.name_en,
        description=payload.description,
        join_rule=payload.join_rule,
        requires_verified=payload.requires_verified,
        is_riders_team=payload.is_riders_team,
        partner=payload.partner,
        **owner,
    )
    return Status(201, team)


def _team(request, public_id: str):
    return selectors.team_for_staff(request.user, public_id)


@router.get(
    "/teams/{public_id}/roster",
    response=list[LeadRosterRowOut],
    summary="The team's members and people asking to join, with hours and stars",
)
@staff_endpoint()
def roster(request, public_id: str):
    return roster_rows(_team(request, public_id))


@router.post(
    "/teams/{public_id}/members",
    response={201: LeadMembershipOut},
    summary="Enrol someone by their mobile number (they carry the volunteer group; verified "
    "for a team of verified volunteers)",
)
@staff_endpoint()
def member_add(request, public_id: str, payload: VolunteerStaffMemberIn):
    team = _team(request, public_id)
    person = people.signed_up_person(payload.mobile, field="mobile")
    return Status(201, services.member_add(actor=request.user, team=team, person=person))


@router.put(
    "/teams/{public_id}/leaders/{person}",
    response=LeadMembershipOut,
    summary="Make a member a leader (leader true) or a member again (false)",
)
@staff_endpoint()
def leader_set(request, public_id: str, person: str, payload: VolunteerStaffLeaderIn):
    team = _team(request, public_id)
    membership = selectors.member_for_staff(team, person)
    return services.leader_set(
        actor=request.user, team=team, person=membership.person, leader=payload.leader
    )


@router.get(
    "/teams/{public_id}/roster.xlsx",
    summary="The team's roster with hours in Excel (audited)",
    openapi_extra=file_response("An Excel workbook", XLSX),
)
@staff_endpoint()
def roster_xlsx(request, public_id: str):
    team = _team(request, public_id)
    return xlsx(exports.roster_export(actor=request.user, team=team), f"roster-{team.public_id}")


# --- honour hours and corrections, as a team's leaders may ------------------------------------


@router.get(
    "/honour",
    response=list[LeadHonourOut],
    summary="Honour hours waiting for approval in the teams of my regions, oldest first",
)
@staff_endpoint()
def honour_list(request, limit: Limit = 100, offset: Offset = 0):
    claims = list(selectors.pending_honour_for_staff(request.user)[offset : offset + limit])
    for claim in claims:
        claim.may_decide = claim.entered_by_id != request.user.pk
    return claims


@router.post(
    "/honour/{public_id}/decision",
    response=LeadHonourOut,
    summary="Approve or refuse honour hours (never those one entered oneself)",
)
@staff_endpoint()
def honour_decide(request, public_id: str, payload: LeadHonourDecisionIn):
    claim = selectors.honour_claim_for_leader(request.user, public_id)
    return services.honour_decide(
        actor=request.user, claim=claim, approve=payload.approve, note=payload.note
    )


@router.post(
    "/entries/{public_id}/correction",
    response={201: LeadEntryCorrectOut},
    summary="Correct a ledger entry: its reversal and, unless 0 minutes, its replacement",
)
@staff_endpoint()
def entry_correct(request, public_id: str, payload: LeadEntryCorrectIn):
    entry = selectors.entry_for_leader(request.user, public_id)
    replacement = services.entry_correct(
        actor=request.user, entry=entry, minutes=payload.minutes, reason=payload.reason
    )
    return Status(201, {"replacement": replacement})


# --- rewards, redemptions, points -------------------------------------------------------------


@router.get(
    "/rewards",
    response=list[VolunteerStaffRewardOut],
    summary="The rewards catalogue of my centers (of one center by its slug)",
)
@staff_endpoint()
def reward_list(request, center: CenterSlug | None = None):
    rewards = selectors.rewards_for_staff(request.user)
    if center:
        rewards = rewards.filter(center=access.center_for_staff(request.user, slug=center))
    return rewards.order_by("center__name", "points", "id")


@router.post(
    "/rewards",
    response={201: VolunteerStaffRewardOut},
    summary="Add a reward to a center's catalogue (points, stock)",
)
@staff_endpoint()
def reward_create(request, payload: VolunteerStaffRewardNewIn):
    center = access.center_for_staff(request.user, slug=payload.center)
    item = services.reward_item_save(
        actor=request.user,
        center=center,
        name=payload.name,
        name_en=payload.name_en,
        points=payload.points,
        stock=payload.stock,
        is_active=payload.offered,
    )
    return Status(201, item)


@router.put(
    "/rewards/{public_id}",
    response=VolunteerStaffRewardOut,
    summary="Change a reward (name, points, stock, offered)",
)
@staff_endpoint()
def reward_update(request, public_id: str, payload: VolunteerStaffRewardIn):
    item = selectors.reward_for_staff(request.user, public_id)
    return services.reward_item_save(
        actor=request.user,
        center=item.center,
        item=item,
        name=payload.name,
        name_en=payload.name_en,
        points=payload.points,
        stock=payload.stock,
        is_active=payload.offered,
    )


@router.get(
    "/redemptions",
    response=list[VolunteerStaffRedemptionOut],
    summary="The latest redemptions at my centers",
)
@staff_endpoint()
def redemption_list(request):
    return selectors.redemptions_for_staff(request.user)


@router.post(
    "/redemptions",
    response={201: VolunteerStaffRedemptionOut},
    summary="Give a reward for points: one from the stock, its points from the balance",
)
@staff_endpoint()
def redeem(request, payload: VolunteerStaffRedeemIn):
    item = selectors.reward_for_staff(request.user, payload.item)
    person = selectors.person_for_staff(request.user, payload.person)
    redemption = services.redeem(actor=request.user, item=item, person=person)
    redemption.balance = selectors.points_of(person)
    return Status(201, redemption)


@router.post(
    "/people/{public_id}/points/expire",
    response=VolunteerStaffPointsOut,
    summary="Expire the person's points older than the expiry period (none when points "
    "never expire)",
)
@staff_endpoint()
def points_expire(request, public_id: str):
    person = selectors.person_for_staff(request.user, public_id)
    expired = services.points_expire(person=person, actor=request.user)
    return {"person": person, "expired": expired, "balance": selectors.points_of(person)}


# --- certificates -----------------------------------------------------------------------------


@router.get(
    "/certificates",
    response=list[VolunteerStaffCertificateOut],
    summary="Certificates my centers issued, newest first (a serial, or part of one)",
)
@staff_endpoint()
def certificate_list(request, serial: Serial | None = None, limit: Limit = 100, offset: Offset = 0):
    certificates = selectors.certificates_for_staff(request.user).select_related("team", "activity")
    if serial:
        certificates = certificates.filter(serial__contains=serial.strip().upper())
    return certificates.order_by("-issued_at", "-id")[offset : offset + limit]


def _certificate(request, serial: str):
    serial = serial.strip().upper()
    if not 0 < len(serial) <= 24:
        raise NotFound()
    return selectors.certificate_for_staff(request.user, serial)


@router.post(
    "/certificates",
    response={201: VolunteerStaffCertificateOut},
    summary="Issue a volunteer service certificate of a team's member for a period, from "
    "the ledger",
)
@staff_endpoint()
def certificate_issue(request, payload: VolunteerStaffCertificateIn):
    team = _team(request, payload.team)
    certificate = services.service_certificate_issue(
        actor=request.user,
        team=team,
        person=selectors.team_person(team, payload.person),
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return Status(201, certificate)


@router.post(
    "/certificates/{serial}/revoke",
    response=VolunteerStaffCertificateOut,
    summary="Revoke a certificate, saying why (its verification page says so)",
)
@staff_endpoint()
def certificate_revoke(request, serial: str, payload: VolunteerStaffRevokeIn):
    certificate = _certificate(request, serial)
    services.certificate_revoke(actor=request.user, certificate=certificate, reason=payload.reason)
    return _certificate(request, serial)


@router.post(
    "/trainings/{public_id}/certificates",
    response=list[VolunteerStaffCertificateOut],
    summary="Issue training certificates to everyone whose attendance meets the rule (every "
    "session, or at least min_sessions); those who have one are skipped",
)
@staff_endpoint()
def training_certificates(request, public_id: str, payload: VolunteerStaffTrainingIn):
    activity = selectors.training_for_staff(request.user, public_id)
    return services.training_certificates_issue(
        actor=request.user, activity=activity, min_sessions=payload.min_sessions
    )


# --- figures and the ledger ---------------------------------------------------------------------


@router.get(
    "/figures",
    response=VolunteerStaffFiguresOut,
    summary="Volunteering of a center (slug) or a region (id; the widest of mine by default) "
    "for a period (this month by default): volunteers active, shifts held and filled, "
    "credit and honour hours, no-show rate",
)
@staff_endpoint()
def figures(
    request,
    center: CenterSlug | None = None,
    region: Id | None = None,
    start: Day | None = None,
    end: Day | None = None,
):
    place = _place(request, center, region)
    start, end = _period(start, end)
    if "center" in place:
        found = selectors.center_figures(center=place["center"], start=start, end=end)
    else:
        found = selectors.figures(region=place["region"], start=start, end=end)
    return {
        "center": place["center"].slug if "center" in place else None,
        "region": place["region"].pk if "region" in place else None,
        "start": start,
        "end": end,
        "volunteers_active": found.volunteers_active,
        "shifts": found.shifts,
        "shifts_filled": found.shifts_filled,
        "credit_minutes": found.credit_minutes,
        "honour_minutes": found.honour_minutes,
        "credit_hours": float(found.credit_hours),
        "honour_hours": float(found.honour_hours),
        "signed_up": found.signed_up,
        "no_shows": found.no_shows,
        "no_show_rate": found.no_show_rate,
    }


@router.get(
    "/ledger.xlsx",
    summary="The hours ledger of a center or a region for a period, in Excel (audited)",
    openapi_extra=file_response("An Excel workbook", XLSX),
)
@staff_endpoint()
def ledger_xlsx(
    request,
    center: CenterSlug | None = None,
    region: Id | None = None,
    start: Day | None = None,
    end: Day | None = None,
):
    place = _place(request, center, region)
    start, end = _period(start, end)
    content = exports.ledger_export(
        actor=request.user,
        title=_("Hours ledger"),
        entries=selectors.ledger_for_staff(**place, start=start, end=end),
        scope_obj=place.get("center") or place.get("region"),
        start=start,
        end=end,
    )
    return xlsx(content, f"volunteer-hours-{start:%Y%m%d}-{end:%Y%m%d}")
