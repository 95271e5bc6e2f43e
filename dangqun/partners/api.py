"""Public API of partners and brands under /api/v1/partners/ (no sign-in, no contact
data): the active partners, one partner with its sub-brands and upcoming activities, the
brands, and one brand with its sub-brands, centers, activities and service items."""

from ninja import Router

from dangqun.places import selectors as places

from . import links, selectors
from .schemas import PartnerBrandDetailOut, PartnerBrandOut, PartnerDetailOut, PartnerOut

router = Router(tags=["partners"])


@router.get("/", response=list[PartnerOut], summary="Active partners with their centers")
def partner_list(request):
    return list(selectors.partners_public())


@router.get(
    "/brands/", response=list[PartnerBrandOut], summary="The district's and streets' brands"
)
def brand_list(request):
    return list(selectors.brands_public())


@router.get(
    "/brands/{public_id}",
    response=PartnerBrandDetailOut,
    summary="A brand: its sub-brands, the centers within its region, the activities and "
    "service items carrying its sub-brands",
)
def brand_detail(request, public_id: str):
    brand = selectors.brand_public(public_id)
    carried = links.carrying([s.pk for s in brand.active_sub_brands])
    brand.centers = list(places.centers_public(street=brand.region))
    brand.activities = carried.get("activities", [])
    brand.service_items = carried.get("service_items", [])
    return brand


@router.get(
    "/{public_id}",
    response=PartnerDetailOut,
    summary="An active partner: description, sub-brands and upcoming activities",
)
def partner_detail(request, public_id: str):
    partner = selectors.partner_public(public_id)
    partner.sub_brands_shown = list(selectors.sub_brands_public(partner).select_related("partner"))
    partner.upcoming = links.upcoming([partner.pk])
    return partner
