"""The team leader's API, under /api/v1/volunteers/lead/: the teams I lead, a team's roster
(hours, masked mobile numbers), people asking to join and the decision, tasks, shifts (open,
list with places, taken and waiting, assign a member, the desk: check in and out by the
six-character short code, close, call off), honour hours (entered with evidence as
multipart, approved by a second person), correction requests, missed check-outs, the
ledger and a leader's own correction, and the Excel files of the ledger and the roster.

A team leader is a person, not staff: the guard is the pages' one (selectors.*_for_leader:
an active leader of the team, or staff of its region), and the services check it again.
Anyone else gets the same 404 as for a team that does not exist."""

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from dangqun.accounts.auth import AUTH
from dangqun.core.attachments import CONTENT_TYPES
from dangqun.core.errors import ValidationFailed
from dangqun.core.schemas import Limit, Offset

from . import exports, rules, selectors, services
from .staff_schemas import (
    LeadAskingOut,
    LeadAssignIn,
    LeadAssignOut,
    LeadCancelIn,
    LeadCheckInOut,
    LeadCloseOut,
    LeadCodeIn,
    LeadCorrectionAnswerIn,
    LeadCorrectionOut,
    LeadDecisionIn,
    LeadEntryCorrectIn,
    LeadEntryCorrectOut,
    LeadEntryOut,
    LeadHonourDecisionIn,
    LeadHonourIn,
    LeadHonourOut,
    LeadMembershipOut,
    LeadMissedConfirmIn,
    LeadMissedConfirmOut,
    LeadMissedOut,
    LeadRosterRowOut,
    LeadShiftDeskOut,
    LeadShiftIn,
    LeadShiftOut,
    LeadTaskIn,
    LeadTaskOut,
    LeadTeamWaitingOut,
)

router = Router(tags=["volunteers (team leaders)"], auth=AUTH)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {content_type: extension for extension, content_type in CONTENT_TYPES.items()}


def file_response(description: str, *content_types: str) -> dict:
    """The OpenAPI answer of an endpoint that sends a file (of one of these types)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            200: {"description": description, "content": dict.fromkeys(content_types, binary)}
        }
    }


def xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


def _team(request, public_id: str):
    return selectors.team_for_leader(request.user, public_id)


def _member(team, public_id):
    """An active member of the team named in a body; the field's error for anyone else."""
    person = selectors.team_member(team, public_id)
    if person is None:
        raise ValidationFailed(_("Choose a member of the team from the list."), field="person")
    return person


def roster_rows(team) -> list[dict]:
    """The team's members and people asking to join, with their hours in this team and the
    star level of all their hours (as the leader's and the staff's pages show them)."""
    rows = selectors.roster(team)
    overall = selectors.overall_minutes(r.membership.person_id for r in rows)
    return [
        {
            "person": row.membership.person,
            "role": row.membership.role,
            "status": row.membership.status,
            "joined_at": timezone.localtime(row.membership.joined_at),
            "credit_minutes": row.credit,
            "honour_minutes": row.honour,
            "credit_hours": float(row.credit_hours),
            "honour_hours": float(row.honour_hours),
            "stars": rules.stars_for(overall.get(row.membership.person_id, 0)),
        }
        for row in rows
    ]


# --- teams ----------------------------------------------------------------------------------


@router.get(
    "/teams",
    response=list[LeadTeamWaitingOut],
    summary="The teams I lead (and, for staff, those of my regions), with what waits for a leader",
)
def team_list(request):
    return selectors.teams_led(request.user)


@router.get(
    "/teams/{public_id}/roster",
    response=list[LeadRosterRowOut],
    summary="The team's members with their hours in it and their stars (mobile numbers masked)",
)
def roster(request, public_id: str):
    return [row for row in roster_rows(_team(request, public_id)) if row["status"] == "active"]


@router.get(
    "/teams/{public_id}/asking",
    response=list[LeadAskingOut],
    summary="People asking to join the team, first come first",
)
def asking(request, public_id: str):
    rows = roster_rows(_team(request, public_id))
    return [
        {"person": row["person"], "asked_at": row["joined_at"]}
        for row in rows
        if row["status"] == "pending"
    ]


@router.post(
    "/teams/{public_id}/asking/{person}/decision",
    response=LeadMembershipOut,
    summary="Accept (approve true) or turn down someone who asked to join",
)
def membership_decide(request, public_id: str, person: str, payload: LeadDecisionIn):
    membership = selectors.membership_asking(_team(request, public_id), person)
    return services.membership_decide(
        actor=request.user, membership=membership, approve=payload.approve
    )


# --- tasks and shifts -------------------------------------------------------------------------


@router.get("/teams/{public_id}/tasks", response=list[LeadTaskOut], summary="The team's tasks")
def task_list(request, public_id: str):
    return selectors.tasks_of(_team(request, public_id)).select_related("team")


