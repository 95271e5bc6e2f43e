"""The schemas of the team leader's API (lead_api.py) and the staff's API (staff_api.py) of
volunteers. Names start with "Lead" or "VolunteerStaff": the OpenAPI document names a
component after its class, and no two classes may share a name. People are shown as the
pages show them: name and masked mobile number, never the full one."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from dangqun.core.hours import local
from dangqun.core.schemas import Day, Id, Moment, MultilineText, RequiredText, Text
from dangqun.core.templatetags.dq import loc

from .models import Team
from .schemas import ShiftPlacesOut, hours

Places = Annotated[int, Field(ge=1, le=1000)]  # services.shifts.MAX_PLACES
DayMinutes = Annotated[int, Field(ge=0, le=24 * 60)]
Reason = Annotated[RequiredText, Field(max_length=300)]
Note = Annotated[Text, Field(max_length=300)]


class LeadPersonOut(Schema):
    public_id: UUID
    name: str
    mobile: str

    @staticmethod
    def resolve_mobile(obj) -> str:
        return obj.masked_mobile


# --- teams --------------------------------------------------------------------------------


class LeadTeamOut(Schema):
    public_id: UUID
    name: str
    name_en: str
    center: str | None
    region: int
    join_rule: str
    requires_verified: bool
    is_riders_team: bool
    partner: str

    @staticmethod
    def resolve_partner(obj) -> str:
        return loc(obj.partner) if obj.partner_id else ""

    @staticmethod
    def resolve_center(obj) -> str | None:
        return obj.center.slug if obj.center_id else None

    @staticmethod
    def resolve_region(obj) -> int:
        return obj.region_id


class LeadTeamWaitingOut(LeadTeamOut):
    """A team I lead, with its members and what waits for a leader."""

    members: int
    asking: int
    honour_waiting: int
    corrections_waiting: int
    missed_waiting: int


class LeadRosterRowOut(Schema):
    person: LeadPersonOut
    role: str
    status: str
    joined_at: datetime
    credit_minutes: int
    honour_minutes: int
    credit_hours: float
    honour_hours: float
    stars: int


class LeadAskingOut(Schema):
    person: LeadPersonOut
    asked_at: datetime


class LeadDecisionIn(Schema):
    approve: bool


class LeadMembershipOut(Schema):
    team: UUID
    person: LeadPersonOut
    role: str
    status: str

    @staticmethod
    def resolve_team(obj) -> UUID:
        return obj.team.public_id


# --- tasks and shifts ---------------------------------------------------------------------


class LeadTaskIn(Schema):
    title: Annotated[RequiredText, Field(max_length=120)]
    description: Annotated[MultilineText, Field(max_length=2000)] = ""
    skills: Annotated[Text, Field(max_length=200)] = ""
    space: Id | None = None
    address: Annotated[Text, Field(max_length=200)] = ""


class LeadTaskOut(Schema):
    public_id: UUID
    team: UUID
    title: str
    description: str
    skills: str
    venue: str
    center: str
    space: int | None
    address: str
    created_at: datetime

    @staticmethod
    def resolve_team(obj) -> UUID:
        return obj.team.public_id

    @staticmethod
    def resolve_center(obj) -> str:
        return obj.center.slug

    @staticmethod
    def resolve_space(obj) -> int | None:
        return obj.space_id


class LeadShiftIn(Schema):
    start: Moment
    end: Moment
    places: Places


class LeadShiftOut(ShiftPlacesOut):
    public_id: UUID
    task: UUID
    title: str
    status: str
    closed: bool

    @staticmethod
    def resolve_task(obj) -> UUID:
        return obj.task.public_id

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.task.title

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.activity.status

    @staticmethod
    def resolve_closed(obj) -> bool:
        return obj.credited_at is not None


class LeadDeskRowOut(Schema):
    """One sign-up at the shift's desk: a place (line null) or a place in line (1 = next)."""

    registration: UUID
    person: LeadPersonOut
    status: str
    line: int | None
    checked_in_at: datetime | None
    checked_out_at: datetime | None

    @staticmethod
    def resolve_registration(obj) -> UUID:
        return obj.registration.public_id

    @staticmethod
    def resolve_person(obj):
        return obj.registration.person

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.registration.status

    @staticmethod
    def resolve_checked_in_at(obj) -> datetime | None:
        return local(obj.check_in.checked_in_at) if obj.check_in else None

    @staticmethod
    def resolve_checked_out_at(obj) -> datetime | None:
        return local(obj.check_in.checked_out_at) if obj.check_in else None


