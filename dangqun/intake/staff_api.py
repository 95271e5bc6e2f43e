"""Staff API of one-stop intake, under /api/v1/intake/staff/: the catalogue, requests at
the counter on someone's behalf (代办), queues per unit, due-soon and overdue lists, the
workflow steps, follow-ups of poor ratings, the counter view of a person and figures.
Scoped like the pages: what lies outside the user's regions is a 404."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from dangqun.accounts.auth import AUTH
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.schemas import (
    Day,
    Id,
    Limit,
    MultilineText,
    Offset,
    RequiredMultilineText,
    RequiredText,
    Text,
)
from dangqun.people import access
from dangqun.people import counter as people_counter
from dangqun.people import selectors as people
from dangqun.people.decorators import staff_endpoint
from dangqun.places import selectors as places

from . import counter, figures, selectors, services
from .catalogue import MAX_CHOICES, MAX_FIELDS, MAX_TEXT
from .models import Channel, ServiceField
from .models import Status as RequestStatus
from .schemas import (
    NOTE,
    CenterSlug,
    ItemCode,
    ItemOut,
    KindCode,
    RequestDetailOut,
    RequestIn,
    RequestNumber,
    RequestOut,
)

# Every endpoint is for district, street and center staff (staff_endpoint); anyone else
# gets the same 404 as for a request that does not exist.
router = Router(tags=["intake staff"], auth=AUTH)


def _found(obj):
    """The record looked up, or the API's 404 for none."""
    if obj is None:
        raise NotFound()
    return obj


def _center(request, slug: str):
    return access.center_for_staff(request.user, slug=slug)


class StaffRequestOut(RequestOut):
    person_name: str
    person_mobile: str
    overdue: bool

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name

    @staticmethod
    def resolve_person_mobile(obj) -> str:
        return obj.person.masked_mobile

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return bool(obj.is_open and obj.due_date and obj.due_date < timezone.localdate())


class StaffRequestDetailOut(RequestDetailOut, StaffRequestOut):
    allowed_steps: list[str]

    @staticmethod
    def resolve_allowed_steps(obj) -> list[str]:
        return services.allowed_step_names(obj)


Unit = Annotated[Text, Field(max_length=80)]  # ServiceItem.unit, ServiceRequest.unit
# A public id (a UUID): one that is not a UUID is a 404, like one that does not exist.
FollowUpId = Annotated[RequiredText, Field(max_length=36)]
PersonId = Annotated[RequiredText, Field(max_length=36)]
Mobile = Annotated[Text, Field(max_length=20)]  # 11 digits, written as people write them


class ItemChoiceIn(Schema):
    key: Annotated[RequiredText, Field(max_length=40)]
    name: Annotated[Text, Field(max_length=120)] = ""


class ItemFieldIn(Schema):
    code: Annotated[RequiredText, Field(max_length=40)]
    label: Annotated[RequiredText, Field(max_length=120)]
    datatype: Literal[tuple(ServiceField.Datatype.values)]
    required: bool = False
    choices: Annotated[list[ItemChoiceIn], Field(max_length=MAX_CHOICES)] = []
    help_text: Annotated[Text, Field(max_length=200)] = ""
    order: Annotated[int, Field(ge=0, le=32767)] | None = None


class ItemChangeIn(Schema):
    name: Annotated[RequiredText, Field(max_length=120)]
    name_en: Annotated[Text, Field(max_length=120)] = ""
    kind: KindCode
    unit: Annotated[RequiredText, Field(max_length=80)]
    staff_group: Annotated[Text, Field(max_length=80)] = ""
    description: Annotated[MultilineText, Field(max_length=MAX_TEXT)] = ""
    materials: Annotated[MultilineText, Field(max_length=MAX_TEXT)] = ""
    online: bool = True
    counter: bool = True
    time_limit_days: Annotated[int, Field(ge=1, le=365)] = 5
    location_required: bool = False
    fields: Annotated[list[ItemFieldIn], Field(max_length=MAX_FIELDS)] = []
    # Public ids (GET /api/v1/partners/): a partner co-building with the item's center(s)
    # and a sub-brand it gives there; a sub-brand alone brings its partner.
    partner: UUID | None = None
    sub_brand: UUID | None = None


class ItemIn(ItemChangeIn):
    code: ItemCode
    center: CenterSlug | None = None
    region: Id | None = None


class CounterRequestIn(RequestIn):
    person: UUID | None = None
    mobile: Mobile | None = None


class RequestStepIn(Schema):
    note: Annotated[MultilineText, Field(max_length=NOTE)] = ""
    reason: Annotated[MultilineText, Field(max_length=NOTE)] = ""
    unit: Unit = ""
    center: CenterSlug | None = None


class FollowUpOut(Schema):
    id: UUID
    request: str
    center: str
    score: int | None
    comment: str
    status: str
    note: str

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_request(obj) -> str:
        return obj.request.number

    @staticmethod
    def resolve_center(obj) -> str:
        return obj.center.slug

    @staticmethod
    def resolve_score(obj) -> int | None:
        rating = getattr(obj.request, "rating", None)
        return rating.score if rating else None

    @staticmethod
    def resolve_comment(obj) -> str:
        rating = getattr(obj.request, "rating", None)
        return rating.comment if rating else ""


