"""API of volunteers under /api/v1/volunteers/: everything the volunteer's own pages do.
Teams (list, detail, join, leave, mine), shifts (a team's open shifts and those of my
teams, a shift, signing up, cancelling before the cut-off, handing one's place to another
member and answering such an offer, checking out on leaving), my volunteering (hours by
kind and month, the star level, points and their ledger, the hours ledger with requests
for corrections, certificates) and the public check of a certificate by its serial.

Endpoints parse, authorise (the one AUTH: a Bearer token, or a session with its CSRF
token), call the same services and selectors as the pages, and render. The services hold
the rules and raise the errors answered as {code, message, field}."""

from uuid import UUID

from django.utils import timezone
from ninja import Router, Status

from dangqun.accounts.auth import AUTH, token_auth
from dangqun.activities import selectors as activities
from dangqun.core.errors import NotFound
from dangqun.core.hours import local
from dangqun.core.schemas import Id, Limit
from dangqun.core.templatetags.dq import loc
from dangqun.people.identity import mask_name
from dangqun.places import selectors as places

from . import rules, selectors, services
from .schemas import (
    CertificateCheckOut,
    CorrectionAskIn,
    MyCertificateIn,
    MyCertificateOut,
    MyCheckOutOut,
    MyCorrectionOut,
    MyHoursOut,
    MyLedgerLineOut,
    MyMembershipOut,
    MyPlaceOut,
    MyPointsOut,
    MyShiftOut,
    OpenShiftDetailOut,
    OpenShiftOut,
    SwapAnswerIn,
    SwapMemberOut,
    SwapOfferIn,
    SwapOfferOut,
    TeamJoinIn,
    VolunteerTeamDetailOut,
    VolunteerTeamOut,
    hours,
)
from .views import hours_to_go, star_name

router = Router(tags=["volunteers"])


def _anyone(request) -> bool:
    """Signed in or not: only the parts about "me" change with who asks."""
    return True


# A Bearer token is read when sent; without one the request is anonymous (or the session's).
MAYBE_SIGNED_IN = [token_auth, _anyone]
OPTIONAL_AUTH_DOC = {"security": [{"TokenAuth": []}, {}]}


def _signed_in(request):
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


# --- teams ----------------------------------------------------------------------------------


@router.get(
    "/teams",
    response=list[VolunteerTeamOut],
    summary="Volunteer teams (the riders' team first), optionally of one street or town",
)
def team_list(request, region: Id | None = None):
    region_obj = None
    if region is not None:
        region_obj = places.region_by_id(region)
        if region_obj is None:
            raise NotFound()
    return selectors.team_cards(region=region_obj)


@router.get(
    "/teams/{public_id}",
    response=VolunteerTeamDetailOut,
    auth=MAYBE_SIGNED_IN,
    openapi_extra=OPTIONAL_AUTH_DOC,
    summary="A team: who may join, its leaders, and my membership when signed in",
)
def team_detail(request, public_id: UUID):
    team = selectors.team_card(public_id)
    team.leaders = [mask_name(m.person.name) for m in selectors.team_leaders(team)]
    team.mine = selectors.membership_of(_signed_in(request), team)
    return team


@router.post(
    "/teams/{public_id}/join",
    response={201: MyMembershipOut},
    auth=AUTH,
    summary="Join the team: a member at once (open team) or waiting for a leader (approval)",
)
def team_join(request, public_id: UUID, payload: TeamJoinIn | None = None):
    team = selectors.team_card(public_id)
    register = bool(payload and payload.volunteer)
    membership = services.team_join(actor=request.user, team=team, register=register)
    membership.team = selectors.team_card(public_id)  # counted with the newcomer
    return Status(201, membership)


@router.post(
    "/teams/{public_id}/leave",
    response=MyMembershipOut,
    auth=AUTH,
    summary="Leave the team (or take back a request to join); my hours stay mine",
)
def team_leave(request, public_id: UUID):
    team = selectors.team_card(public_id)
    membership = services.team_leave(actor=request.user, team=team)
    membership.team = selectors.team_card(public_id)  # counted without them
    return membership


@router.get(
    "/me/teams",
    response=list[MyMembershipOut],
    auth=AUTH,
    summary="My teams: those I am in and those I asked to join",
)
def my_teams(request):
    memberships = selectors.memberships_of(request.user)
    cards = {
        t.pk: t for t in selectors.team_cards().filter(pk__in=[m.team_id for m in memberships])
    }
    for membership in memberships:
        membership.team = cards[membership.team_id]
    return memberships


# --- shifts ---------------------------------------------------------------------------------


def _marked(request, shifts: list) -> list:
    mine = selectors.my_shift_ids(_signed_in(request), shifts)
    for shift in shifts:
        shift.signed_up = shift.pk in mine
    return shifts


@router.get(
    "/teams/{public_id}/shifts",
    response=list[OpenShiftOut],
    auth=MAYBE_SIGNED_IN,
    openapi_extra=OPTIONAL_AUTH_DOC,
    summary="The team's shifts to come, with their places, places taken and waiting list",
)
def team_shifts(request, public_id: UUID):
    return _marked(request, selectors.upcoming_shifts(selectors.team_public(public_id)))


