"""Staff API of the registry under /api/v1/staff/: the centers I may manage, adding regions
and centers, editing centers, spaces and kinds of space; scoped like the pages. Sign-in
(AUTH) is the root API's, given when it mounts this router (accounts sits above places)."""

from decimal import Decimal
from typing import Annotated

from ninja import Router, Schema, Status
from pydantic import Field

from dangqun.core.schemas import (
    Day,
    Id,
    Latitude,
    Longitude,
    MultilineText,
    RequiredText,
    Text,
)
from dangqun.people import access
from dangqun.people.decorators import staff_endpoint

from . import selectors, services
from .api import CenterDetailOut, RegionOut, SpaceKindOut, SpaceOut
from .models import Region

router = Router(tags=["staff"])


# Seven day specs, Monday first ("08:30-12:00,13:30-17:30", "24h", "" for closed).
OpeningHours = Annotated[
    list[Annotated[Text, Field(max_length=100)]], Field(min_length=7, max_length=7)
]
Description = Annotated[MultilineText, Field(max_length=services.DESCRIPTION_MAX_LENGTH)]


class CenterIn(Schema):
    name: Annotated[RequiredText, Field(max_length=120)]
    name_en: Annotated[Text, Field(max_length=120)] = ""
    address: Annotated[RequiredText, Field(max_length=200)]
    latitude: Latitude  # within the district's area too (the service checks)
    longitude: Longitude
    phone: Annotated[Text, Field(max_length=30)] = ""  # a mobile or a landline (checked)
    brand: Annotated[Text, Field(max_length=100)] = ""
    area_m2: Annotated[Decimal, Field(gt=0, le=9_999_999, allow_inf_nan=False)] | None = None
    is_integrated: bool = False
    description: Description = ""
    opening_hours: OpeningHours
    opened_on: Day | None = None


class NewCenterIn(CenterIn):
    region_id: Id
    slug: Annotated[Text, Field(max_length=60)] = ""


class RegionIn(Schema):
    parent_id: Id
    level: Region.Level
    name: Annotated[RequiredText, Field(max_length=100)]
    name_en: Annotated[Text, Field(max_length=100)] = ""


class SpaceIn(Schema):
    name: Annotated[RequiredText, Field(max_length=120)]
    name_en: Annotated[Text, Field(max_length=120)] = ""
    kind: Annotated[RequiredText, Field(max_length=40)]  # the code of a kind of space
    area_m2: Annotated[Decimal, Field(gt=0, le=999_999, allow_inf_nan=False)] | None = None
    capacity: Annotated[int, Field(ge=1, le=100_000)] | None = None
    opening_hours: OpeningHours | None = None  # None: the center's
    is_bookable: bool = False
    description: Description = ""


class SpaceKindIn(Schema):
    name: Annotated[RequiredText, Field(max_length=60)]
    name_en: Annotated[Text, Field(max_length=60)] = ""


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
def space_update(request, space_id: Id, payload: SpaceIn):
    space = access.space_for_staff(request.user, pk=space_id)
    return services.space_update(actor=request.user, space=space, data=payload.dict())


@router.post("/space-kinds", response={201: SpaceKindOut})
@staff_endpoint(roles=access.MANAGERS)
def space_kind_create(request, payload: SpaceKindIn):
    return Status(201, services.space_kind_create(actor=request.user, **payload.dict()))
