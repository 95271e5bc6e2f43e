"""Schemas of the service packages' API (/api/v1/packages/, /api/v1/staff/packages/)."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from ninja import Field, Schema

from dangqun.core.schemas import Id, MultilineText, RequiredText, Text
from dangqun.core.templatetags.dq import loc
from dangqun.people.models import PersonTag

from .models import PackageEntry

Group = Literal[tuple(PersonTag.Tag.values)]
EntryKind = Literal[tuple(PackageEntry.Kind.values)]
Age = Annotated[int, Field(ge=0, le=150)]


class PackageUpcomingOut(Schema):
    title: str
    url: str
    start: datetime


class PackageEntryOut(Schema):
    kind: str
    reference: str
    title: str
    url: str
    upcoming: list[PackageUpcomingOut]


class PackageOut(Schema):
    public_id: UUID
    name: str
    name_en: str
    description: str
    region: int
    region_name: str
    target_groups: list[str]
    target_group_names: list[str]
    min_age: int | None
    max_age: int | None
    home_region: int | None
    status: str

    @staticmethod
    def resolve_region(obj) -> int:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj) -> str:
        return loc(obj.region)

    @staticmethod
    def resolve_target_group_names(obj) -> list[str]:
        return obj.group_labels()

    @staticmethod
    def resolve_home_region(obj) -> int | None:
        return obj.home_region_id


class PackageDetailOut(PackageOut):
    entries: list[PackageEntryOut]

    @staticmethod
    def resolve_entries(obj) -> list:
        return obj.entries_shown


class PackageEntryIn(Schema):
    kind: EntryKind
    # An item's code, an activity kind, a space's id.
    reference: Annotated[RequiredText, Field(max_length=60)]


class PackageChangeIn(Schema):
    name: Annotated[RequiredText, Field(max_length=120)]
    name_en: Annotated[Text, Field(max_length=120)] = ""
    description: Annotated[MultilineText, Field(max_length=2000)] = ""
    target_groups: Annotated[list[Group], Field(max_length=10)]
    min_age: Age | None = None
    max_age: Age | None = None
    home_region: Id | None = None
    entries: Annotated[list[PackageEntryIn], Field(max_length=60)] = []


class PackageIn(PackageChangeIn):
    region: Id


class PackageArchiveIn(Schema):
    archived: bool = True


class PackageStaffEntryOut(Schema):
    kind: str
    reference: str


class PackageStaffOut(PackageOut):
    entries: list[PackageStaffEntryOut]

    @staticmethod
    def resolve_entries(obj) -> list:
        return list(obj.entries.all())


class PackageGroupFigureOut(Schema):
    group: str
    name: str
    people: int


class PackageFiguresOut(Schema):
    start: date
    end: date
    total: int
    groups: list[PackageGroupFigureOut]
