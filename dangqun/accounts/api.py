"""API of sign-in and of one's own profile and tokens."""

from datetime import date
from uuid import UUID

from ninja import Router, Schema, Status

from dangqun.core.errors import NotFound
from dangqun.people import services as people_services
from dangqun.places import selectors as places

from . import services
from .auth import AUTH
from .views import client_ip

router = Router(tags=["accounts"])


class CodeIn(Schema):
    mobile: str


class SentOut(Schema):
    sent: bool
    expires_in: int


class TokenIn(Schema):
    mobile: str
    code: str
    consent: bool = False
    name: str = "API client"


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


class ProfileIn(Schema):
    name: str
    birth_date: date | None = None
    home_region_id: int | None = None
    resident_id: str | None = None
    tags: dict[str, dict] | None = None


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
        tags=payload.tags,
    )
    return person