class LeadShiftDeskOut(Schema):
    shift: LeadShiftOut
    check_in_open: bool
    people: list[LeadDeskRowOut]


class LeadAssignIn(Schema):
    person: UUID


class LeadAssignOut(Schema):
    registration: UUID
    person: LeadPersonOut
    status: str


class LeadCodeIn(Schema):
    """The six-character short code (or the address a personal QR code holds)."""

    code: Annotated[RequiredText, Field(max_length=400)]


class LeadCheckInOut(Schema):
    person: LeadPersonOut
    checked_in_at: datetime
    checked_out_at: datetime | None
    created: bool = False
    credited_minutes: int | None = None


class LeadCancelIn(Schema):
    reason: Reason


class LeadCloseOut(Schema):
    shift: LeadShiftOut
    missed_check_outs: int


# --- honour hours, corrections, missed check-outs, the ledger --------------------------------


class LeadHonourIn(Schema):
    """The form fields of a multipart request; the evidence is the file part `evidence`."""

    person: UUID
    date: Day
    minutes: DayMinutes
    reason: Reason


class LeadHonourOut(Schema):
    public_id: UUID
    team: UUID
    person: LeadPersonOut
    date: date
    minutes: int
    hours: float
    reason: str
    evidence_type: str
    entered_by: LeadPersonOut
    entered_at: datetime
    status: str
    decided_at: datetime | None
    decision_note: str
    may_decide: bool

    @staticmethod
    def resolve_team(obj) -> UUID:
        return obj.team.public_id

    @staticmethod
    def resolve_hours(obj) -> float:
        return hours(obj.minutes)

    @staticmethod
    def resolve_may_decide(obj) -> bool:
        return bool(getattr(obj, "may_decide", False))


class LeadHonourDecisionIn(Schema):
    approve: bool
    note: Note = ""


class LeadEntryOut(Schema):
    public_id: UUID
    person: LeadPersonOut
    kind: str
    source: str
    minutes: int
    date: date
    task: str
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_task(obj) -> str:
        return obj.shift.task.title if obj.shift_id else ""


class LeadCorrectionOut(Schema):
    public_id: UUID
    entry: LeadEntryOut
    person: LeadPersonOut
    minutes: int
    message: str
    status: str
    answer: str
    created_at: datetime


class LeadCorrectionAnswerIn(Schema):
    accept: bool
    answer: Note = ""


class LeadMissedOut(Schema):
    registration: UUID
    shift: UUID
    title: str
    person: LeadPersonOut
    checked_in_at: datetime
    shift_end: datetime

    @staticmethod
    def resolve_registration(obj) -> UUID:
        return obj.check_in.registration.public_id

    @staticmethod
    def resolve_shift(obj) -> UUID:
        return obj.shift.public_id

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.shift.task.title

    @staticmethod
    def resolve_checked_in_at(obj) -> datetime:
        return local(obj.check_in.checked_in_at)

    @staticmethod
    def resolve_shift_end(obj) -> datetime:
        return local(obj.shift.end)


class LeadMissedConfirmIn(Schema):
    """When the volunteer left (the shift's end when not given)."""

    left: Moment | None = None


class LeadMissedConfirmOut(Schema):
    credited_minutes: int


class LeadEntryCorrectIn(Schema):
    minutes: DayMinutes
    reason: Reason


class LeadEntryCorrectOut(Schema):
    replacement: LeadEntryOut | None


# --- staff ------------------------------------------------------------------------------------


