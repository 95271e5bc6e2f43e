"""Staff API: people (masked), and editing centers and spaces, scoped like the pages."""

from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from ninja import Router, Schema, Status

from dangqun.accounts.auth import AUTH
from dangqun.core import audit
from dangqun.core.errors import NotFound
from dangqun.people import access
from dangqun.people import selectors as people
from dangqun.people import services as people_services
from dangqun.places import services as places_services
from dangqun.places.api import CenterDetailOut, RegionOut, SpaceKindOut, SpaceOut
from dangqun.places.models import Region

router = Router(tags=["staff"], auth=AUTH)


def _require_staff(request):
    if not access.is_staff(request.user):
        raise NotFound()


class PersonOut(Schema):
    public_id: UUID
    name: str
    mobile_masked: str
    resident_id_masked: str
    birth_date: date | None
    home_region_id: int | None
    tags: list[str]
    is_demo: bool

    @staticmethod
    def resolve_mobile_masked(obj):
        return obj.masked_mobile

    @staticmethod
    def resolve_tags(obj):
        return [t.tag for t in obj.tags.all()]


class RevealIn(Schema):
    what: Literal["resident_id", "mobile"] = "resident_id"
    reason: str


class RevealOut(Schema):
    what: str
    value: str


class CenterIn(Schema):
    name: str
    name_en: str = ""
    address: str
    latitude: Decimal
    longitude: Decimal
    phone: str = ""
    brand: str = ""
    area_m2: Decimal | None = None
    is_integrated: bool = False
    description: str = ""
    opening_hours: list[str]
    opened_on: date | None = None


class SpaceIn(Schema):
    name: str
    name_en: str = ""
    kind: str
    area_m2: Decimal | None = None
    capacity: int | None = None
    opening_hours: list[str] | None = None
    is_bookable: bool = False
    description: str = ""


class SpaceKindIn(Schema):
    name: str
    name_en: str = ""


@router.get("/persons", response=list[PersonOut], summary="People in my scope (masked)")
def person_list(request, q: str = "", limit: int = 50, offset: int = 0):
    _require_staff(request)
    limit = max(1, min(limit, 200))
    return people.persons_for_staff(request.user, query=q)[offset : offset + limit]


@router.get("/persons/{public_id}", response=PersonOut)
def person_detail(request, public_id: str):
    _require_staff(request)
    person = people.person_for_staff(request.user, public_id=public_id)
    audit.record(request.user, "person.view", person, {"channel": "api"})
    return person


@router.post(
    "/persons/{public_id}/reveal",
    response=RevealOut,
    summary="The full mobile or resident ID number, with a reason (audited)",
)
def person_reveal(request, public_id: str, payload: RevealIn):
    _require_staff(request)
    person = people.person_for_staff(request.user, public_id=public_id)
    reveal = (
        people_services.person_reveal_mobile
        if payload.what == "mobile"
        else people_services.person_reveal_resident_id
    )
    return {
        "what": payload.what,
        "value": reveal(actor=request.user, person=person, reason=payload.reason),
    }


@router.get("/centers", response=list[CenterDetailOut], summary="Centers I may manage")
def center_list(request):
    _require_staff(request)
    return access.centers_for_staff(request.user)


class NewCenterIn(CenterIn):
    region_id: int
    slug: str = ""


class RegionIn(Schema):
    parent_id: int
    level: str
    name: str
    name_en: str = ""


def _region_in_scope(request, region_id: int) -> Region:
    return access.get_or_404(request.user, Region.objects.all(), roles=access.ADMINS, pk=region_id)


@router.post("/regions", response={201: RegionOut}, summary="Add a street, village or community")
def region_create(request, payload: RegionIn):
    _require_staff(request)
    parent = _region_in_scope(request, payload.parent_id)
    return Status(
        201,
        places_services.region_create(
            actor=request.user,
            parent=parent,
            level=payload.level,
            name=payload.name,
            name_en=payload.name_en,
        ),
    )


@router.post("/centers", response={201: CenterDetailOut}, summary="Add a center")
def center_create(request, payload: NewCenterIn):
    _require_staff(request)
    region = _region_in_scope(request, payload.region_id)
    data = payload.dict(exclude={"region_id", "slug"})
    return Status(
        201,
        places_services.center_create(
            actor=request.user, region=region, data=data, slug=payload.slug
        ),
    )


@router.put("/centers/{slug}", response=CenterDetailOut)
def center_update(request, slug: str, payload: CenterIn):
    _require_staff(request)
    center = access.center_for_staff(request.user, slug=slug)
    return places_services.center_update(actor=request.user, center=center, data=payload.dict())


@router.post("/centers/{slug}/spaces", response={201: SpaceOut})
def space_create(request, slug: str, payload: SpaceIn):
    _require_staff(request)
    center = access.center_for_staff(request.user, slug=slug)
    return Status(
        201, places_services.space_create(actor=request.user, center=center, data=payload.dict())
    )


@router.put("/spaces/{space_id}", response=SpaceOut)
def space_update(request, space_id: int, payload: SpaceIn):
    _require_staff(request)
    space = access.space_for_staff(request.user, pk=space_id)
    return places_services.space_update(actor=request.user, space=space, data=payload.dict())


@router.post("/space-kinds", response={201: SpaceKindOut})
def space_kind_create(request, payload: SpaceKindIn):
    _require_staff(request)
    if not access.has_role(request.user, access.MANAGERS):
        raise NotFound()
    return Status(201, places_services.space_kind_create(actor=request.user, **payload.dict()))
