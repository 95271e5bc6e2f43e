"""Writes of partners: a partnership (its centers within its region, its contact), its end,
agreements and what they pledge, receipts of money or goods with evidence, sub-brands and
their logos, brands and the sub-brands under them, and the merge of two partners (a
partner "from old data" into the real one). Every write is audited; every refusal names
the field.

Who may write: staff (district, street, center) whose region covers the partner's region
(access.require on the partner); a sub-brand also the staff of its center's region; a
brand the staff of its region."""

import contextlib
import uuid
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.core import audit
from dangqun.core.attachments import checked_attachment
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.numbers import whole_number
from dangqun.core.photos import checked_photo
from dangqun.core.schemas import FIRST_DAY, LAST_DAY
from dangqun.core.text import clean_text
from dangqun.people import access, identity
from dangqun.places import selectors as places
from dangqun.places.models import Region, ServiceCenter

from . import links
from .models import Agreement, Brand, Partner, Receipt, SubBrand

# --- shared checks ----------------------------------------------------------------------------


def _day(value, *, field: str, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(_("Enter a date as YYYY-MM-DD."), field=field)
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValidationFailed(_("Enter a date as YYYY-MM-DD."), field=field) from None
    if not isinstance(value, date) or not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationFailed(
            _("Enter a date from %(first)s to %(last)s.")
            % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
            field=field,
        )
    return value


def _amount(value, *, field: str, places: int, maximum: Decimal, positive: bool = False):
    """A Decimal of at most `places` decimals, 0 (or more than 0) up to `maximum`."""
    if value in (None, ""):
        value = "0"
    if isinstance(value, bool | float):
        value = str(value)
    try:
        number = Decimal(str(value).strip()[:40])
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise ValidationFailed(_("Enter a number."), field=field)
    if number < 0:
        raise ValidationFailed(_("A pledge or an amount cannot be negative."), field=field)
    if positive and number == 0:
        raise ValidationFailed(_("Enter an amount above zero."), field=field)
    if number > maximum:
        raise ValidationFailed(_("At most %(n)s.") % {"n": f"{maximum:,}"}, field=field)
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise ValidationFailed(_("At most %(n)d decimal places.") % {"n": places}, field=field)
    return number.quantize(Decimal(1).scaleb(-places))


def _choice(value, choices, *, field: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(_("Choose from the list."), field=field)
    return value


def _names(data: dict) -> dict:
    return {
        "name": clean_text(data.get("name"), field="name", max_length=120, required=True),
        "name_en": clean_text(data.get("name_en"), field="name_en", max_length=120),
    }


def require_manager(actor, partner: Partner) -> None:
    """Staff whose region covers the partner's; anyone else the same 404 as a missing one."""
    access.require(actor, access.MANAGERS, partner)


def may_manage(actor, partner: Partner) -> bool:
    return access.covers(actor, partner.region, roles=access.MANAGERS)


# --- partners ---------------------------------------------------------------------------------


def _region(actor, region) -> Region:
    if not isinstance(region, Region):
        region = places.region_by_id(region) if region not in (None, "") else None
    if region is None:
        raise ValidationFailed(_("Choose the region of the partnership."), field="region")
    if not access.covers(actor, region, roles=access.MANAGERS):
        raise ValidationFailed(_("Choose a region you work in."), field="region")
    return region


def _centers(region: Region, centers) -> list[ServiceCenter]:
    """The centers named (objects or slugs), each within the region; at least one."""
    within = {c.slug: c for c in places.centers_public(street=region)}
    chosen = []
    for center in centers or ():
        slug = getattr(center, "slug", center)
        if not isinstance(slug, str) or slug not in within:
            raise ValidationFailed(
                _("Choose centers within the partnership's region."), field="centers"
            )
        if within[slug] not in chosen:
            chosen.append(within[slug])
    if not chosen:
        raise ValidationFailed(
            _("Choose at least one center the partner co-builds with."), field="centers"
        )
    return chosen


def _partner_fields(actor, data: dict) -> dict:
    mobile = clean_text(data.get("contact_mobile"), field="contact_mobile", max_length=30)
    return {
        **_names(data),
        "kind": _choice(data.get("kind"), Partner.Kind, field="kind"),
        "region": _region(actor, data.get("region")),
        "contact_name": clean_text(data.get("contact_name"), field="contact_name", max_length=60),
        "contact_mobile": (
            identity.normalize_mobile(mobile, field="contact_mobile") if mobile else ""
        ),
        "description": clean_text(
            data.get("description"), field="description", max_length=4000, multiline=True
        ),
    }


@transaction.atomic
def partner_create(*, actor, data: dict) -> Partner:
    """`data`: name, name_en, kind, region (a Region or its id), centers (objects or
    slugs, within the region), contact_name, contact_mobile, description."""
    access.require(actor, access.MANAGERS)
    fields = _partner_fields(actor, data)
    centers = _centers(fields["region"], data.get("centers"))
    partner = Partner.objects.create(created_by=actor, **fields)
    partner.centers.set(centers)
    audit.record(
        actor,
        "partner.create",
        partner,
        {"name": partner.name, "centers": [c.slug for c in centers]},
    )
    return partner


@transaction.atomic
def partner_update(*, actor, partner: Partner, data: dict) -> Partner:
    """The same fields as partner_create. A center where the partner still gives a
    sub-brand stays among its centers."""
    require_manager(actor, partner)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    fields = _partner_fields(actor, data)
    centers = _centers(fields["region"], data.get("centers"))
    kept = set(
        partner.sub_brands.filter(status=SubBrand.Status.ACTIVE).values_list("center", flat=True)
    )
    if kept - {c.pk for c in centers}:
        raise ValidationFailed(
            _("The partner gives a sub-brand at a center you left out: end the sub-brand first."),
            field="centers",
        )
    for key, value in fields.items():
        setattr(partner, key, value)
    partner.save()
    partner.centers.set(centers)
    audit.record(
        actor,
        "partner.update",
        partner,
        {"name": partner.name, "centers": [c.slug for c in centers]},
    )
    return partner


@transaction.atomic
def partner_end(*, actor, partner: Partner, ended_on=None) -> Partner:
    """The partnership ends: its history and figures stay; it is no longer offered for new
    activities, service items or teams (partners.selectors.partnership_for)."""
    require_manager(actor, partner)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.status == Partner.Status.ENDED:
        raise ValidationFailed(_("This partnership has ended already."), field="status")
    partner.status = Partner.Status.ENDED
    partner.ended_on = _day(ended_on, field="ended_on", required=False) or timezone.localdate()
    partner.save(update_fields=["status", "ended_on"])
    audit.record(actor, "partner.end", partner, {"ended_on": partner.ended_on.isoformat()})
    return partner


@transaction.atomic
def partner_reveal_contact(*, actor, partner: Partner, reason: str) -> str:
    """The full contact mobile for staff outside the partner's region: every look is in the
    audit log, with the reason."""
    reason = clean_text(
        reason,
        field="reason",
        max_length=200,
        required=True,
        message=_("Say why you need the full number."),
    )
    audit.record(actor, "partner.reveal_contact", partner, {"reason": reason})
    return partner.contact_mobile


def _active(partner: Partner, *, field: str = "partner") -> None:
    """The partnership is still active (read from the database, not a caller's copy)."""
    if not Partner.objects.filter(pk=partner.pk, status=Partner.Status.ACTIVE).exists():
        raise ValidationFailed(_("This partnership has ended."), field=field)


# --- agreements -------------------------------------------------------------------------------

HOURS_MAX = Decimal("9999999.9")
MONEY_MAX = Decimal("9999999999.99")


def _agreement_fields(data: dict) -> dict:
    start = _day(data.get("start"), field="start")
    end = _day(data.get("end"), field="end")
    if end < start:
        raise ValidationFailed(_("The agreement cannot end before it starts."), field="end")
    sessions = data.get("pledged_sessions")
    if sessions not in (None, "") and _negative(sessions):
        raise ValidationFailed(
            _("A pledge or an amount cannot be negative."), field="pledged_sessions"
        )
    return {
        "start": start,
        "end": end,
        "pledged_hours": _amount(
            data.get("pledged_hours"), field="pledged_hours", places=1, maximum=HOURS_MAX
        ),
        "pledged_sessions": whole_number(
            0 if sessions in (None, "") else sessions,
            field="pledged_sessions",
            low=0,
            high=100_000,
        ),
        "pledged_money": _amount(
            data.get("pledged_money"), field="pledged_money", places=2, maximum=MONEY_MAX
        ),
        "text": clean_text(data.get("text"), field="text", max_length=4000, multiline=True),
    }


def _negative(value) -> bool:
    try:
        return Decimal(str(value).strip()[:40]) < 0
    except (InvalidOperation, ValueError):
        return False


@transaction.atomic
def agreement_create(*, actor, partner: Partner, data: dict) -> Agreement:
    """`data`: start, end, pledged_hours, pledged_sessions (per year), pledged_money (¥),
    text."""
    require_manager(actor, partner)
    _active(partner)
    agreement = Agreement.objects.create(
        partner=partner, created_by=actor, **_agreement_fields(data)
    )
    audit.record(actor, "partner_agreement.create", agreement, _agreement_audit(agreement))
    return agreement


@transaction.atomic
def agreement_update(*, actor, agreement: Agreement, data: dict) -> Agreement:
    require_manager(actor, agreement.partner)
    for key, value in _agreement_fields(data).items():
        setattr(agreement, key, value)
    agreement.save()
    audit.record(actor, "partner_agreement.update", agreement, _agreement_audit(agreement))
    return agreement


def _agreement_audit(agreement: Agreement) -> dict:
    return {
        "partner": agreement.partner_id,
        "start": agreement.start.isoformat(),
        "end": agreement.end.isoformat(),
        "pledged_hours": str(agreement.pledged_hours),
        "pledged_sessions": agreement.pledged_sessions,
        "pledged_money": str(agreement.pledged_money),
    }


# --- receipts ---------------------------------------------------------------------------------


def receipt_create(**kwargs) -> Receipt:
    """Money or goods the partner gave, with its evidence (a photo or a PDF, stored under
    var/attachments and served only through a staff page or endpoint). A file written
    before a refusal is removed again."""
    written: list[str] = []
    try:
        return _receipt_create(written=written, **kwargs)
    except BaseException:
        for name in written:
            with contextlib.suppress(OSError):
                Receipt.evidence.field.storage.delete(name)
        raise


@transaction.atomic
def _receipt_create(
    *,
    written: list[str],
    actor,
    partner: Partner,
    kind: str,
    received_on,
    amount,
    description: str,
    evidence,
    agreement: Agreement | None = None,
) -> Receipt:
    require_manager(actor, partner)
    kind = _choice(kind, Receipt.Kind, field="kind")
    received_on = _day(received_on, field="received_on")
    if received_on > timezone.localdate():
        raise ValidationFailed(_("This day is still to come."), field="received_on")
    amount = _amount(amount, field="amount", places=2, maximum=MONEY_MAX, positive=True)
    description = clean_text(description, field="description", max_length=200, required=True)
    if agreement is not None and agreement.partner_id != partner.pk:
        raise ValidationFailed(_("Choose an agreement of this partner."), field="agreement")
    if not evidence:
        raise ValidationFailed(_("Attach a photo or a PDF as evidence."), field="evidence")
    extension, _content_type = checked_attachment(evidence, field="evidence")
    receipt = Receipt(
        partner=partner,
        agreement=agreement,
        kind=kind,
        received_on=received_on,
        amount=amount,
        description=description,
        entered_by=actor,
    )
    evidence.seek(0)
    name = f"{uuid.uuid4().hex}.{extension}"
    written.append(receipt.evidence.field.generate_filename(receipt, name))
    receipt.evidence.save(name, evidence, save=False)
    written[-1] = receipt.evidence.name
    receipt.save()
    audit.record(
        actor,
        "partner_receipt.create",
        receipt,
        {"partner": partner.pk, "kind": kind, "amount": str(amount)},
    )
    return receipt


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


# --- merging ----------------------------------------------------------------------------------


@transaction.atomic
def partner_merge(*, actor, keep: Partner, merged: Partner) -> Partner:
    """`merged` (often one made from old data) becomes `keep`: its centers, agreements,
    receipts and sub-brands move over, and every activity, service item and team naming it
    (through links' registry) names `keep`; `merged` ends, merged into `keep`."""
    require_manager(actor, keep)
    require_manager(actor, merged)
    keep, merged = (
        Partner.objects.select_for_update().select_related("region").get(pk=p.pk)
        for p in (keep, merged)
    )
    if keep.pk == merged.pk:
        raise ValidationFailed(_("Choose another partner to merge."), field="merged")
    if merged.merged_into_id is not None:
        raise ValidationFailed(_("This partner was merged already."), field="merged")
    if keep.merged_into_id is not None:
        raise ValidationFailed(_("This partner was merged into another one."), field="keep")
    centers = list(merged.centers.select_related("region"))
    if any(not c.region.path.startswith(keep.region.path) for c in centers):
        raise ValidationFailed(
            _(
                "The partner to merge co-builds with centers outside the region of the one "
                "kept: widen that region first."
            ),
            field="merged",
        )
    keep.centers.add(*centers)
    merged.centers.clear()
    moved = {
        "centers": len(centers),
        "agreements": Agreement.objects.filter(partner=merged).update(partner=keep),
        "receipts": Receipt.objects.filter(partner=merged).update(partner=keep),
        "sub_brands": SubBrand.objects.filter(partner=merged).update(partner=keep),
        "merged_before": Partner.objects.filter(merged_into=merged).update(merged_into=keep),
        **links.repoint_all(merged.pk, keep.pk),
    }
    merged.status = Partner.Status.ENDED
    merged.ended_on = merged.ended_on or timezone.localdate()
    merged.merged_into = keep
    merged.save(update_fields=["status", "ended_on", "merged_into"])
    audit.record(actor, "partner.merge", keep, {"merged": merged.pk, "moved": moved})
    audit.record(actor, "partner.merged_into", merged, {"keep": keep.pk})
    return keep
