"""Schemas of the mobile party members' API (mobile_api.py). Staff see names and mobiles
masked, as on the pages."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from dangqun.core.schemas import Day, Id, MultilineText, RequiredMultilineText, RequiredText, Text
from dangqun.core.templatetags.dq import loc

from . import mobile_read

Status = Literal["active", "returned", "transferred"]


# --- in ---------------------------------------------------------------------------------------


class MobileReportInIn(Schema):
    name: Annotated[Text, Field(max_length=50)] | None = Field(
        None, description="One's name, when the account has none or it changed."
    )
    home_branch: Annotated[Text, Field(max_length=120)] = Field(
        description="The home party branch (required).", examples=["安徽省阜阳市某村党支部"]
    )
    home_contact_name: Annotated[Text, Field(max_length=50)] = ""
    home_contact_phone: Annotated[Text, Field(max_length=20)] = ""
    employer: Annotated[Text, Field(max_length=120)] = ""
    work_place: Annotated[Text, Field(max_length=200)] = ""
    region: Id | None = Field(None, description="The region (street) one works in.")
    organisation: Id | None = Field(
        None, description="A temporary organisation of the district (its region is then used)."
    )
    center: Id | None = None
    arrived_on: Day = Field(description="The day one arrived; not in the future.")


class MobileCounterReportInIn(MobileReportInIn):
    mobile: Annotated[RequiredText, Field(max_length=20)] = Field(
        description="The member's mobile number (they signed up already)."
    )


class MobileRevealIn(Schema):
    reason: Annotated[RequiredText, Field(max_length=200)]


class MobileRevealOut(Schema):
    name: str
    mobile: str


class MobileStatusIn(Schema):
    status: Status
    on: Day | None = Field(None, description="Since when; required unless active.")


class MobileTookPartIn(Schema):
    activity_title: Annotated[RequiredText, Field(max_length=120)]
    on: Day
    note: Annotated[Text, Field(max_length=300)] = ""


class MobileOrganisationIn(Schema):
    name: Annotated[RequiredText, Field(max_length=120)]
    kind: Literal["branch", "group"]
    region: Id
    center: Id | None = None


class MobileNoticeIn(Schema):
    title: Annotated[RequiredText, Field(max_length=120)]
    body: Annotated[RequiredMultilineText, Field(max_length=4000)]
    organisation: UUID | None = Field(None, description="Send to this organisation's members…")
    region: Id | None = Field(None, description="…or to the members working in this region.")


class MobileProjectIn(Schema):
    name: Annotated[RequiredText, Field(max_length=120)]
    region: Id
    center: Id | None = None
    description: Annotated[MultilineText, Field(max_length=2000)] = ""


class MobileProjectMemberIn(Schema):
    member: UUID


class MobileProjectLogIn(Schema):
    member: UUID
    on: Day
    note: Annotated[Text, Field(max_length=300)] = ""


# --- out --------------------------------------------------------------------------------------


class MobileOrganisationOut(Schema):
    id: int
    public_id: UUID
    name: str
    kind: str
    region: str
    region_id: int

    @staticmethod
    def resolve_region(obj) -> str:
        return loc(obj.region)


class MobileMyRecordOut(Schema):
    public_id: UUID
    home_branch: str
    home_contact_name: str
    home_contact_phone: str
    employer: str
    work_place: str
    region_id: int
    center_id: int | None
    organisation: MobileOrganisationOut | None
    arrived_on: date
    status: str
    status_on: date | None


class MobileReportInOut(Schema):
    reported_at: datetime
    channel: str


class MobileNoticeOut(Schema):
    id: int = Field(description="The delivery's id: mark it read with it.")
    title: str
    body: str
    sent_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.notice.title

    @staticmethod
    def resolve_body(obj) -> str:
        return obj.notice.body

    @staticmethod
    def resolve_sent_at(obj) -> datetime:
        return obj.notice.sent_at


class MobileParticipationOut(Schema):
    on: date
    project: str | None
    activity_title: str
    note: str

    @staticmethod
    def resolve_project(obj) -> str | None:
        return obj.project.name if obj.project_id else None


class MobileMemberRowOut(Schema):
    public_id: UUID
    name: str = Field(description="Masked (王**).")
    mobile: str = Field(description="Masked (139****5678).")
    home_branch: str
    employer: str
    region: str
    organisation: str | None
    arrived_on: date
    status: str
    status_on: date | None

    @staticmethod
    def resolve_name(obj) -> str:
        return mobile_read.masked(obj)["name"]

    @staticmethod
    def resolve_mobile(obj) -> str:
        return mobile_read.masked(obj)["mobile"]

    @staticmethod
    def resolve_region(obj) -> str:
        return loc(obj.region)

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        return obj.organisation.name if obj.organisation_id else None


class MobileNoticeSentOut(Schema):
    public_id: UUID
    title: str
    sent_at: datetime
    recipients: int
    read: int


class MobileProjectOut(Schema):
    public_id: UUID
    name: str
    region: str
    description: str
    members: list[MobileMemberRowOut]

    @staticmethod
    def resolve_region(obj) -> str:
        return loc(obj.region)

    @staticmethod
    def resolve_members(obj) -> list:
        return list(obj.members.select_related("person", "region", "organisation"))


class MobileFiguresOut(Schema):
    year: int
    registered: int
    in_district: int
    reported_in: int
    took_part: int
