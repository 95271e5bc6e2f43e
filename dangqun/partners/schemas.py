"""The schemas of the partners' API, public (api.py: no contact data) and staff
(staff_api.py: the contact mobile masked to staff outside the partner's region). Money is
a Decimal in yuan, given and shown as a string ("1200.00")."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from dangqun.core.hours import local
from dangqun.core.schemas import Day, Id, MultilineText, RequiredText, Text
from dangqun.core.templatetags.dq import loc
from dangqun.people import access, identity

from .models import Partner, Receipt, SubBrand

Kind = Literal[tuple(Partner.Kind.values)]
Slug = Annotated[Text, Field(max_length=50)]
Amount = Annotated[
    Decimal,
    Field(
        allow_inf_nan=False,
        description="Yuan (or hours), as a string or a number; never negative.",
        examples=["1200.00"],
    ),
]


# --- public -----------------------------------------------------------------------------------


class PartnerCenterOut(Schema):
    slug: str
    name: str = Field(description="In the caller's language.")

    @staticmethod
    def resolve_name(obj) -> str:
        return loc(obj)


class PartnerOut(Schema):
    public_id: UUID
    name: str = Field(examples=["浙江外国语学院"])
    name_en: str
    kind: Kind
    kind_label: str = Field(description="The kind, in the caller's language.")
    centers: list[PartnerCenterOut] = Field(description="The centers it co-builds with.")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_centers(obj) -> list:
        return list(obj.centers.all())


class PartnerSubBrandOut(Schema):
    public_id: UUID
    name: str = Field(examples=["学长帮帮团"])
    name_en: str
    description: str
    partner: UUID = Field(description="The public id of the partner giving it.")
    partner_name: str
    center: str = Field(description="The slug of the center where it is given.")
    center_name: str
    brand: UUID | None = Field(description="The brand it stands under, if any.")
    status: Literal[tuple(SubBrand.Status.values)]
    logo_url: str | None

    @staticmethod
    def resolve_partner(obj) -> UUID:
        return obj.partner.public_id

    @staticmethod
    def resolve_partner_name(obj) -> str:
        return loc(obj.partner)

    @staticmethod
    def resolve_center(obj) -> str:
        return obj.center.slug

    @staticmethod
    def resolve_center_name(obj) -> str:
        return loc(obj.center)

    @staticmethod
    def resolve_brand(obj) -> UUID | None:
        return obj.brand.public_id if obj.brand_id else None

    @staticmethod
    def resolve_logo_url(obj, context) -> str | None:
        if not obj.logo:
            return None
        return context["request"].build_absolute_uri(obj.logo.url)


class PartnerLinkOut(Schema):
    title: str
    url: str = Field(description="The page of the activity or service item.")
    center: str
    start: datetime | None = Field(description="The first session still to come.")
    kind: str

    @staticmethod
    def resolve_url(obj, context) -> str:
        return context["request"].build_absolute_uri(obj.url)

    @staticmethod
    def resolve_start(obj) -> datetime | None:
        return local(obj.start) if obj.start else None


class PartnerDetailOut(PartnerOut):
    description: str
    sub_brands: list[PartnerSubBrandOut] = Field(description="The sub-brands it gives now.")
    upcoming: list[PartnerLinkOut] = Field(description="Its activities still to come.")

    @staticmethod
    def resolve_sub_brands(obj) -> list:
        return obj.sub_brands_shown


class PartnerBrandOut(Schema):
    public_id: UUID
    name: str = Field(examples=["党建聚力·红暖未来"])
    name_en: str
    region: int = Field(description="The id of the district or street it belongs to.")
    region_name: str
    description: str
    sub_brands: list[PartnerSubBrandOut]

    @staticmethod
    def resolve_region(obj) -> int:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj) -> str:
        return loc(obj.region)

    @staticmethod
    def resolve_sub_brands(obj) -> list:
        found = getattr(obj, "active_sub_brands", None)
        return list(found if found is not None else obj.sub_brands.all())


class PartnerBrandDetailOut(PartnerBrandOut):
    centers: list[PartnerCenterOut] = Field(description="The centers within its region.")
    activities: list[PartnerLinkOut] = Field(
        description="Activities still to come carrying its sub-brands."
    )
    service_items: list[PartnerLinkOut] = Field(
        description="Service items offered under its sub-brands."
    )


# --- staff ------------------------------------------------------------------------------------


class PartnerStaffIn(Schema):
    name: Annotated[RequiredText, Field(max_length=120)]
    name_en: Annotated[Text, Field(max_length=120)] = ""
    kind: Kind
    region: Id = Field(description="The street (or district) whose staff run the partnership.")
    centers: list[Slug] = Field(
        max_length=200, description="Slugs of the centers it co-builds with, within the region."
    )
    contact_name: Annotated[Text, Field(max_length=60)] = ""
    contact_mobile: Annotated[Text, Field(max_length=30)] = Field(
        "", description="A mainland mobile number."
    )
    description: Annotated[MultilineText, Field(max_length=4000)] = ""


class PartnerStaffOut(PartnerOut):
    status: Literal[tuple(Partner.Status.values)]
    region: int
    region_name: str
    description: str
    contact_name: str
    contact_mobile: str = Field(
        description="Masked (139****0000) to staff outside the partner's region."
    )
    contact_masked: bool
    may_manage: bool = Field(description="Whether I run it (edit, pledges, receipts, merge).")
    from_old_data: bool = Field(description="Made from an activity's free-text partner.")
    ended_on: date | None
    merged_into: UUID | None

    @staticmethod
    def resolve_region(obj) -> int:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj) -> str:
        return loc(obj.region)

    @staticmethod
    def _manages(obj, context) -> bool:
        return access.covers(context["request"].user, obj.region, roles=access.MANAGERS)

    @staticmethod
    def resolve_may_manage(obj, context) -> bool:
        return PartnerStaffOut._manages(obj, context)

    @staticmethod
    def resolve_contact_masked(obj, context) -> bool:
        return bool(obj.contact_mobile) and not PartnerStaffOut._manages(obj, context)

    @staticmethod
    def resolve_contact_mobile(obj, context) -> str:
        if not obj.contact_mobile or PartnerStaffOut._manages(obj, context):
            return obj.contact_mobile
        return identity.mask_mobile(obj.contact_mobile)

    @staticmethod
    def resolve_merged_into(obj) -> UUID | None:
        return obj.merged_into.public_id if obj.merged_into_id else None


class PartnerAgreementIn(Schema):
    start: Day
    end: Day = Field(description="Not before the start.")
    pledged_hours: Amount = Decimal(0)
    pledged_sessions: int = Field(0, description="Sessions pledged per year; never negative.")
    pledged_money: Amount = Decimal(0)
    text: Annotated[MultilineText, Field(max_length=4000)] = ""


class PartnerAgreementOut(Schema):
    id: int
    start: date
    end: date
    pledged_hours: Decimal
    pledged_sessions: int
    pledged_money: Decimal
    text: str


class PartnerReceiptIn(Schema):
    kind: Literal[tuple(Receipt.Kind.values)]
    received_on: Day
    amount: Amount = Field(description="Yuan, above zero.")
    description: Annotated[RequiredText, Field(max_length=200)]
    agreement: Id | None = Field(None, description="The id of one of the partner's agreements.")


class PartnerReceiptOut(Schema):
    id: int
    kind: Literal[tuple(Receipt.Kind.values)]
    received_on: date
    amount: Decimal
    description: str
    agreement: int | None
    evidence_url: str

    @staticmethod
    def resolve_agreement(obj) -> int | None:
        return obj.agreement_id

    @staticmethod
    def resolve_evidence_url(obj, context) -> str:
        path = reverse(
            "api:partner_receipt_evidence",
            kwargs={"public_id": obj.partner.public_id, "pk": obj.pk},
        )
        return context["request"].build_absolute_uri(path)


class PartnerStaffDetailOut(PartnerStaffOut):
    agreements: list[PartnerAgreementOut]
    receipts: list[PartnerReceiptOut]
    sub_brands: list[PartnerSubBrandOut]

    @staticmethod
    def resolve_agreements(obj) -> list:
        return list(obj.agreements.order_by("-start", "id"))

    @staticmethod
    def resolve_receipts(obj) -> list:
        return list(obj.receipts.select_related("partner").order_by("-received_on", "-id"))

    @staticmethod
    def resolve_sub_brands(obj) -> list:
        return list(obj.sub_brands.select_related("partner", "center", "brand"))


class PartnerEndIn(Schema):
    ended_on: Day | None = Field(None, description="Today when not given.")


class PartnerRevealIn(Schema):
    reason: Annotated[RequiredText, Field(max_length=200)] = Field(
        description="Why the full number is needed (kept in the audit log)."
    )


class PartnerRevealOut(Schema):
    contact_mobile: str = Field(description="The full contact mobile.")


class PartnerMergeIn(Schema):
    merged: UUID = Field(description="The partner merged into this one (it ends).")


class PartnerSubBrandIn(Schema):
    name: Annotated[RequiredText, Field(max_length=120)]
    name_en: Annotated[Text, Field(max_length=120)] = ""
    center: Slug = Field(description="A center the partner co-builds with.")
    description: Annotated[Text, Field(max_length=300)] = ""
    brand: UUID | None = Field(None, description="A brand of the district or the center's street.")


class PartnerBrandIn(Schema):
    name: Annotated[RequiredText, Field(max_length=120)]
    name_en: Annotated[Text, Field(max_length=120)] = ""
    region: Id = Field(description="The district or a street.")
    description: Annotated[MultilineText, Field(max_length=4000)] = ""
    sub_brands: list[UUID] | None = Field(
        None,
        max_length=500,
        description="The sub-brands under it (replaces the list); unchanged when left out.",
    )


class PartnerBrandStaffOut(PartnerBrandOut):
    @staticmethod
    def resolve_sub_brands(obj) -> list:
        return list(obj.sub_brands.select_related("partner", "center", "brand"))
