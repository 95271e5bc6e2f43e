"""Public API of the registry: regions, centers, spaces, kinds of space."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from dangqun.core import geo
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.schemas import Id, Latitude, Longitude, Text

from . import selectors
from .models import Region, ServiceCenter, Space

router = Router(tags=["places"])


class RegionOut(Schema):
    id: int
    name: str
    name_en: str
    level: str
    parent_id: int | None


class SpaceKindOut(Schema):
    code: str
    name: str
    name_en: str


class SpaceOut(Schema):
    id: int
    center: str
    name: str
    name_en: str
    kind: SpaceKindOut
    area_m2: Decimal | None
    capacity: int | None
    opening_hours: list[str]
    own_hours: bool
    is_bookable: bool
    is_open_now: bool
    description: str

    @staticmethod
    def resolve_center(obj: Space) -> str:
        return obj.center.slug

    @staticmethod
    def resolve_opening_hours(obj: Space) -> list[str]:
        return obj.effective_hours

    @staticmethod
    def resolve_own_hours(obj: Space) -> bool:
        return bool(obj.opening_hours)

    @staticmethod
    def resolve_is_open_now(obj: Space) -> bool:
        return obj.is_open_at()


class CenterOut(Schema):
    slug: str
    name: str
    name_en: str
    region: RegionOut
    is_integrated: bool
    address: str
    latitude: Decimal
    longitude: Decimal
    phone: str
    opening_hours: list[str]
    is_open_now: bool
    brand: str
    area_m2: Decimal | None
    opened_on: date | None
    description: str
    photo_url: str | None
    distance_m: int | None = Field(
        None, description="Metres from the position given as lat/lng; null without one."
    )

    @staticmethod
    def resolve_distance_m(obj: ServiceCenter) -> int | None:
        return getattr(obj, "distance_m", None)

    @staticmethod
    def resolve_is_open_now(obj: ServiceCenter) -> bool:
        return obj.is_open_at()

    @staticmethod
    def resolve_photo_url(obj: ServiceCenter) -> str | None:
        return obj.photo.url if obj.photo else None


class CenterDetailOut(CenterOut):
    spaces: list[SpaceOut]

    @staticmethod
    def resolve_spaces(obj: ServiceCenter) -> list[Space]:
        return list(selectors.spaces_of(obj))


def _found(obj):
    if obj is None:
        raise NotFound()
    return obj


@router.get("/regions", response=list[RegionOut], summary="The administrative tree")
def region_list(request, level: Region.Level | None = None, parent_id: Id | None = None):
    regions = selectors.regions()
    if level:
        regions = regions.filter(level=level)
    if parent_id is not None:
        regions = regions.filter(parent_id=parent_id)
    return regions


@router.get("/regions/{region_id}", response=RegionOut)
def region_detail(request, region_id: int):  # beyond 64 bits: 404 (the selector)
    return _found(selectors.region_by_id(region_id))


@router.get("/space-kinds", response=list[SpaceKindOut])
def space_kind_list(request):
    return selectors.space_kinds()


@router.get("/centers", response=list[CenterOut], summary="Service centers, filterable")
def center_list(
    request,
    street: Id | None = None,
    kind: Annotated[Text, Field(max_length=40)] | None = None,
    lat: Latitude | None = None,
    lng: Longitude | None = None,
    coord: Annotated[Text, Field(max_length=20)] = "wgs84",
):
    """`street`: a street or town id; `kind`: the code of a kind of space the center offers.
    `lat` and `lng` (together; in the system `coord` names: wgs84, gcj02 or bd09): the
    centers nearest first, each with its `distance_m`."""
    street_obj = (
        _found(selectors.streets().filter(pk=street).first()) if street is not None else None
    )
    kind_obj = _found(selectors.space_kind_by_code(kind)) if kind else None
    system = geo.parse_system(coord, field="coord")
    centers = selectors.centers_public(street=street_obj, kind=kind_obj)
    if lat is None and lng is None:
        return centers
    if lat is None or lng is None:
        missing = "lat" if lat is None else "lng"
        raise ValidationFailed(
            _("Give the position as both lat and lng."), field=missing, code="position_half"
        )
    wgs_lat, wgs_lng = geo.to_wgs84(lat, lng, system)
    return selectors.centers_by_distance(centers, lat=wgs_lat, lng=wgs_lng)


@router.get("/centers/{slug}", response=CenterDetailOut)
def center_detail(request, slug: Annotated[Text, Field(max_length=60)]):
    return _found(selectors.center_by_slug(slug))


@router.get("/spaces/{space_id}", response=SpaceOut)
def space_detail(request, space_id: Id):
    return _found(selectors.space_by_id(space_id))