@router.post(
    "/teams/{public_id}/tasks",
    response={201: LeadTaskOut},
    summary="A task: what, where (a space of the team's center, or an address) and the "
    "skills wanted",
)
def task_create(request, public_id: str, payload: LeadTaskIn):
    team = _team(request, public_id)
    space = selectors.team_space(team, payload.space)
    if payload.space is not None and space is None:
        raise ValidationFailed(_("Choose a space of the team's center."), field="space")
    task = services.task_create(
        actor=request.user,
        team=team,
        title=payload.title,
        description=payload.description,
        skills=payload.skills,
        space=space,
        address=payload.address,
    )
    return Status(201, task)


@router.post(
    "/tasks/{public_id}/shifts",
    response={201: LeadShiftOut},
    summary="Open a shift of the task (start, end, places); members sign up until it starts",
)
def shift_open(request, public_id: str, payload: LeadShiftIn):
    task = selectors.task_for_leader(request.user, public_id)
    shift = services.shift_open(
        actor=request.user, task=task, start=payload.start, end=payload.end, places=payload.places
    )
    return Status(201, shift)


@router.get(
    "/teams/{public_id}/shifts",
    response=list[LeadShiftOut],
    summary="The team's shifts of the last seven days and to come, with places, taken and waiting",
)
def shift_list(request, public_id: str):
    return selectors.team_shifts(_team(request, public_id))


def _shift(request, public_id: str):
    return selectors.shift_for_leader(request.user, public_id)


@router.get(
    "/shifts/{public_id}",
    response=LeadShiftDeskOut,
    summary="A shift's desk: its sign-ups (places, then the waiting list) and check-ins",
)
def shift_desk(request, public_id: str):
    shift = _shift(request, public_id)
    return {
        "shift": shift,
        "check_in_open": selectors.shift_check_in_open(shift),
        "people": selectors.shift_desk(shift),
    }


@router.post(
    "/shifts/{public_id}/assignments",
    response={201: LeadAssignOut},
    summary="Put a member on the shift (a place, or the waiting list when it is full)",
)
def shift_assign(request, public_id: str, payload: LeadAssignIn):
    shift = _shift(request, public_id)
    person = _member(shift.task.team, payload.person)
    registration = services.shift_assign(actor=request.user, shift=shift, person=person)
    return Status(
        201,
        {"registration": registration.public_id, "person": person, "status": registration.status},
    )


@router.post(
    "/shifts/{public_id}/check-ins",
    response={200: LeadCheckInOut, 201: LeadCheckInOut},
    summary="Check a volunteer in by their short code (or personal QR code): 201 once, 200 "
    "when they were checked in already",
)
def check_in(request, public_id: str, payload: LeadCodeIn):
    shift = _shift(request, public_id)
    entry, created = services.shift_check_in(actor=request.user, shift=shift, code=payload.code)
    return Status(
        201 if created else 200,
        {
            "person": entry.registration.person,
            "checked_in_at": timezone.localtime(entry.checked_in_at),
            "checked_out_at": None,
            "created": created,
        },
    )


@router.post(
    "/shifts/{public_id}/check-outs",
    response=LeadCheckInOut,
    summary="Check a volunteer out by their short code; the hours are credited at once when "
    "they count (credited_minutes, null when none)",
)
def check_out(request, public_id: str, payload: LeadCodeIn):
    shift = _shift(request, public_id)
    entry = services.shift_check_out(actor=request.user, shift=shift, code=payload.code)
    return {
        "person": entry.registration.person,
        "checked_in_at": timezone.localtime(entry.checked_in_at),
        "checked_out_at": timezone.localtime(entry.checked_out_at),
        "credited_minutes": selectors.credited_minutes(entry),
    }


@router.post(
    "/shifts/{public_id}/close",
    response=LeadCloseOut,
    summary="Close an ended shift now: check-outs credited, missed check-outs flagged",
)
def shift_close(request, public_id: str):
    shift = _shift(request, public_id)
    flagged = services.shift_close_now(actor=request.user, shift=shift)
    return {"shift": _shift(request, public_id), "missed_check_outs": flagged}


@router.post(
    "/shifts/{public_id}/call-off",
    response=LeadShiftOut,
    summary="Call the shift off, saying why; everyone signed up is told",
)
def shift_cancel(request, public_id: str, payload: LeadCancelIn):
    shift = _shift(request, public_id)
    services.shift_cancel(actor=request.user, shift=shift, reason=payload.reason)
    return _shift(request, public_id)


# --- honour hours -----------------------------------------------------------------------------


@router.get(
    "/teams/{public_id}/honour",
    response=list[LeadHonourOut],
    summary="Honour hours waiting for approval, oldest first (may_decide: not those I entered)",
)
def honour_list(request, public_id: str):
    return selectors.honour_waiting(request.user, _team(request, public_id))