class VolunteerStaffTeamIn(Schema):
    """A team of a center (its slug) or of a region (its id)."""

    name: Annotated[RequiredText, Field(max_length=120)]
    name_en: Annotated[Text, Field(max_length=120)] = ""
    description: Annotated[MultilineText, Field(max_length=2000)] = ""
    center: Annotated[Text, Field(max_length=50)] | None = None
    region: Id | None = None
    # A partner co-building with the team's center(s), by its public id (its hours count
    # for the partner).
    partner: UUID | None = None
    join_rule: Literal[tuple(Team.JoinRule.values)] = Team.JoinRule.OPEN
    requires_verified: bool = False
    is_riders_team: bool = False


class VolunteerStaffTeamRowOut(LeadTeamOut):
    members: int
    waiting: int
    period_minutes: int
    leaders: list[LeadPersonOut]

    @staticmethod
    def resolve_leaders(obj) -> list:
        return [m.person for m in obj.leaders]


class VolunteerStaffMemberIn(Schema):
    mobile: Annotated[RequiredText, Field(max_length=20)]


class VolunteerStaffLeaderIn(Schema):
    leader: bool = True


class VolunteerStaffRewardIn(Schema):
    name: Annotated[RequiredText, Field(max_length=120)]
    name_en: Annotated[Text, Field(max_length=120)] = ""
    points: Annotated[Decimal, Field(gt=0, le=100_000, max_digits=8, decimal_places=2)]
    stock: Annotated[int, Field(ge=0, le=1_000_000)]
    offered: bool = True


class VolunteerStaffRewardNewIn(VolunteerStaffRewardIn):
    center: Annotated[RequiredText, Field(max_length=50)]


class VolunteerStaffRewardOut(Schema):
    public_id: UUID
    center: str
    name: str
    name_en: str
    points: Decimal
    stock: int
    offered: bool

    @staticmethod
    def resolve_center(obj) -> str:
        return obj.center.slug

    @staticmethod
    def resolve_offered(obj) -> bool:
        return obj.is_active


class VolunteerStaffRedeemIn(Schema):
    item: UUID
    person: UUID


class VolunteerStaffRedemptionOut(Schema):
    public_id: UUID
    item: VolunteerStaffRewardOut
    person: LeadPersonOut
    points: Decimal
    created_at: datetime
    balance: Decimal | None = None


class VolunteerStaffPointsOut(Schema):
    person: LeadPersonOut
    expired: Decimal
    balance: Decimal


class VolunteerStaffCertificateIn(Schema):
    team: UUID
    person: UUID
    period_start: Day
    period_end: Day


class VolunteerStaffCertificateOut(Schema):
    serial: str
    kind: str
    person: LeadPersonOut
    center: str
    team: UUID | None
    activity: UUID | None
    title: str
    period_start: date
    period_end: date
    credit_minutes: int
    honour_minutes: int
    rule: str
    issued_at: datetime
    valid: bool
    revoked_at: datetime | None
    revoked_reason: str
    verify_url: str

    @staticmethod
    def resolve_center(obj) -> str:
        return obj.center.slug

    @staticmethod
    def resolve_team(obj) -> UUID | None:
        return obj.team.public_id if obj.team_id else None

    @staticmethod
    def resolve_activity(obj) -> UUID | None:
        return obj.activity.public_id if obj.activity_id else None

    @staticmethod
    def resolve_valid(obj) -> bool:
        return obj.is_valid

    @staticmethod
    def resolve_verify_url(obj) -> str:
        from django.urls import reverse

        return reverse("certificates:verify", args=[obj.serial])


class VolunteerStaffRevokeIn(Schema):
    reason: Annotated[RequiredText, Field(max_length=200)]


class VolunteerStaffTrainingIn(Schema):
    """Every session (min_sessions null), or at least this many."""

    min_sessions: Annotated[int, Field(ge=1, le=10_000)] | None = None


class VolunteerStaffFiguresOut(Schema):
    center: str | None
    region: int | None
    start: date
    end: date
    volunteers_active: int
    shifts: int
    shifts_filled: int
    credit_minutes: int
    honour_minutes: int
    credit_hours: float
    honour_hours: float
    signed_up: int
    no_shows: int
    no_show_rate: float | None