class CounterRegisterIn(Schema):
    """Someone with no account yet, at the counter: `consent` is staff's tick that the
    person read the privacy notice on paper and agreed."""

    mobile: Annotated[RequiredText, Field(max_length=20)]
    name: Annotated[Text, Field(max_length=50)] = ""
    consent: bool = False


class ReceiptOut(Schema):
    """The receipt (回执) of a request: what the person takes home."""

    number: str
    item: str
    center: str
    unit: str
    status: str
    accepted_at: datetime | None
    due_date: date | None
    due_estimated: bool
    time_limit_days: int
    materials: str
    progress_url: str
    phone: str


class FollowUpCloseIn(Schema):
    note: Annotated[RequiredMultilineText, Field(max_length=NOTE)]


class IntakeKindCount(Schema):
    kind: str
    label: str
    count: int


class IntakeFiguresOut(Schema):
    scope: str
    start: date
    end: date
    total: int
    by_status: dict[str, int]
    by_kind: list[IntakeKindCount]
    resolved: int
    on_time: int
    on_time_rate: Decimal | None
    average_working_days: Decimal | None
    ratings: dict[int, int]
    rated: int
    average_rating: Decimal | None


class CounterEntryOut(Schema):
    kind: str
    id: str
    title: str
    status: str
    when: str


class IntakeCounterOut(Schema):
    person: UUID
    name: str
    mobile: str
    requests: list[StaffRequestOut]
    bookings: list[CounterEntryOut]
    registrations: list[CounterEntryOut]


# --- catalogue ------------------------------------------------------------------------------


@router.get("/items", response=list[ItemOut], summary="Catalogue items my regions own")
@staff_endpoint()
def staff_items(request):
    return selectors.items_for_staff(request.user)


@router.post("/items", response={201: ItemOut}, summary="Add a catalogue item")
@staff_endpoint()
def item_create(request, payload: ItemIn):
    center = _center(request, payload.center) if payload.center else None
    region = _found(places.region_by_id(payload.region)) if payload.region is not None else None
    data = payload.dict(exclude={"center", "region", "fields"})
    item = services.item_create(
        actor=request.user,
        center=center,
        region=region,
        fields=[spec.dict() for spec in payload.fields],
        **data,
    )
    return Status(201, selectors.items_for_staff(request.user).get(pk=item.pk))


@router.put(
    "/items/{code}",
    response=ItemOut,
    summary="Change a catalogue item and its extra fields (given in full)",
)
@staff_endpoint()
def item_update(request, code: ItemCode, payload: ItemChangeIn):
    item = services.item_for_edit(request.user, code=code)
    services.item_update(
        actor=request.user,
        item=item,
        fields=[spec.dict() for spec in payload.fields],
        **payload.dict(exclude={"fields"}),
    )
    return selectors.items_for_staff(request.user).get(pk=item.pk)


class ItemActiveIn(Schema):
    active: bool


@router.put("/items/{code}/active", response=ItemOut, summary="Offer an item, or stop offering it")
@staff_endpoint()
def item_active(request, code: ItemCode, payload: ItemActiveIn):
    item = services.item_for_edit(request.user, code=code)
    services.item_set_active(actor=request.user, item=item, active=payload.active)
    return selectors.items_for_staff(request.user).get(pk=item.pk)


# --- requests -------------------------------------------------------------------------------


@router.get(
    "/requests",
    response=list[StaffRequestOut],
    summary="Requests I may see: a unit's queue, due soon, overdue, or all",
)
@staff_endpoint()
def request_list(
    request,
    center: CenterSlug | None = None,
    unit: Unit = "",
    status: Literal[("", *RequestStatus.values)] | None = None,  # "": any
    due: Literal["soon", "overdue"] | None = None,
    open_only: bool = True,
    limit: Limit = 100,
    offset: Offset = 0,
):
    requests = selectors.request_list_for_staff(
        request.user,
        center=_center(request, center) if center else None,
        unit=unit,
        status=status or "",
        due=due,
        open_only=open_only,
    )
    return requests[offset : offset + limit]


@router.get("/requests/{number}", response=StaffRequestDetailOut, summary="One request")
@staff_endpoint()
def request_detail(request, number: RequestNumber):
    return selectors.request_for_staff(request.user, number=number)


@router.post(
    "/requests",
    response={201: StaffRequestDetailOut},
    summary="Submit at the counter on a person's behalf (代办)",
)
@staff_endpoint()
def counter_submit(request, payload: CounterRequestIn):
    person = _counter_person(request, payload.person, payload.mobile)
    item = selectors.item_offered(code=payload.item)
    center = _center(request, payload.center) if payload.center else None
    created = services.request_submit(
        actor=request.user,
        person=person,
        item=item,
        channel=Channel.COUNTER,
        values=payload.values,
        description=payload.description,
        lat=payload.lat,
        lng=payload.lng,
        address=payload.address,
        region=payload.region,
        center=center,
    )
    return Status(201, selectors.request_for_staff(request.user, number=created.number))