@router.post(
    "/teams/{public_id}/honour",
    response={201: LeadHonourOut},
    summary="Enter honour hours for a member (multipart: the fields, and the evidence file, a "
    "photo or a PDF); someone else approves them",
)
def honour_enter(
    request,
    public_id: str,
    payload: Form[LeadHonourIn],
    evidence: File[UploadedFile] = None,
):
    team = _team(request, public_id)
    claim = services.honour_enter(
        actor=request.user,
        team=team,
        person=_member(team, payload.person),
        day=payload.date,
        minutes=payload.minutes,
        reason=payload.reason,
        evidence=evidence,
    )
    return Status(201, claim)


@router.post(
    "/honour/{public_id}/decision",
    response=LeadHonourOut,
    summary="Approve (the hours reach the ledger) or refuse, saying why; never one's own",
)
def honour_decide(request, public_id: str, payload: LeadHonourDecisionIn):
    claim = selectors.honour_claim_for_leader(request.user, public_id)
    return services.honour_decide(
        actor=request.user, claim=claim, approve=payload.approve, note=payload.note
    )


@router.get(
    "/honour/{public_id}/evidence",
    summary="The evidence file of honour hours (a photo, or a PDF as a download)",
    openapi_extra=file_response("The evidence", *CONTENT_TYPES.values()),
)
def honour_evidence(request, public_id: str):
    claim = selectors.honour_claim_for_leader(request.user, public_id)
    extension = EXTENSIONS.get(claim.evidence_type, "bin")
    response = FileResponse(
        claim.evidence.open("rb"),
        content_type=claim.evidence_type or "application/octet-stream",
        as_attachment=extension == "pdf",
        filename=f"evidence-{claim.date:%Y%m%d}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


# --- corrections, missed check-outs, the ledger -------------------------------------------------


@router.get(
    "/teams/{public_id}/corrections",
    response=list[LeadCorrectionOut],
    summary="Corrections volunteers asked for, waiting for an answer",
)
def correction_list(request, public_id: str):
    return selectors.corrections_waiting(_team(request, public_id))


@router.post(
    "/corrections/{public_id}/answer",
    response=LeadCorrectionOut,
    summary="Accept (the entry is corrected to the minutes asked for) or refuse, saying why",
)
def correction_answer(request, public_id: str, payload: LeadCorrectionAnswerIn):
    asked = selectors.correction_for_leader(request.user, public_id)
    services.correction_answer(
        actor=request.user, request=asked, accept=payload.accept, answer=payload.answer
    )
    return selectors.correction_for_leader(request.user, public_id)


@router.get(
    "/teams/{public_id}/missed",
    response=list[LeadMissedOut],
    summary="Missed check-outs waiting for a leader to confirm",
)
def missed_list(request, public_id: str):
    return selectors.missed_waiting(_team(request, public_id))


@router.post(
    "/missed/{registration}/confirm",
    response=LeadMissedConfirmOut,
    summary="Confirm a missed check-out: when the volunteer left (the shift's end when not "
    "given); credited_minutes 0 when too short to count",
)
def missed_confirm(request, registration: str, payload: LeadMissedConfirmIn):
    missed = selectors.missed_for_leader_by_registration(request.user, registration)
    entry = services.missed_check_out_confirm(actor=request.user, missed=missed, left=payload.left)
    return {"credited_minutes": entry.minutes if entry is not None else 0}


@router.get(
    "/teams/{public_id}/ledger",
    response=list[LeadEntryOut],
    summary="The team's hours ledger, newest first (reversals are negative)",
)
def ledger(request, public_id: str, limit: Limit = 100, offset: Offset = 0):
    return selectors.team_ledger_newest(_team(request, public_id))[offset : offset + limit]


@router.post(
    "/entries/{public_id}/correction",
    response={201: LeadEntryCorrectOut},
    summary="Correct an entry: its reversal and, unless 0 minutes, its replacement, with "
    "the reason",
)
def entry_correct(request, public_id: str, payload: LeadEntryCorrectIn):
    entry = selectors.entry_for_leader(request.user, public_id)
    replacement = services.entry_correct(
        actor=request.user, entry=entry, minutes=payload.minutes, reason=payload.reason
    )
    return Status(201, {"replacement": replacement})


@router.get(
    "/teams/{public_id}/ledger.xlsx",
    summary="The team's hours ledger in Excel (audited)",
    openapi_extra=file_response("An Excel workbook", XLSX),
)
def ledger_xlsx(request, public_id: str):
    team = _team(request, public_id)
    content = exports.team_export(actor=request.user, team=team, what="ledger")
    return xlsx(content, f"hours-{team.public_id}")


@router.get(
    "/teams/{public_id}/roster.xlsx",
    summary="The team's roster with hours in Excel (audited)",
    openapi_extra=file_response("An Excel workbook", XLSX),
)
def roster_xlsx(request, public_id: str):
    team = _team(request, public_id)
    content = exports.team_export(actor=request.user, team=team, what="roster")
    return xlsx(content, f"roster-{team.public_id}")
