"""Partnerships: a partner, its centers within its region and its contact; ending it; the
audited look at its full contact mobile; merging another partner into it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.core import audit
from dangqun.core.errors import ValidationFailed
from dangqun.core.text import clean_text
from dangqun.people import access, identity
from dangqun.places import selectors as places
from dangqun.places.models import Region, ServiceCenter

from .. import links
from ..models import Agreement, Partner, Receipt, SubBrand
from .common import _choice, _names, require_manager, typed_day

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
    partner.ended_on = typed_day(ended_on, field="ended_on", required=False) or timezone.localdate()
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
