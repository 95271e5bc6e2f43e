"""The schemas of the volunteer's API (api.py): what goes in and comes out, with the
descriptions and examples the OpenAPI document shows. Times are shown in Asia/Shanghai;
hours in half hours rounded down, as the pages show them."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from django.urls import reverse
from django.utils import timezone
from ninja import Schema
from pydantic import Field

from dangqun.core.hours import local
from dangqun.core.schemas import Day, RequiredMultilineText
from dangqun.core.templatetags.dq import loc

from . import rules
from .views import place_of


def hours(minutes: int) -> float:
    """Hours in steps of half an hour, rounded down, as the pages show them."""
    return float(rules.half_hours(minutes or 0))


def name_of(person) -> str:
    return person.name or person.masked_mobile


# --- schemas --------------------------------------------------------------------------------


class VolunteerTeamOut(Schema):
    public_id: UUID
    name: str = Field(description="The team's name (Chinese).", examples=["闲林助老志愿队"])
    name_en: str = Field(description="Its English name, if given.")
    region: str = Field(description="The street or town (or the district) it belongs to.")
    center: str | None = Field(description="The slug of its center, if it has one.")
    center_name: str | None = Field(description="Its center's name, in the caller's language.")
    join_rule: Literal["open", "approval"] = Field(
        description="open: a member at once; approval: a leader approves each member."
    )
    requires_verified: bool = Field(
        description="Only volunteers whose registration staff have verified may join."
    )
    is_riders_team: bool
    members: int = Field(description="Active members.", examples=[12])
    hours: float = Field(
        description="Hours its members served (credit and honour, after corrections), in "
        "half hours rounded down.",
        examples=[126.5],
    )

    @staticmethod
    def resolve_region(obj) -> str:
        return loc(obj.region)

    @staticmethod
    def resolve_center(obj) -> str | None:
        return obj.center.slug if obj.center_id else None

    @staticmethod
    def resolve_center_name(obj) -> str | None:
        return loc(obj.center) if obj.center_id else None

    @staticmethod
    def resolve_hours(obj) -> float:
        return hours(obj.minutes)


class MyMembershipOut(Schema):
    team: VolunteerTeamOut
    role: Literal["member", "leader"]
    status: Literal["pending", "active", "left", "refused"] = Field(
        description="pending: waiting for a leader's approval; active: a member."
    )
    joined_at: datetime

    @staticmethod
    def resolve_joined_at(obj) -> datetime:
        return local(obj.joined_at)


class MembershipStateOut(Schema):
    role: Literal["member", "leader"]
    status: Literal["pending", "active"]


class VolunteerTeamDetailOut(VolunteerTeamOut):
    description: str
    leaders: list[str] = Field(description="The leaders' names, masked.", examples=[["王**"]])
    mine: MembershipStateOut | None = Field(
        description="The caller's membership (signed in, asked or a member), else null."
    )


class TeamJoinIn(Schema):
    volunteer: bool = Field(
        False,
        description='"I register as a volunteer": add the volunteer group to my profile first '
        "(needed once, if I have not).",
    )


class ShiftPlacesOut(Schema):
    """A shift's time and places, as every answer about a shift gives them."""

    start: datetime
    end: datetime
    places: int = Field(description="How many volunteers the shift needs.", examples=[3])
    taken: int = Field(description="Places taken (confirmed or offered).", examples=[2])
    waiting: int = Field(description="On the waiting list.", examples=[0])

    @staticmethod
    def resolve_start(obj) -> datetime:
        return local(obj.start)

    @staticmethod
    def resolve_end(obj) -> datetime:
        return local(obj.end)

    @staticmethod
    def resolve_places(obj) -> int:
        return obj.activity.capacity

    @staticmethod
    def resolve_taken(obj) -> int:
        return obj.activity.taken

    @staticmethod
    def resolve_waiting(obj) -> int:
        return obj.activity.waiting


class OpenShiftOut(ShiftPlacesOut):
    public_id: UUID
    team: UUID
    team_name: str
    task: str = Field(description="What the volunteers do.", examples=["陪老人就医"])
    where: str = Field(description="The space and its center, or the address.")
    places_left: int
    signed_up: bool = Field(description="The caller has a place or a place in line.")

    @staticmethod
    def resolve_team(obj) -> UUID:
        return obj.task.team.public_id

    @staticmethod
    def resolve_team_name(obj) -> str:
        return loc(obj.task.team)

    @staticmethod
    def resolve_task(obj) -> str:
        return obj.task.title

    @staticmethod
    def resolve_where(obj) -> str:
        return place_of(obj)

    @staticmethod
    def resolve_places_left(obj) -> int:
        return max(0, obj.activity.capacity - obj.activity.taken)

    @staticmethod
    def resolve_signed_up(obj) -> bool:
        return bool(getattr(obj, "signed_up", False))


