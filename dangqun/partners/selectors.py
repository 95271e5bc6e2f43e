"""Reads of partners, sub-brands and brands, and the one rule of choosing a partnership:
an activity, an intake item or a team names a partner co-building with its center(s) and a
sub-brand that partner gives there (partnership_for)."""

import uuid

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dangqun.core.errors import ValidationFailed

from .models import Brand, Partner, SubBrand


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
