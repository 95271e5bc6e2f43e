"""Reads of partners, sub-brands and brands, and the one rule of choosing a partnership:
an activity, an intake item or a team names a partner co-building with its center(s) and a
sub-brand that partner gives there (partnership_for)."""

import uuid

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.people import access
from dangqun.places.models import Region, ServiceCenter

from .models import Agreement, Brand, Partner, Receipt, SubBrand


def _ids(centers) -> list[int]:
    return [getattr(center, "pk", center) for center in centers]


def partners_for_centers(centers) -> QuerySet:
    """Active partners co-building with any of `centers`."""
    return (
        Partner.objects.filter(status=Partner.Status.ACTIVE, centers__in=_ids(centers))
        .distinct()
        .order_by("name", "id")
    )


def sub_brands_for_centers(centers) -> QuerySet:
    """Active sub-brands given at any of `centers` by an active partner."""
    return SubBrand.objects.filter(
        status=SubBrand.Status.ACTIVE,
        partner__status=Partner.Status.ACTIVE,
        center__in=_ids(centers),
    ).select_related("partner", "center")


def partnership_choices(centers, *, kept=(None, None)) -> tuple[QuerySet, QuerySet]:
    """What a form offers: the partners and sub-brands of `centers`, plus the record's own
    (`kept`: its current partner and sub-brand), which stay choosable after they end."""
    kept_partner, kept_sub_brand = kept
    partners = Partner.objects.filter(
        Q(pk__in=partners_for_centers(centers).values("pk"))
        | Q(pk=getattr(kept_partner, "pk", None))
    ).order_by("name", "id")
    sub_brands = SubBrand.objects.filter(
        Q(pk__in=sub_brands_for_centers(centers).values("pk"))
        | Q(pk=getattr(kept_sub_brand, "pk", None))
    ).order_by("name", "id")
    return partners, sub_brands


def _record(model, value, field: str):
    """A record from itself, its public id (UUID or text) or nothing."""
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    try:
        public_id = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
        return model.objects.get(public_id=public_id)
    except (ValueError, model.DoesNotExist):
        raise ValidationFailed(_no_such[field], field=field) from None


_no_such = {
    "partner": _("Choose a partner co-building with this center from the list."),
    "sub_brand": _("Choose a sub-brand given at this center from the list."),
}


def partnership_for(centers, *, partner=None, sub_brand=None, kept=(None, None)):
    """The one rule: returns (partner, sub_brand) for a record held at `centers`, or
    refuses naming the field. A sub-brand alone brings its partner. The record's current
    partner and sub-brand (`kept`) stay valid after they end or the centers change, so an
    old activity can still be edited."""
    partner = _record(Partner, partner, "partner")
    sub_brand = _record(SubBrand, sub_brand, "sub_brand")
    # A partner that came with the sub-brand is refused on the sub-brand, the field given.
    field = "partner"
    if sub_brand is not None and partner is None:
        partner, field = sub_brand.partner, "sub_brand"
    kept_partner, kept_sub_brand = kept
    if (
        partner is not None
        and partner != kept_partner
        and not partners_for_centers(centers).filter(pk=partner.pk).exists()
    ):
        raise ValidationFailed(_no_such[field], field=field)
    if sub_brand is not None:
        if sub_brand.partner_id != partner.pk:
            raise ValidationFailed(
                _("This sub-brand belongs to another partner."), field="sub_brand"
            )
        if sub_brand != kept_sub_brand and not (
            sub_brands_for_centers(centers).filter(pk=sub_brand.pk).exists()
        ):
            raise ValidationFailed(_no_such["sub_brand"], field="sub_brand")
    return partner, sub_brand


def partners_all_active() -> QuerySet:
    return Partner.objects.filter(status=Partner.Status.ACTIVE).order_by("name", "id")


def sub_brands_all_active() -> QuerySet:
    return SubBrand.objects.filter(
        status=SubBrand.Status.ACTIVE, partner__status=Partner.Status.ACTIVE
    ).select_related("partner", "center")


def brands() -> QuerySet:
    return Brand.objects.select_related("region").order_by("region__path", "name", "id")


# --- pages and API of partners (issue 16): staff reads scoped by people/access.py, public
# reads of active partners and brands ----------------------------------------------------------


def _uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise NotFound() from None


def partners_for_staff(user, *, status: str = "") -> QuerySet:
    """Partners run in my regions, and those co-building with a center of my regions (which
    I see with the contact masked unless I run it)."""
    mine = access.scope(user, Partner.objects.all(), roles=access.MANAGERS).values("pk")
    at_my_centers = access.centers_for_staff(user).values("pk")
    found = Partner.objects.filter(Q(pk__in=mine) | Q(centers__in=at_my_centers)).distinct()
    if status in Partner.Status.values:
        found = found.filter(status=status)
    return (
        Partner.objects.filter(pk__in=found.values("pk"))
        .select_related("region", "merged_into")
        .prefetch_related(
            Prefetch("centers", queryset=ServiceCenter.objects.select_related("region"))
        )
        .order_by("status", "name", "id")
    )