class OpenShiftDetailOut(OpenShiftOut):
    description: str
    skills: str = Field(description="The skills wanted, if any.")
    cancel_until: datetime = Field(
        description="A place can be cancelled online until then (the cut-off before the start)."
    )
    cancelled: bool

    @staticmethod
    def resolve_description(obj) -> str:
        return obj.task.description

    @staticmethod
    def resolve_skills(obj) -> str:
        return obj.task.skills

    @staticmethod
    def resolve_cancel_until(obj) -> datetime:
        return local(obj.start - rules.cancel_cutoff())

    @staticmethod
    def resolve_cancelled(obj) -> bool:
        return obj.activity.status == "cancelled"


class MyPlaceOut(Schema):
    """My place on a shift, as a sign-up or a cancellation left it."""

    shift: UUID
    status: Literal["confirmed", "offered", "waitlisted", "cancelled", "expired"] = Field(
        description="confirmed: a place; waitlisted: on the waiting list; offered: a freed "
        "place waits for me to accept it; cancelled."
    )
    short_code: str | None = Field(
        description="The check-in code to show at the shift's desk (with a place only)."
    )
    waiting_position: int | None = Field(description="My place in line, when waiting.")


class SwapOfferOut(Schema):
    public_id: UUID
    shift: UUID
    task: str
    team_name: str
    start: datetime
    end: datetime
    from_name: str = Field(description="Who hands the place over.")
    to_name: str = Field(description="Who is asked to take it.")
    status: Literal["offered", "accepted", "declined", "withdrawn"]
    created_at: datetime
    answered_at: datetime | None

    @staticmethod
    def resolve_shift(obj) -> UUID:
        return obj.shift.public_id

    @staticmethod
    def resolve_task(obj) -> str:
        return obj.shift.task.title

    @staticmethod
    def resolve_team_name(obj) -> str:
        return loc(obj.shift.task.team)

    @staticmethod
    def resolve_start(obj) -> datetime:
        return local(obj.shift.start)

    @staticmethod
    def resolve_end(obj) -> datetime:
        return local(obj.shift.end)

    @staticmethod
    def resolve_from_name(obj) -> str:
        return name_of(obj.from_person)

    @staticmethod
    def resolve_to_name(obj) -> str:
        return name_of(obj.to_person)

    @staticmethod
    def resolve_created_at(obj) -> datetime:
        return local(obj.created_at)

    @staticmethod
    def resolve_answered_at(obj) -> datetime | None:
        return local(obj.answered_at)


class MyShiftOut(Schema):
    shift: OpenShiftDetailOut
    status: Literal["confirmed", "offered", "waitlisted"]
    short_code: str | None = Field(description="The check-in code (with a place only).")
    waiting_position: int | None
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    can_cancel: bool = Field(description="Cancelling online is still open (see cancel_until).")
    can_hand_over: bool = Field(description="A confirmed place before the start.")
    can_check_out: bool = Field(description="Checked in, not out, and check-out is open now.")
    handing_over_to: SwapOfferOut | None = Field(description="My offer waiting for an answer.")


class SwapOfferIn(Schema):
    to_person: UUID = Field(
        description="The public id of another active member of the team (see "
        "/me/shifts/{public_id}/members)."
    )


class SwapAnswerIn(Schema):
    answer: Literal["accept", "decline"]


class SwapMemberOut(Schema):
    public_id: UUID
    name: str


class MyCheckOutOut(Schema):
    shift: UUID
    checked_in_at: datetime
    checked_out_at: datetime
    credited_hours: float | None = Field(
        description="Credit hours this attendance earned, null while it earns none."
    )


class MyHoursMonthOut(Schema):
    month: str = Field(examples=["2026-11"])
    credit_hours: float
    honour_hours: float


class MyHoursOut(Schema):
    credit_hours: float = Field(description="信用时: from attendance at shifts.", examples=[20.5])
    honour_hours: float = Field(description="荣誉时: granted and approved.", examples=[4])
    total_hours: float
    credit_minutes: int
    honour_minutes: int
    stars: int = Field(description="The star level, 0 to 5.", ge=0, examples=[2])
    star_name: str = Field(examples=["Two stars"])
    next_star_hours: int | None = Field(description="Hours of the next star; null at the top.")
    hours_to_next_star: float | None
    months: list[MyHoursMonthOut] = Field(
        description="The last twelve months with hours, newest first."
    )


class MyPointsEntryOut(Schema):
    kind: Literal["earn", "take_back", "redeem", "expire"]
    kind_label: str
    points: Decimal = Field(description="Positive when earned, negative otherwise.")
    reward: str | None = Field(description="What was redeemed, for a redemption.")
    hours_entry: UUID | None = Field(description="The hours ledger line that earned it.")
    created_at: datetime

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_reward(obj) -> str | None:
        return loc(obj.redemption.item) if obj.redemption_id else None

    @staticmethod
    def resolve_hours_entry(obj) -> UUID | None:
        return obj.hours_entry.public_id if obj.hours_entry_id else None

    @staticmethod
    def resolve_created_at(obj) -> datetime:
        return local(obj.created_at)


class MyPointsOut(Schema):
    balance: Decimal = Field(description="Time-bank points to spend.", examples=["12.50"])
    entries: list[MyPointsEntryOut] = Field(description="The newest first.")


