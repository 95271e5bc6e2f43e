"""Staff API about people under /api/v1/staff/: the people in my scope (masked), one
person (the look is audited), and a full number with a reason (audited). Sign-in (AUTH) is
the root API's, given when it mounts this router (accounts sits above people)."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from ninja import Router, Schema
from pydantic import Field

from dangqun.core.schemas import Limit, Offset, Text

from . import access, selectors, services
from .decorators import staff_endpoint

router = Router(tags=["staff"])


class GroupOut(Schema):
    tag: str
    verifiable: bool
    verified: bool
    verified_at: datetime | None

    @staticmethod
    def resolve_verifiable(obj):
        return obj.is_verifiable

    @staticmethod
    def resolve_verified(obj):
        return obj.is_verified


class PersonOut(Schema):
    public_id: UUID
    name: str
    mobile_masked: str
    resident_id_masked: str
    birth_date: date | None
    home_region_id: int | None
    tags: list[str]
    groups: list[GroupOut]
    is_demo: bool

    @staticmethod
    def resolve_mobile_masked(obj):
        return obj.masked_mobile

    @staticmethod
    def resolve_tags(obj):
        return [t.tag for t in obj.tags.all()]

    @staticmethod
    def resolve_groups(obj):
        return list(obj.tags.all())


class RevealIn(Schema):
    what: Literal["resident_id", "mobile"] = "resident_id"
    reason: Annotated[Text, Field(max_length=200)]  # required: the service says why


class RevealOut(Schema):
    what: str
    value: str


@router.get("/persons", response=list[PersonOut], summary="People in my scope (masked)")
@staff_endpoint(roles=access.ALL_ROLES)
def person_list(
    request,
    q: Annotated[Text, Field(max_length=100)] = "",
    limit: Limit = 50,
    offset: Offset = 0,
):
    return selectors.persons_for_staff(request.user, query=q)[offset : offset + limit]


@router.get("/persons/{public_id}", response=PersonOut)
@staff_endpoint(roles=access.ALL_ROLES)
def person_detail(request, public_id: str):
    person = selectors.person_for_staff(request.user, public_id=public_id)
    services.person_view(actor=request.user, person=person, channel="api")
    return person


@router.post(
    "/persons/{public_id}/reveal",
    response=RevealOut,
    summary="The full mobile or resident ID number, with a reason (audited)",
)
@staff_endpoint(roles=access.ALL_ROLES)
def person_reveal(request, public_id: str, payload: RevealIn):
    person = selectors.person_for_staff(request.user, public_id=public_id)
    reveal = (
        services.person_reveal_mobile
        if payload.what == "mobile"
        else services.person_reveal_resident_id
    )
    return {
        "what": payload.what,
        "value": reveal(actor=request.user, person=person, reason=payload.reason),
    }


# A group's code in the path: party_member, mobile_party_member or new_employment.
GroupCode = Annotated[Text, Field(max_length=40)]


@router.post(
    "/persons/{public_id}/groups/{tag}/verify",
    response=GroupOut,
    summary="Mark a group the person declared as verified (staff of their region; audited)",
)
@staff_endpoint()
def person_group_verify(request, public_id: str, tag: GroupCode):
    person = selectors.person_for_staff(request.user, public_id=public_id)
    return services.person_tag_verify(actor=request.user, person=person, tag=tag)


@router.delete(
    "/persons/{public_id}/groups/{tag}/verify",
    response=GroupOut,
    summary="Take a verification back (audited)",
)
@staff_endpoint()
def person_group_unverify(request, public_id: str, tag: GroupCode):
    person = selectors.person_for_staff(request.user, public_id=public_id)
    return services.person_tag_unverify(actor=request.user, person=person, tag=tag)
