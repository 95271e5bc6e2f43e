"""Schemas of the intake API, shared by the residents' and the staff's endpoints.

What comes in uses the constrained types of core/schemas.py (text within the model's
length, coordinates in China, ids in 64 bits); the services check the rest (an item's
extra fields, the district's area). Names are the app's own (`Request...`, `Item...`):
a schema name means one class across the whole API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from django.urls import reverse
from ninja import Field, Schema

from dangqun.core.hours import local
from dangqun.core.schemas import Id, Latitude, Longitude, MultilineText, RequiredText, Text
from dangqun.core.templatetags.dq import loc

from .models import Attachment, Kind, RequestEvent, ServiceItem, ServiceRequest

# The lengths of the models' fields (and of the services' checks).
CODE = 60  # ServiceItem.code
SLUG = 60  # ServiceCenter.slug
DESCRIPTION = 2000  # services.MAX_DESCRIPTION
NOTE = 1000  # services.MAX_NOTE
ADDRESS = 200  # ServiceRequest.address
MAX_VALUES = 30  # catalogue.MAX_FIELDS: a request answers at most that many extra fields

ItemCode = Annotated[RequiredText, Field(max_length=CODE)]
RequestNumber = Annotated[RequiredText, Field(max_length=20)]  # ServiceRequest.number
CenterSlug = Annotated[Text, Field(max_length=SLUG)]
KindCode = Literal[tuple(Kind.values)]
KindFilter = Literal[("", *Kind.values)]  # "": any kind


class ItemFieldOut(Schema):
    code: str
    label: str
    datatype: str
    required: bool
    choices: list[dict]
    help_text: str


class ItemOut(Schema):
    code: str
    name: str
    name_en: str
    kind: str
    kind_label: str
    center: str | None
    region: int | None
    unit: str
    staff_group: str
    description: str
    materials: str
    online: bool
    counter: bool
    time_limit_days: int
    location_required: bool
    fields: list[ItemFieldOut]
    partner: str
    partner_id: UUID | None
    sub_brand: str
    sub_brand_id: UUID | None

    @staticmethod
    def resolve_kind_label(obj: ServiceItem) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_center(obj: ServiceItem) -> str | None:
        return obj.center.slug if obj.center_id else None

    @staticmethod
    def resolve_region(obj: ServiceItem) -> int | None:
        return obj.region_id

    @staticmethod
    def resolve_fields(obj: ServiceItem):
        return list(obj.fields.all())

    @staticmethod
    def resolve_partner(obj: ServiceItem) -> str:
        return loc(obj.partner) if obj.partner_id else ""

    @staticmethod
    def resolve_partner_id(obj: ServiceItem) -> UUID | None:
        return obj.partner.public_id if obj.partner_id else None

    @staticmethod
    def resolve_sub_brand(obj: ServiceItem) -> str:
        return loc(obj.sub_brand) if obj.sub_brand_id else ""

    @staticmethod
    def resolve_sub_brand_id(obj: ServiceItem) -> UUID | None:
        return obj.sub_brand.public_id if obj.sub_brand_id else None


class RequestEventOut(Schema):
    action: str
    action_label: str
    status: str
    at: datetime
    note: str
    by_staff: bool

    @staticmethod
    def resolve_action_label(obj: RequestEvent) -> str:
        return str(obj.get_action_display())

    @staticmethod
    def resolve_at(obj: RequestEvent) -> datetime:
        return local(obj.at)

    @staticmethod
    def resolve_by_staff(obj: RequestEvent) -> bool:
        return obj.actor_id is not None and obj.actor_id != obj.request.person_id


class RequestAttachmentOut(Schema):
    id: UUID
    name: str
    content_type: str
    size: int
    url: str

    @staticmethod
    def resolve_id(obj: Attachment) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_name(obj: Attachment) -> str:
        return obj.original_name

    @staticmethod
    def resolve_url(obj: Attachment) -> str:
        return reverse("intake:attachment", args=[obj.public_id])


class RequestRatingOut(Schema):
    score: int
    comment: str


class RequestOut(Schema):
    number: str
    item: str
    item_name: str
    kind: str
    center: str
    unit: str
    channel: str
    status: str
    status_label: str
    description: str
    values: dict[str, Any]
    lat: Decimal | None
    lng: Decimal | None
    address: str
    region: int | None
    region_name: str | None
    submitted_at: datetime
    updated_at: datetime
    due_date: date | None
    due_estimated: bool
    reject_reason: str
    resolution: str
    rating: RequestRatingOut | None

    @staticmethod
    def resolve_item(obj: ServiceRequest) -> str:
        return obj.item.code

    @staticmethod
    def resolve_item_name(obj: ServiceRequest) -> str:
        return obj.item.name

    @staticmethod
    def resolve_kind(obj: ServiceRequest) -> str:
        return obj.item.kind

    @staticmethod
    def resolve_center(obj: ServiceRequest) -> str:
        return obj.center.slug

    @staticmethod
    def resolve_region(obj: ServiceRequest) -> int | None:
        return obj.location_region_id

    @staticmethod
    def resolve_region_name(obj: ServiceRequest) -> str | None:
        return obj.location_region.name if obj.location_region_id else None

    @staticmethod
    def resolve_status_label(obj: ServiceRequest) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_submitted_at(obj: ServiceRequest) -> datetime:
        return local(obj.submitted_at)

    @staticmethod
    def resolve_updated_at(obj: ServiceRequest) -> datetime:
        return local(obj.updated_at)

    @staticmethod
    def resolve_rating(obj: ServiceRequest):
        return getattr(obj, "rating", None)


class RequestDetailOut(RequestOut):
    history: list[RequestEventOut]
    attachments: list[RequestAttachmentOut]

    @staticmethod
    def resolve_history(obj: ServiceRequest):
        from .selectors import history

        events = list(history(obj))
        for event in events:
            event.request = obj
        return events

    @staticmethod
    def resolve_attachments(obj: ServiceRequest):
        return list(obj.attachments.all())


class RequestIn(Schema):
    item: ItemCode
    center: CenterSlug | None = None
    # The item's extra fields by their codes; each is checked against its type (values.py).
    values: Annotated[dict[str, Any], Field(max_length=MAX_VALUES)] = {}
    description: Annotated[MultilineText, Field(max_length=DESCRIPTION)] = ""
    # GPS (WGS-84). Where the item needs a location: a point, a village or community
    # (`region`, an id from GET /places/regions?level=village or community), or an address.
    lat: Latitude | None = None
    lng: Longitude | None = None
    address: Annotated[Text, Field(max_length=ADDRESS)] = ""
    region: Id | None = None


class RequestRatingIn(Schema):
    score: Annotated[int, Field(ge=1, le=5)]
    comment: Annotated[MultilineText, Field(max_length=NOTE)] = ""
