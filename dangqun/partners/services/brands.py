"""Sub-brands a partner gives at its centers (and their logos); the district's and
streets' brands and the sub-brands under them."""

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from dangqun.core import audit
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.photos import checked_photo
from dangqun.core.text import clean_text
from dangqun.people import access
from dangqun.places import selectors as places
from dangqun.places.models import Region, ServiceCenter

from ..models import Brand, Partner, SubBrand
from .common import _active, _names, may_manage

# --- sub-brands -------------------------------------------------------------------------------


def _sub_brand_center(actor, partner: Partner, center) -> ServiceCenter:
    if not isinstance(center, ServiceCenter):
        center = places.center_by_slug(center) if isinstance(center, str) and center else None
    if center is None:
        raise ValidationFailed(_("Choose the center of the sub-brand."), field="center")
    if not partner.centers.filter(pk=center.pk).exists():
        raise ValidationFailed(
            _("This partner does not co-build with this center: add the center to it first."),
            field="center",
        )
    if not (
        may_manage(actor, partner) or access.covers(actor, center.region, roles=access.MANAGERS)
    ):
        raise NotFound()
    return center


def _brand_for(brand, center: ServiceCenter) -> Brand | None:
    if brand in (None, ""):
        return None
    if not isinstance(brand, Brand):
        try:
            brand = Brand.objects.select_related("region").get(public_id=uuid.UUID(str(brand)))
        except (ValueError, Brand.DoesNotExist):
            raise ValidationFailed(_("Choose from the list."), field="brand") from None
    if not center.region.path.startswith(brand.region.path):
        raise ValidationFailed(
            _("Choose a brand of the district or of the center's street."), field="brand"
        )
    return brand


def _sub_brand_fields(data: dict) -> dict:
    return {
        **_names(data),
        "description": clean_text(data.get("description"), field="description", max_length=300),
    }


def _store_logo(sub_brand: SubBrand, logo) -> None:
    if not logo:
        return
    extension, content = checked_photo(logo, field="logo")
    # A random name: the uploader's file name may carry personal details.
    sub_brand.logo.save(f"{uuid.uuid4().hex}.{extension}", content, save=False)


@transaction.atomic
def sub_brand_create(*, actor, partner: Partner, data: dict, logo=None) -> SubBrand:
    """`data`: name, name_en, center (object or slug; one the partner co-builds with),
    description, brand (object or public id; of the district or the center's street)."""
    center = _sub_brand_center(actor, partner, data.get("center"))
    _active(partner)
    sub_brand = SubBrand(
        partner=partner,
        center=center,
        brand=_brand_for(data.get("brand"), center),
        **_sub_brand_fields(data),
    )
    _store_logo(sub_brand, logo)
    sub_brand.save()
    audit.record(
        actor,
        "sub_brand.create",
        sub_brand,
        {"name": sub_brand.name, "partner": partner.pk, "center": center.slug},
    )
    return sub_brand


@transaction.atomic
def sub_brand_update(*, actor, sub_brand: SubBrand, data: dict, logo=None) -> SubBrand:
    center = _sub_brand_center(actor, sub_brand.partner, data.get("center") or sub_brand.center)
    for key, value in _sub_brand_fields(data).items():
        setattr(sub_brand, key, value)
    sub_brand.center = center
    sub_brand.brand = _brand_for(data.get("brand"), center)
    _store_logo(sub_brand, logo)
    sub_brand.save()
    audit.record(
        actor, "sub_brand.update", sub_brand, {"name": sub_brand.name, "center": center.slug}
    )
    return sub_brand


@transaction.atomic
def sub_brand_set_logo(*, actor, sub_brand: SubBrand, logo) -> SubBrand:
    _sub_brand_center(actor, sub_brand.partner, sub_brand.center)
    if not logo:
        raise ValidationFailed(_("Choose a picture for the logo."), field="logo")
    _store_logo(sub_brand, logo)
    sub_brand.save(update_fields=["logo"])
    audit.record(actor, "sub_brand.set_logo", sub_brand, {})
    return sub_brand


@transaction.atomic
def sub_brand_end(*, actor, sub_brand: SubBrand) -> SubBrand:
    _sub_brand_center(actor, sub_brand.partner, sub_brand.center)
    if sub_brand.status == SubBrand.Status.ENDED:
        raise ValidationFailed(_("This sub-brand has ended already."), field="status")
    sub_brand.status = SubBrand.Status.ENDED
    sub_brand.save(update_fields=["status"])
    audit.record(actor, "sub_brand.end", sub_brand, {})
    return sub_brand


# --- brands -----------------------------------------------------------------------------------

BRAND_LEVELS = (Region.Level.DISTRICT, Region.Level.STREET, Region.Level.TOWN)


def _brand_fields(actor, data: dict) -> dict:
    region = data.get("region")
    if not isinstance(region, Region):
        region = places.region_by_id(region) if region not in (None, "") else None
    if region is None or region.level not in BRAND_LEVELS:
        raise ValidationFailed(_("Choose the district or a street."), field="region")
    if not access.covers(actor, region, roles=access.MANAGERS):
        raise ValidationFailed(_("Choose a region you work in."), field="region")
    return {
        **_names(data),
        "region": region,
        "description": clean_text(
            data.get("description"), field="description", max_length=4000, multiline=True
        ),
    }


def _attach(actor, brand: Brand, sub_brands) -> list[int]:
    """The sub-brands under the brand become exactly these (objects or public ids), each at
    a center within the brand's region."""
    if sub_brands is None:
        return list(brand.sub_brands.values_list("pk", flat=True))
    chosen = []
    within = access.scope(
        actor,
        SubBrand.objects.filter(center__region__path__startswith=brand.region.path),
        roles=access.MANAGERS,
    )
    for item in sub_brands:
        public_id = getattr(item, "public_id", item)
        try:
            found = within.get(public_id=uuid.UUID(str(public_id)))
        except (ValueError, SubBrand.DoesNotExist):
            raise ValidationFailed(
                _("Choose sub-brands at centers within the brand's region."), field="sub_brands"
            ) from None
        chosen.append(found.pk)
    SubBrand.objects.filter(brand=brand).exclude(pk__in=chosen).update(brand=None)
    SubBrand.objects.filter(pk__in=chosen).update(brand=brand)
    return chosen


@transaction.atomic
def brand_create(*, actor, data: dict) -> Brand:
    """`data`: name, name_en, region (the district or a street: object or id), description,
    sub_brands (optional: those under it)."""
    access.require(actor, access.MANAGERS)
    brand = Brand.objects.create(**_brand_fields(actor, data))
    attached = _attach(actor, brand, data.get("sub_brands") or [])
    audit.record(actor, "brand.create", brand, {"name": brand.name, "sub_brands": attached})
    return brand


@transaction.atomic
def brand_update(*, actor, brand: Brand, data: dict) -> Brand:
    access.require(actor, access.MANAGERS, brand)
    for key, value in _brand_fields(actor, data).items():
        setattr(brand, key, value)
    brand.save()
    attached = _attach(actor, brand, data.get("sub_brands"))
    audit.record(actor, "brand.update", brand, {"name": brand.name, "sub_brands": attached})
    return brand