@router.get(
    "/requests/{number}/receipt",
    response=ReceiptOut,
    summary="The receipt (回执) of a request: number, due date, what to bring, how to follow it",
)
@staff_endpoint()
def request_receipt(request, number: RequestNumber):
    found = selectors.request_for_staff(request.user, number=number)
    return {
        "number": found.number,
        "item": found.item.name,
        "center": found.center.name,
        "unit": found.unit,
        "status": found.status,
        "accepted_at": found.accepted_at,
        "due_date": found.due_date,
        "due_estimated": found.due_estimated,
        "time_limit_days": found.item.time_limit_days,
        "materials": found.item.materials,
        "progress_url": request.build_absolute_uri(reverse("intake:progress", args=[found.number])),
        "phone": found.center.phone,
    }


@router.post(
    "/requests/{number}/{step}",
    response=StaffRequestDetailOut,
    summary="A step of the workflow: accept, start, resolve, reject (reason), transfer",
)
@staff_endpoint()
def request_step(
    request,
    number: RequestNumber,
    step: Literal["accept", "start", "resolve", "reject", "transfer"],
    payload: RequestStepIn,
):
    service_request = selectors.request_for_staff(request.user, number=number)
    if step == "reject":
        return services.request_reject(
            actor=request.user, request=service_request, reason=payload.reason
        )
    if step == "transfer":
        target = _found(places.center_by_slug(payload.center)) if payload.center else None
        # Answered from the service's result: after a transfer to another center the
        # request may lie outside what the user sees.
        return services.request_transfer(
            actor=request.user,
            request=service_request,
            unit=payload.unit,
            center=target,
            note=payload.note,
        )
    return services.STEPS[step](actor=request.user, request=service_request, note=payload.note)


# --- follow-ups, counter, figures -----------------------------------------------------------


@router.get("/follow-ups", response=list[FollowUpOut], summary="Follow-ups of poor ratings")
@staff_endpoint()
def follow_up_list(request, status: Literal["open", "done", ""] = "open"):
    return selectors.follow_ups_for_staff(request.user, status=status)


@router.post("/follow-ups/{public_id}/close", response=FollowUpOut, summary="Close a follow-up")
@staff_endpoint()
def follow_up_close(request, public_id: FollowUpId, payload: FollowUpCloseIn):
    follow_up = selectors.follow_up_for_staff(request.user, public_id=public_id)
    services.follow_up_close(actor=request.user, follow_up=follow_up, note=payload.note)
    return selectors.follow_up_for_staff(request.user, public_id=public_id)


def _counter_person(request, public_id, mobile):
    """Someone in the staff's regions by id, or anyone by the full mobile number they give
    at the counter (the look-up is audited)."""
    if mobile:
        return services.counter_lookup(actor=request.user, mobile=mobile)
    if public_id is None:
        raise ValidationFailed(_("Give the person or their mobile number."), field="person")
    return people.person_for_staff(request.user, public_id=public_id)


@router.get(
    "/counter",
    response=IntakeCounterOut,
    summary="A person at the counter, by the mobile number they give",
)
@staff_endpoint()
def counter_by_mobile(request, mobile: Annotated[RequiredText, Field(max_length=20)]):
    return _counter_view(request, _counter_person(request, None, mobile))


@router.post(
    "/counter/people",
    response={200: IntakeCounterOut, 201: IntakeCounterOut},
    summary="Register someone with no account at the counter (name, consent on paper); "
    "201 for a new account, 200 when the mobile number has one",
)
@staff_endpoint()
def counter_register(request, payload: CounterRegisterIn):
    person, created = people_counter.person_register_at_counter(
        actor=request.user,
        mobile=payload.mobile,
        name=payload.name,
        consent=payload.consent,
        where={"at": "intake.counter", "via": "api"},
    )
    return Status(201 if created else 200, _counter_view(request, person))


@router.get(
    "/counter/{person}",
    response=IntakeCounterOut,
    summary="A person at the counter: open requests, bookings and activity sign-ups",
)
@staff_endpoint()
def counter_view(request, person: PersonId):
    return _counter_view(request, people.person_for_staff(request.user, public_id=person))


def _counter_view(request, found) -> dict:
    view = counter.counter_view(request.user, found)
    return {
        "person": found.public_id,
        "name": found.name,
        "mobile": found.masked_mobile,
        "requests": view.requests,
        "bookings": [vars(row) for row in view.bookings],
        "registrations": [vars(row) for row in view.registrations],
    }


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    end = end or timezone.localdate()
    return start or end - timedelta(days=29), end


@router.get("/figures", response=IntakeFiguresOut, summary="Figures of a center or a street")
@staff_endpoint()
def figures_view(
    request,
    center: CenterSlug | None = None,
    street: Id | None = None,
    start: Day | None = None,
    end: Day | None = None,
):
    start, end = _period(start, end)
    if center:
        return figures.center_figures(
            request.user, center=_center(request, center), start=start, end=end
        )
    if street is None:
        raise NotFound()
    region = _found(places.region_by_id(street))
    return figures.street_figures(request.user, street=region, start=start, end=end)
