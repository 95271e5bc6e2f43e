"""Staff API of partners under /api/v1/staff/partners/: the partners of my regions (and
those co-building with my centers, their contact masked), one partner with its agreements,
receipts and sub-brands, creating and editing one, ending it, merging another into it,
agreements, receipts (multipart, with the evidence file) and the evidence itself,
sub-brands (and their logo), brands.

For district, street and center staff (staff_endpoint), scoped like the pages: a partner,
sub-brand or brand outside my regions is the same 404 as one that does not exist."""

import mimetypes
from typing import Literal

from django.http import FileResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from dangqun.accounts.auth import AUTH
from dangqun.core.errors import NotFound
from dangqun.people.decorators import staff_endpoint

from . import selectors, services
from .schemas import (
    PartnerAgreementIn,
    PartnerAgreementOut,
    PartnerBrandIn,
    PartnerBrandStaffOut,
    PartnerEndIn,
    PartnerMergeIn,
    PartnerReceiptIn,
    PartnerReceiptOut,
    PartnerRevealIn,
    PartnerRevealOut,
    PartnerStaffDetailOut,
    PartnerStaffIn,
    PartnerStaffOut,
    PartnerSubBrandIn,
    PartnerSubBrandOut,
)

router = Router(tags=["partners (staff)"], auth=AUTH)

EVIDENCE_TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"]


def _partner(request, public_id):
    return selectors.partner_for_staff(request.user, public_id)


def _managed(request, public_id):
    partner = _partner(request, public_id)
    services.require_manager(request.user, partner)
    return partner


def _partner_data(payload: PartnerStaffIn) -> dict:
    return payload.dict()


# --- brands and sub-brands (before /{public_id}, so their paths are not taken for ids) --------


@router.get("/brands/", response=list[PartnerBrandStaffOut], summary="The brands of my regions")
@staff_endpoint()
def brand_list(request):
    return list(selectors.brands_for_staff(request.user))


@router.post("/brands/", response={201: PartnerBrandStaffOut}, summary="Set up a brand")
@staff_endpoint()
def brand_create(request, payload: PartnerBrandIn):
    return Status(201, services.brand_create(actor=request.user, data=payload.dict()))


@router.get("/brands/{public_id}", response=PartnerBrandStaffOut, summary="One brand of my regions")
@staff_endpoint()
def brand_get(request, public_id: str):
    return selectors.brand_for_staff(request.user, public_id)


@router.put(
    "/brands/{public_id}",
    response=PartnerBrandStaffOut,
    summary="Change a brand (and, given, the list of sub-brands under it)",
)
@staff_endpoint()
def brand_update(request, public_id: str, payload: PartnerBrandIn):
    brand = selectors.brand_for_staff(request.user, public_id)
    return services.brand_update(actor=request.user, brand=brand, data=payload.dict())


@router.get("/sub-brands/{public_id}", response=PartnerSubBrandOut, summary="One sub-brand")
@staff_endpoint()
def sub_brand_get(request, public_id: str):
    return selectors.sub_brand_for_staff(request.user, public_id)


@router.put("/sub-brands/{public_id}", response=PartnerSubBrandOut, summary="Change a sub-brand")
@staff_endpoint()
def sub_brand_update(request, public_id: str, payload: PartnerSubBrandIn):
    sub_brand = selectors.sub_brand_for_staff(request.user, public_id)
    return services.sub_brand_update(actor=request.user, sub_brand=sub_brand, data=payload.dict())


@router.post(
    "/sub-brands/{public_id}/logo",
    response=PartnerSubBrandOut,
    summary="Set the logo of a sub-brand (multipart: the file, a JPEG, PNG or WebP picture)",
)
@staff_endpoint()
def sub_brand_logo(request, public_id: str, logo: File[UploadedFile] = None):
    sub_brand = selectors.sub_brand_for_staff(request.user, public_id)
    return services.sub_brand_set_logo(actor=request.user, sub_brand=sub_brand, logo=logo)


@router.post("/sub-brands/{public_id}/end", response=PartnerSubBrandOut, summary="End a sub-brand")
@staff_endpoint()
def sub_brand_end(request, public_id: str):
    sub_brand = selectors.sub_brand_for_staff(request.user, public_id)
    return services.sub_brand_end(actor=request.user, sub_brand=sub_brand)


# --- partners ---------------------------------------------------------------------------------


@router.get(
    "/",
    response=list[PartnerStaffOut],
    summary="Partners of my regions, and those co-building with my centers (contact masked)",
)
@staff_endpoint()
def partner_list(request, status: Literal["active", "ended", "all"] = "all"):
    return list(selectors.partners_for_staff(request.user, status=status))


@router.post("/", response={201: PartnerStaffOut}, summary="Add a partner")
@staff_endpoint()
def partner_create(request, payload: PartnerStaffIn):
    return Status(201, services.partner_create(actor=request.user, data=_partner_data(payload)))