@router.get(
    "/me/open-shifts",
    response=list[OpenShiftOut],
    auth=AUTH,
    summary="The shifts to come of the teams I am a member of, soonest first",
)
def my_teams_shifts(request):
    return _marked(request, selectors.open_shifts_of_my_teams(request.user))


@router.get(
    "/shifts/{public_id}",
    response=OpenShiftDetailOut,
    auth=MAYBE_SIGNED_IN,
    openapi_extra=OPTIONAL_AUTH_DOC,
    summary="A shift: what, where, when, its places and the cancelling cut-off",
)
def shift_detail(request, public_id: UUID):
    return _marked(request, [selectors.shift_public(public_id)])[0]


def _place(shift, registration) -> dict:
    holding = registration.status in activities.HOLDING_STATUSES
    return {
        "shift": shift.public_id,
        "status": registration.status,
        "short_code": registration.short_code if holding else None,
        "waiting_position": activities.waiting_position(registration),
    }


@router.post(
    "/shifts/{public_id}/sign-up",
    response={201: MyPlaceOut},
    auth=AUTH,
    summary="Sign up: a place if one is free, else the waiting list (members of the team, "
    "with no other shift at that time)",
)
def shift_sign_up(request, public_id: UUID):
    shift = selectors.shift_public(public_id)
    registration = services.shift_sign_up(actor=request.user, shift=shift)
    return Status(201, _place(shift, registration))


@router.post(
    "/shifts/{public_id}/cancel",
    response=MyPlaceOut,
    auth=AUTH,
    summary="Cancel my place (until the cut-off before the start) or leave the waiting list",
)
def shift_withdraw(request, public_id: UUID):
    mine = selectors.my_shift(request.user, public_id)
    registration = services.shift_withdraw(actor=request.user, shift=mine.shift)
    return _place(mine.shift, registration)


@router.post(
    "/shifts/{public_id}/hand-over",
    response={201: SwapOfferOut},
    auth=AUTH,
    summary="Offer my confirmed place to another member; it stays mine until they accept",
)
def shift_swap(request, public_id: UUID, payload: SwapOfferIn):
    mine = selectors.my_shift(request.user, public_id)
    to_person = selectors.team_member(mine.shift.task.team, payload.to_person)
    swap = services.swap_offer(actor=request.user, shift=mine.shift, to_person=to_person)
    return Status(201, swap)


@router.post(
    "/shifts/{public_id}/check-out",
    response=MyCheckOutOut,
    auth=AUTH,
    summary="Check out as I leave (while the shift runs, and a little after its end)",
)
def shift_check_out(request, public_id: UUID):
    mine = selectors.my_shift(request.user, public_id)
    entry = services.shift_check_out_self(actor=request.user, shift=mine.shift)
    credited = selectors.credited_minutes(entry)
    return {
        "shift": mine.shift.public_id,
        "checked_in_at": local(entry.checked_in_at),
        "checked_out_at": local(entry.checked_out_at),
        "credited_hours": hours(credited) if credited is not None else None,
    }


def _my_shift(person, mine, now) -> dict:
    shift, registration, check_in = mine.shift, mine.registration, mine.check_in
    holding = registration.status in activities.HOLDING_STATUSES
    confirmed = registration.status == activities.CONFIRMED
    shift.signed_up = True
    if mine.swap is not None:
        mine.swap.shift, mine.swap.from_person = shift, person  # read already
    return {
        "shift": shift,
        "status": registration.status,
        "short_code": registration.short_code if holding else None,
        "waiting_position": activities.waiting_position(registration),
        "checked_in_at": local(check_in.checked_in_at) if check_in else None,
        "checked_out_at": local(check_in.checked_out_at) if check_in else None,
        "can_cancel": not holding or now <= shift.start - rules.cancel_cutoff(),
        "can_hand_over": confirmed and now < shift.start,
        "can_check_out": (
            check_in is not None
            and check_in.checked_out_at is None
            and services.self_check_out_open(shift, now=now)
        ),
        "handing_over_to": mine.swap,
    }


@router.get(
    "/me/shifts",
    response=list[MyShiftOut],
    auth=AUTH,
    summary="My shifts to come and under way (a place or a place in line), soonest first",
)
def my_shifts(request):
    now = timezone.now()
    return [
        _my_shift(request.user, mine, now) for mine in selectors.shifts_of(request.user, now=now)
    ]


@router.get(
    "/me/shifts/{public_id}",
    response=MyShiftOut,
    auth=AUTH,
    summary="One of my shifts: my place, my check-in code, what I may still do",
)
def my_shift(request, public_id: UUID):
    return _my_shift(request.user, selectors.my_shift(request.user, public_id), timezone.now())


