"""API of sign-in and of one's own profile and tokens."""

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from ninja import Router, Schema, Status
from pydantic import Field

from dangqun.core.errors import NotFound
from dangqun.core.schemas import Day, Id, MultilineText, RequiredText, Text
from dangqun.people import services as people_services
from dangqun.people.selectors import Tag, Trade
from dangqun.places import selectors as places

from . import services
from .auth import AUTH
from .views import client_ip

router = Router(tags=["accounts"])


# A mobile number as people type or paste it (+86, spaces, dashes, even a tab or a line
# break): the service reads the 11 digits and names the field when it cannot.
Mobile = Annotated[MultilineText, Field(max_length=20)]


class CodeIn(Schema):
    mobile: Mobile


class SentOut(Schema):
    sent: bool
    expires_in: int


class TokenIn(Schema):
    mobile: Mobile
    code: Annotated[RequiredText, Field(max_length=10)]
    consent: bool = False
    name: Annotated[RequiredText, Field(max_length=60)] = "API client"


class TokenOut(Schema):
    token: str
    name: str


class TagOut(Schema):
    tag: str
    home_branch: str
    trade: str
    platform: str


class MeOut(Schema):
    public_id: UUID
    name: str
    mobile_masked: str
    resident_id_masked: str
    birth_date: date | None
    home_region_id: int | None
    language: str
    tags: list[TagOut]
    staff_roles: list[dict]

    @staticmethod
    def resolve_mobile_masked(obj):
        return obj.masked_mobile

    @staticmethod
    def resolve_tags(obj):
        return list(obj.tags.all())

    @staticmethod
    def resolve_staff_roles(obj):
        return [
            {
                "role": r.role,
                "region_id": r.region_id,
                "center": r.center.slug if r.center else None,
            }
            for r in obj.staff_roles.select_related("center")
        ]


class TagDetailsIn(Schema):
    home_branch: Annotated[Text, Field(max_length=120)] = ""
    trade: Trade | Literal[""] = ""
    platform: Annotated[Text, Field(max_length=60)] = ""


class ProfileIn(Schema):
    name: Annotated[Text, Field(max_length=50)]  # required: the service says so
    birth_date: Day | None = None
    home_region_id: Id | None = None
    # 18 characters, as people may type them with spaces; "" removes the stored number.
    resident_id: Annotated[Text, Field(max_length=24)] | None = None
    # {group: its details}; the details a group does not use are ignored.
    tags: dict[Tag, TagDetailsIn | None] | None = None


@router.post("/auth/code", response={200: SentOut}, summary="Send a sign-in code by SMS")
def auth_code(request, payload: CodeIn):
    record = services.sign_in_code_send(mobile=payload.mobile, ip=client_ip(request))
    return {
        "sent": True,
        # created_at is stamped a moment after expires_at was computed: round, not truncate.
        "expires_in": round((record.expires_at - record.created_at).total_seconds()),
    }


@router.post("/auth/token", response={201: TokenOut}, summary="Exchange a code for an API token")
def auth_token(request, payload: TokenIn):
    person = services.sign_in_code_verify(
        mobile=payload.mobile, code=payload.code, consent=payload.consent
    )
    token, secret = services.api_token_create(person=person, name=payload.name)
    return Status(201, {"token": secret, "name": token.name})


@router.get("/me", response=MeOut, auth=AUTH)
def me(request):
    return request.user


@router.patch("/me", response=MeOut, auth=AUTH)
def me_update(request, payload: ProfileIn):
    person = request.user
    region = None
    if payload.home_region_id:
        region = places.region_by_id(payload.home_region_id)
        if region is None:
            raise NotFound()
    people_services.person_profile_save(
        actor=person,
        person=person,
        name=payload.name,
        birth_date=payload.birth_date,
        home_region=region,
        resident_id=payload.resident_id,
        tags=None
        if payload.tags is None
        else {
            str(tag.value): details.dict() if details else {}
            for tag, details in payload.tags.items()
        },
    )
    return person