def partner_for_staff(user, public_id) -> Partner:
    access.require(user, access.MANAGERS)
    found = partners_for_staff(user).filter(public_id=_uuid(public_id)).first()
    if found is None:
        raise NotFound()
    return found


def partners_to_merge(user, partner: Partner) -> QuerySet:
    """The other partners I run that may be merged into this one (not merged already)."""
    return (
        access.scope(user, Partner.objects.all(), roles=access.MANAGERS)
        .exclude(pk=partner.pk)
        .filter(merged_into__isnull=True)
        .order_by("name", "id")
    )


def agreements_of(partner: Partner) -> QuerySet:
    return partner.agreements.order_by("-start", "id")


def agreement_of(partner: Partner, pk) -> Agreement:
    try:
        return partner.agreements.get(pk=int(pk))
    except (TypeError, ValueError, OverflowError, Agreement.DoesNotExist):
        raise NotFound() from None


def receipts_of(partner: Partner) -> QuerySet:
    return partner.receipts.select_related("agreement").order_by("-received_on", "-id")


def receipt_of(partner: Partner, pk) -> Receipt:
    try:
        return partner.receipts.get(pk=int(pk))
    except (TypeError, ValueError, OverflowError, Receipt.DoesNotExist):
        raise NotFound() from None


def sub_brands_of(partner: Partner) -> QuerySet:
    return partner.sub_brands.select_related("center", "brand").order_by("status", "name", "id")


def sub_brand_for_staff(user, public_id) -> SubBrand:
    """A sub-brand at a center of my regions, or of a partner I run."""
    access.require(user, access.MANAGERS)
    found = (
        SubBrand.objects.select_related("partner__region", "center__region", "brand")
        .filter(public_id=_uuid(public_id))
        .first()
    )
    if found is None or not (
        access.covers(user, found.center.region, roles=access.MANAGERS)
        or access.covers(user, found.partner.region, roles=access.MANAGERS)
    ):
        raise NotFound()
    return found


def brands_for_staff(user) -> QuerySet:
    return access.scope(user, brands(), roles=access.MANAGERS).prefetch_related("sub_brands")


def brand_for_staff(user, public_id) -> Brand:
    return access.get_or_404(
        user,
        Brand.objects.select_related("region"),
        roles=access.MANAGERS,
        public_id=_uuid(public_id),
    )


def sub_brands_for_brand_choice(user, brand_region=None) -> QuerySet:
    """Sub-brands I may put under a brand: at centers of my regions (within the brand's
    region when it is known)."""
    found = access.scope(
        user, SubBrand.objects.select_related("partner", "center"), roles=access.MANAGERS
    )
    if brand_region is not None:
        found = found.filter(center__region__path__startswith=brand_region.path)
    return found.order_by("name", "id")


def _regions(levels) -> QuerySet:
    return Region.objects.filter(level__in=levels) if levels else Region.objects.all()


def regions_for_staff(user, *, levels=None) -> QuerySet:
    """The regions the user runs (their own and those inside), of `levels` if given."""
    return access.scope(user, _regions(levels), roles=access.MANAGERS).order_by("path")


def region_for_staff(user, pk, *, levels=None) -> Region:
    """One of regions_for_staff, or 404."""
    return access.get_or_404(user, _regions(levels), roles=access.MANAGERS, pk=pk)


# Public reads: active partners, no contact data (the pages and API choose what to show).


def partners_public() -> QuerySet:
    return partners_all_active().prefetch_related(
        Prefetch(
            "centers",
            queryset=ServiceCenter.objects.select_related("region").order_by("name"),
        )
    )


def partner_public(public_id) -> Partner:
    found = partners_public().filter(public_id=_uuid(public_id)).first()
    if found is None:
        raise NotFound()
    return found


def partner_kept_for(public_id) -> Partner | None:
    """The active partner a merged one now lives on in (its old public page points there)."""
    try:
        found = Partner.objects.select_related("merged_into").get(public_id=_uuid(public_id))
    except (NotFound, Partner.DoesNotExist):
        return None
    seen = set()
    while found.merged_into_id is not None and found.pk not in seen:
        seen.add(found.pk)
        found = found.merged_into
    return found if found.status == Partner.Status.ACTIVE and seen else None


def sub_brands_public(partner: Partner) -> QuerySet:
    return partner.sub_brands.filter(status=SubBrand.Status.ACTIVE).select_related(
        "center", "brand"
    )


def brands_public() -> QuerySet:
    return brands().prefetch_related(
        Prefetch(
            "sub_brands",
            queryset=sub_brands_all_active(),
            to_attr="active_sub_brands",
        )
    )


def brand_public(public_id) -> Brand:
    found = brands_public().filter(public_id=_uuid(public_id)).first()
    if found is None:
        raise NotFound()
    return found