class MyCorrectionOut(Schema):
    public_id: UUID
    entry: UUID
    minutes: int = Field(description="The right minutes asked for.")
    message: str
    status: Literal["open", "accepted", "refused"]
    answer: str
    created_at: datetime
    answered_at: datetime | None

    @staticmethod
    def resolve_entry(obj) -> UUID:
        return obj.entry.public_id

    @staticmethod
    def resolve_created_at(obj) -> datetime:
        return local(obj.created_at)

    @staticmethod
    def resolve_answered_at(obj) -> datetime | None:
        return local(obj.answered_at)


class MyLedgerLineOut(Schema):
    public_id: UUID
    date: date
    kind: Literal["credit", "honour"]
    kind_label: str
    source: Literal["attendance", "missed_check_out", "approval", "reversal", "correction"]
    source_label: str = Field(description="Where the line came from, in the caller's language.")
    minutes: int = Field(description="Negative for a reversal.")
    hours: float = Field(description="The minutes in half hours, without their sign.")
    team: UUID
    team_name: str
    shift: UUID | None
    task: str | None
    reason: str
    reverses: UUID | None = Field(description="The line this one reverses.")
    correctable: bool = Field(description="A correction may be asked for.")
    request: MyCorrectionOut | None = Field(description="The last correction asked for, if any.")


class CorrectionAskIn(Schema):
    minutes: int = Field(ge=0, le=24 * 60, description="The right time, in minutes (0: none).")
    message: Annotated[RequiredMultilineText, Field(max_length=300)] = Field(
        description="What is wrong with the line.", examples=["我14:00才离开，少记了1小时"]
    )


class MyCertificateOut(Schema):
    serial: str = Field(examples=["YH-2026-000123"])
    kind: Literal["service", "training"]
    kind_label: str
    title: str
    team: UUID | None
    issuer: str = Field(description="The center that issued it.")
    period_start: date
    period_end: date
    credit_hours: float
    honour_hours: float
    state: Literal["valid", "revoked"]
    issued_at: datetime
    revoked_at: datetime | None
    pdf_url: str = Field(description="The PDF (signed in as its holder).")
    verify_url: str = Field(description="The public verification page.")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_team(obj) -> UUID | None:
        return obj.team.public_id if obj.team_id else None

    @staticmethod
    def resolve_issuer(obj) -> str:
        return loc(obj.center)

    @staticmethod
    def resolve_credit_hours(obj) -> float:
        return hours(obj.credit_minutes)

    @staticmethod
    def resolve_honour_hours(obj) -> float:
        return hours(obj.honour_minutes)

    @staticmethod
    def resolve_state(obj) -> str:
        return "valid" if obj.is_valid else "revoked"

    @staticmethod
    def resolve_issued_at(obj) -> datetime:
        return local(obj.issued_at)

    @staticmethod
    def resolve_revoked_at(obj) -> datetime | None:
        return local(obj.revoked_at)

    @staticmethod
    def resolve_pdf_url(obj, context) -> str:
        path = reverse("certificates:pdf", args=[obj.serial])
        return context["request"].build_absolute_uri(path)

    @staticmethod
    def resolve_verify_url(obj, context) -> str:
        path = reverse("certificates:verify", args=[obj.serial])
        return context["request"].build_absolute_uri(path)


class MyCertificateIn(Schema):
    team: UUID = Field(description="A team I am in or served.")
    period_start: Day
    period_end: Day


class CertificateCheckOut(Schema):
    """What the public verification page shows, and nothing more."""

    serial: str
    kind: Literal["service", "training"]
    kind_label: str
    valid: bool
    revoked_on: date | None
    holder: str = Field(description="The holder's name, masked.", examples=["王**"])
    period_start: date
    period_end: date
    credit_hours: float | None = Field(description="For a service certificate.")
    honour_hours: float | None = Field(description="For a service certificate.")
    training: str | None = Field(description="For a training certificate.")
    requirement_met: str | None = Field(description="For a training certificate.")
    issuer: str
    issued_on: date

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_valid(obj) -> bool:
        return obj.is_valid

    @staticmethod
    def resolve_revoked_on(obj) -> date | None:
        return timezone.localdate(obj.revoked_at) if obj.revoked_at else None

    @staticmethod
    def resolve_holder(obj) -> str:
        return obj.name_masked

    @staticmethod
    def resolve_credit_hours(obj) -> float | None:
        return hours(obj.credit_minutes) if obj.kind == "service" else None

    @staticmethod
    def resolve_honour_hours(obj) -> float | None:
        return hours(obj.honour_minutes) if obj.kind == "service" else None

    @staticmethod
    def resolve_training(obj) -> str | None:
        return obj.title if obj.kind == "training" else None

    @staticmethod
    def resolve_requirement_met(obj) -> str | None:
        return obj.rule if obj.kind == "training" else None

    @staticmethod
    def resolve_issuer(obj) -> str:
        return loc(obj.center)

    @staticmethod
    def resolve_issued_on(obj) -> date:
        return timezone.localdate(obj.issued_at)
