"""Staff API of the registry under /api/v1/staff/: the centers I may manage, adding regions
and centers, editing centers, spaces and kinds of space; scoped like the pages. Sign-in
(AUTH) is the root API's, given when it mounts this router (accounts sits above places)."""

from datetime import date
from decimal import Decimal

from ninja import Router, Schema, Status

from dangqun.people import access
from dangqun.people.decorators import staff_endpoint

from . import selectors, services
from .api import CenterDetailOut, RegionOut, SpaceKindOut, SpaceOut

router = Router(tags=["staff"])


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


class NewCenterIn(CenterIn):
    region_id: int
    slug: str = ""


class RegionIn(Schema):
    parent_id: int
    level: str
    name: str
    name_en: str = ""


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


@router.get("/centers", response=list[CenterDetailOut], summary="Centers I may manage")
@staff_endpoint(roles=access.ALL_ROLES)
def center_list(request):
    return access.centers_for_staff(request.user)


def _region_in_scope(request, region_id: int):
    return access.get_or_404(request.user, selectors.regions(), roles=access.ADMINS, pk=region_id)


@router.post("/regions", response={201: RegionOut}, summary="Add a street, village or community")
@staff_endpoint(roles=access.ALL_ROLES)
def region_create(request, payload: RegionIn):
    parent = _region_in_scope(request, payload.parent_id)
    return Status(
        201,
        services.region_create(
            actor=request.user,
            parent=parent,
            level=payload.level,
            name=payload.name,
            name_en=payload.name_en,
        ),
    )


@router.post("/centers", response={201: CenterDetailOut}, summary="Add a center")
@staff_endpoint(roles=access.ALL_ROLES)
def center_create(request, payload: NewCenterIn):
    region = _region_in_scope(request, payload.region_id)
    data = payload.dict(exclude={"region_id", "slug"})
    return Status(
        201,
        services.center_create(actor=request.user, region=region, data=data, slug=payload.slug),
    )


@router.put("/centers/{slug}", response=CenterDetailOut)
@staff_endpoint(roles=access.ALL_ROLES)
def center_update(request, slug: str, payload: CenterIn):
    center = access.center_for_staff(request.user, slug=slug)
    return services.center_update(actor=request.user, center=center, data=payload.dict())


@router.post("/centers/{slug}/spaces", response={201: SpaceOut})
@staff_endpoint(roles=access.ALL_ROLES)
def space_create(request, slug: str, payload: SpaceIn):
    center = access.center_for_staff(request.user, slug=slug)
    return Status(
        201, services.space_create(actor=request.user, center=center, data=payload.dict())
    )


@router.put("/spaces/{space_id}", response=SpaceOut)
@staff_endpoint(roles=access.ALL_ROLES)
def space_update(request, space_id: int, payload: SpaceIn):
    space = access.space_for_staff(request.user, pk=space_id)
    return services.space_update(actor=request.user, space=space, data=payload.dict())


@router.post("/space-kinds", response={201: SpaceKindOut})
@staff_endpoint(roles=access.MANAGERS)
def space_kind_create(request, payload: SpaceKindIn):
    return Status(201, services.space_kind_create(actor=request.user, **payload.dict()))