@router.get(
    "/me/shifts/{public_id}/members",
    response=list[SwapMemberOut],
    auth=AUTH,
    summary="The team's other members I can hand my place on this shift to",
)
def swap_members(request, public_id: UUID):
    mine = selectors.my_shift(request.user, public_id)
    return selectors.swap_candidates(mine.shift.task.team, request.user)


@router.get(
    "/me/swaps",
    response=list[SwapOfferOut],
    auth=AUTH,
    summary="Places other members offer me, waiting for my answer",
)
def my_swaps(request):
    return selectors.swaps_offered_to(request.user)


@router.post(
    "/swaps/{public_id}/answer",
    response=SwapOfferOut,
    auth=AUTH,
    summary="Accept (the place becomes mine) or decline a place offered to me",
)
def swap_answer(request, public_id: UUID, payload: SwapAnswerIn):
    swap = selectors.swap_offered_to_me(request.user, public_id)
    accept = payload.answer == "accept"
    return services.swap_answer(actor=request.user, swap=swap, accept=accept)


# --- my volunteering ------------------------------------------------------------------------


@router.get(
    "/me/hours",
    response=MyHoursOut,
    auth=AUTH,
    summary="My hours by kind (credit 信用时, honour 荣誉时) and month, and my star level",
)
def my_hours(request):
    mine = selectors.hours_of(request.user)
    return {
        "credit_hours": hours(mine.credit),
        "honour_hours": hours(mine.honour),
        "total_hours": hours(mine.total),
        "credit_minutes": mine.credit,
        "honour_minutes": mine.honour,
        "stars": mine.stars,
        "star_name": star_name(mine.stars),
        "next_star_hours": mine.next_star,
        "hours_to_next_star": (
            float(hours_to_go(mine.total, mine.next_star)) if mine.next_star else None
        ),
        "months": [
            {
                "month": f"{row['month']:%Y-%m}",
                "credit_hours": hours(row["credit"]),
                "honour_hours": hours(row["honour"]),
            }
            for row in selectors.hours_by_month(request.user)
        ],
    }


@router.get(
    "/me/points",
    response=MyPointsOut,
    auth=AUTH,
    summary="My time-bank points: the balance and the last entries of its ledger",
)
def my_points(request, limit: Limit = 50):
    return {
        "balance": selectors.points_of(request.user),
        "entries": selectors.points_entries_of(request.user, limit=limit),
    }


@router.get(
    "/me/ledger",
    response=list[MyLedgerLineOut],
    auth=AUTH,
    summary="My hours ledger, newest first: each line with its source and my last request",
)
def my_ledger(request, limit: Limit = 50):
    return [
        {
            "public_id": line.entry.public_id,
            "date": line.entry.date,
            "kind": line.entry.kind,
            "kind_label": line.entry.get_kind_display(),
            "source": line.entry.source,
            "source_label": line.entry.get_source_display(),
            "minutes": line.entry.minutes,
            "hours": float(line.hours),
            "team": line.entry.team.public_id,
            "team_name": loc(line.entry.team),
            "shift": line.entry.shift.public_id if line.entry.shift_id else None,
            "task": line.entry.shift.task.title if line.entry.shift_id else None,
            "reason": line.entry.reason,
            "reverses": line.entry.reverses.public_id if line.entry.reverses_id else None,
            "correctable": line.correctable,
            "request": line.request,
        }
        for line in selectors.ledger_lines_of(request.user, limit=limit)
    ]


@router.post(
    "/me/ledger/{public_id}/correction",
    response={201: MyCorrectionOut},
    auth=AUTH,
    summary="Ask the team's leaders to correct one of my ledger lines",
)
def correction_request(request, public_id: UUID, payload: CorrectionAskIn):
    entry = selectors.entry_of(request.user, public_id)
    asked = services.correction_request(
        actor=request.user, entry=entry, minutes=payload.minutes, message=payload.message
    )
    return Status(201, asked)


@router.get(
    "/me/corrections",
    response=list[MyCorrectionOut],
    auth=AUTH,
    summary="My requests for corrections and their answers, newest first",
)
def my_corrections(request, limit: Limit = 50):
    return selectors.correction_requests_of(request.user)[:limit]


@router.get(
    "/me/certificates",
    response=list[MyCertificateOut],
    auth=AUTH,
    summary="My certificates: serial, period, valid or revoked, the PDF and the check page",
)
def my_certificates(request):
    return selectors.certificates_of(request.user)


@router.post(
    "/me/certificates",
    response={201: MyCertificateOut},
    auth=AUTH,
    summary="Have the team's center certify my hours of a period (a service certificate)",
)
def certificate_issue(request, payload: MyCertificateIn):
    team = selectors.team_public(payload.team)
    certificate = services.service_certificate_issue(
        actor=request.user,
        team=team,
        person=request.user,
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return Status(201, certificate)


@router.get(
    "/certificates/{serial}",
    response=CertificateCheckOut,
    summary="Check a certificate by its serial, as the public verification page does (no "
    "sign-in; the name masked)",
)
def certificate_check(request, serial: str):
    return selectors.certificate_public(serial)