@router.get(
    "/{public_id}",
    response=PartnerStaffDetailOut,
    summary="A partner with its agreements, receipts and sub-brands",
)
@staff_endpoint()
def partner_get(request, public_id: str):
    return _partner(request, public_id)


@router.put("/{public_id}", response=PartnerStaffOut, summary="Change a partner")
@staff_endpoint()
def partner_update(request, public_id: str, payload: PartnerStaffIn):
    partner = _partner(request, public_id)
    return services.partner_update(actor=request.user, partner=partner, data=_partner_data(payload))


@router.post(
    "/{public_id}/end",
    response=PartnerStaffOut,
    summary="End the partnership (its history and figures stay)",
)
@staff_endpoint()
def partner_end(request, public_id: str, payload: PartnerEndIn):
    partner = _partner(request, public_id)
    return services.partner_end(actor=request.user, partner=partner, ended_on=payload.ended_on)


@router.post(
    "/{public_id}/contact",
    response=PartnerRevealOut,
    summary="The full contact mobile, with a reason (audited)",
)
@staff_endpoint()
def partner_reveal(request, public_id: str, payload: PartnerRevealIn):
    partner = _partner(request, public_id)
    shown = services.partner_reveal_contact(
        actor=request.user, partner=partner, reason=payload.reason
    )
    return {"contact_mobile": shown}


@router.post(
    "/{public_id}/merge",
    response=PartnerStaffOut,
    summary="Merge another partner into this one: its centers, agreements, receipts, "
    "sub-brands, activities, service items and teams move here; it ends",
)
@staff_endpoint()
def partner_merge(request, public_id: str, payload: PartnerMergeIn):
    keep = _managed(request, public_id)
    merged = selectors.partner_for_staff(request.user, payload.merged)
    return services.partner_merge(actor=request.user, keep=keep, merged=merged)


@router.get("/{public_id}/agreements", response=list[PartnerAgreementOut], summary="Its agreements")
@staff_endpoint()
def agreement_list(request, public_id: str):
    return list(selectors.agreements_of(_partner(request, public_id)))


@router.post(
    "/{public_id}/agreements", response={201: PartnerAgreementOut}, summary="Enter an agreement"
)
@staff_endpoint()
def agreement_create(request, public_id: str, payload: PartnerAgreementIn):
    partner = _partner(request, public_id)
    agreement = services.agreement_create(actor=request.user, partner=partner, data=payload.dict())
    return Status(201, agreement)


@router.put(
    "/{public_id}/agreements/{agreement_id}",
    response=PartnerAgreementOut,
    summary="Change an agreement",
)
@staff_endpoint()
def agreement_update(request, public_id: str, agreement_id: int, payload: PartnerAgreementIn):
    agreement = selectors.agreement_of(_partner(request, public_id), agreement_id)
    return services.agreement_update(actor=request.user, agreement=agreement, data=payload.dict())


@router.get(
    "/{public_id}/receipts", response=list[PartnerReceiptOut], summary="Money and goods received"
)
@staff_endpoint()
def receipt_list(request, public_id: str):
    return list(selectors.receipts_of(_partner(request, public_id)).select_related("partner"))


@router.post(
    "/{public_id}/receipts",
    response={201: PartnerReceiptOut},
    summary="Enter money or goods received (multipart: the fields, and the evidence file, a "
    "photo or a PDF)",
)
@staff_endpoint()
def receipt_create(
    request,
    public_id: str,
    payload: Form[PartnerReceiptIn],
    evidence: File[UploadedFile] = None,
):
    partner = _partner(request, public_id)
    agreement = selectors.agreement_of(partner, payload.agreement) if payload.agreement else None
    receipt = services.receipt_create(
        actor=request.user,
        partner=partner,
        kind=payload.kind,
        received_on=payload.received_on,
        amount=payload.amount,
        description=payload.description,
        evidence=evidence,
        agreement=agreement,
    )
    return Status(201, receipt)


@router.get(
    "/{public_id}/receipts/{pk}/evidence",
    url_name="partner_receipt_evidence",
    summary="The evidence file of a receipt (a photo, or a PDF as a download)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The evidence",
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}} for t in EVIDENCE_TYPES
                },
            }
        }
    },
)
@staff_endpoint()
def receipt_evidence(request, public_id: str, pk: int):
    receipt = selectors.receipt_of(_partner(request, public_id), pk)
    name = receipt.evidence.name or ""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        handle = receipt.evidence.open("rb")
    except (OSError, ValueError):
        raise NotFound() from None
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type == "application/pdf",
        filename=f"receipt-{receipt.received_on:%Y%m%d}.{name.rsplit('.', 1)[-1]}",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@router.post(
    "/{public_id}/sub-brands",
    response={201: PartnerSubBrandOut},
    summary="Set up a sub-brand the partner gives at one of its centers",
)
@staff_endpoint()
def sub_brand_create(request, public_id: str, payload: PartnerSubBrandIn):
    partner = _partner(request, public_id)
    return Status(
        201, services.sub_brand_create(actor=request.user, partner=partner, data=payload.dict())
    )
