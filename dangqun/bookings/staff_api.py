"""Staff API of space booking, under /api/v1/staff/bookings: the list with the pages'
filters, approve, reject and cancel, booking rules and closed dates. Scoped like the
pages: a booking, space or center outside the user's regions is a 404."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from dangqun.accounts.auth import AUTH
from dangqun.core.errors import NotFound
from dangqun.core.schemas import Day, Id, Limit, Offset, Text
from dangqun.people import access
from dangqun.people.decorators import staff_endpoint
from dangqun.people.selectors import Tag

from . import rules, selectors, services
from .models import Booking, BookingRule, ClosedDate
from .schemas import MAX_HEADCOUNT, Reason, day_period
from .times import shown

# Every endpoint is for district, street and center staff (staff_endpoint); partners and
# residents get the same 404 as for a booking that does not exist.
router = Router(tags=["staff"], auth=AUTH)

CenterSlug = Annotated[Text, Field(max_length=60)]  # ServiceCenter.slug
KindCode = Annotated[Text, Field(max_length=40)]  # SpaceKind.code


class BookerOut(Schema):
    public_id: UUID
    name: str
    mobile_masked: str

    @staticmethod
    def resolve_mobile_masked(obj):
        return obj.masked_mobile


class StaffBookingOut(Schema):
    public_id: UUID
    center: str
    space_id: int
    space: str
    start: datetime
    end: datetime
    booker: BookerOut
    entered_by_staff: bool
    purpose: str
    headcount: int
    status: str
    reason: str
    series_id: UUID | None
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_center(obj: Booking) -> str:
        return obj.space.center.slug

    @staticmethod
    def resolve_space(obj: Booking) -> str:
        return obj.space.name

    @staticmethod
    def resolve_start(obj: Booking) -> datetime:
        return shown(obj.start)

    @staticmethod
    def resolve_end(obj: Booking) -> datetime:
        return shown(obj.end)

    @staticmethod
    def resolve_entered_by_staff(obj: Booking) -> bool:
        return obj.created_by_id != obj.booker_id

    @staticmethod
    def resolve_series_id(obj: Booking) -> UUID | None:
        return obj.series.public_id if obj.series_id else None


class BookingReasonIn(Schema):
    reason: Reason = ""


Minutes = Annotated[int, Field(ge=min(services.SLOT_CHOICES), le=24 * 60)]


class BookingRuleIn(Schema):
    slot_minutes: Literal[services.SLOT_CHOICES]
    min_minutes: Minutes
    max_minutes: Minutes
    max_days_ahead: Annotated[int, Field(ge=1, le=services.MAX_DAYS_AHEAD)]
    requires_approval: bool = False
    max_headcount: Annotated[int, Field(ge=1, le=MAX_HEADCOUNT)] | None = None
    open_to_residents: bool = True
    open_to_partners: bool = True
    required_tags: Annotated[list[Literal[tuple(Tag.values)]], Field(max_length=len(Tag))] = []


class BookingRuleOut(Schema):
    slot_minutes: int
    min_minutes: int
    max_minutes: int
    max_days_ahead: int
    requires_approval: bool
    max_headcount: int | None
    open_to_residents: bool
    open_to_partners: bool
    required_tags: list[str]
    source: str

    @staticmethod
    def resolve_source(obj: BookingRule) -> str:
        return "space" if obj.space_id else "kind" if obj.kind_id else "default"


class ClosedDateIn(Schema):
    date: Day
    reason: Annotated[Text, Field(max_length=120)] = ""  # ClosedDate.reason


class ClosedDateOut(Schema):
    center: str
    date: date
    reason: str

    @staticmethod
    def resolve_center(obj: ClosedDate) -> str:
        return obj.center.slug


@router.get(
    "/bookings",
    response=list[StaffBookingOut],
    summary="Bookings in my regions, by center, space, status and dates",
)
@staff_endpoint()
def booking_list(
    request,
    center: CenterSlug | None = None,
    space: Id | None = None,
    status: Literal[tuple(Booking.Status.values)] | None = None,
    date_from: Day | None = None,
    date_to: Day | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    day_period(date_from, date_to, field="date_to")
    bookings = selectors.bookings_for_staff(
        request.user,
        center=access.center_for_staff(request.user, slug=center) if center else None,
        space=access.space_for_staff(request.user, pk=space) if space else None,
        status=status,
        date_from=date_from,
        date_to=date_to,
    ).select_related("series")
    return bookings[offset : offset + limit]


@router.post("/bookings/{uuid:public_id}/approve", response=StaffBookingOut)
@staff_endpoint()
def booking_approve(request, public_id: UUID):
    booking = selectors.booking_for_staff(request.user, public_id=public_id)
    return services.booking_approve(actor=request.user, booking=booking)


@router.post("/bookings/{uuid:public_id}/reject", response=StaffBookingOut)
@staff_endpoint()
def booking_reject(request, public_id: UUID, payload: BookingReasonIn):
    booking = selectors.booking_for_staff(request.user, public_id=public_id)
    return services.booking_reject(actor=request.user, booking=booking, reason=payload.reason)


@router.post("/bookings/{uuid:public_id}/cancel", response=StaffBookingOut)
@staff_endpoint()
def booking_cancel(request, public_id: UUID, payload: BookingReasonIn):
    booking = selectors.booking_for_staff(request.user, public_id=public_id)
    return services.booking_cancel(actor=request.user, booking=booking, reason=payload.reason)


@router.get(
    "/bookings/rules/spaces/{int:space_id}",
    response=BookingRuleOut,
    summary="The booking rule in force for a space (its own, its kind's, or the default)",
)
@staff_endpoint()
def space_rule(request, space_id: Id):
    return rules.rule_for(access.space_for_staff(request.user, pk=space_id))


@router.put(
    "/bookings/rules/spaces/{int:space_id}",
    response=BookingRuleOut,
    summary="Save a space's own booking rule",
)
@staff_endpoint()
def space_rule_save(request, space_id: Id, payload: BookingRuleIn):
    space = access.space_for_staff(request.user, pk=space_id)
    return services.booking_rule_save(actor=request.user, space=space, data=payload.dict())


@router.delete(
    "/bookings/rules/spaces/{int:space_id}",
    response=BookingRuleOut,
    summary="Drop a space's own rule; returns the rule in force afterwards",
)
@staff_endpoint()
def space_rule_reset(request, space_id: Id):
    space = access.space_for_staff(request.user, pk=space_id)
    return services.booking_rule_reset(actor=request.user, space=space)


def _kind(request, code: str):
    kind = selectors.kind_by_code(code)
    if kind is None or not services.may_edit_kind_rules(request.user):
        raise NotFound()
    return kind


@router.get(
    "/bookings/rules/kinds/{code}", response=BookingRuleOut, summary="A kind's default rule"
)
@staff_endpoint()
def kind_rule(request, code: KindCode):
    kind = _kind(request, code)
    return rules.rule_for_kind(kind)


@router.put(
    "/bookings/rules/kinds/{code}",
    response=BookingRuleOut,
    summary="Save a kind's default rule (district admins)",
)
@staff_endpoint()
def kind_rule_save(request, code: KindCode, payload: BookingRuleIn):
    return services.booking_kind_rule_save(
        actor=request.user, kind=_kind(request, code), data=payload.dict()
    )


@router.get(
    "/bookings/closed-dates/{slug:center}",
    response=list[ClosedDateOut],
    summary="A center's closed dates from today on",
)
@staff_endpoint()
def closed_date_list(request, center: CenterSlug):
    found = access.center_for_staff(request.user, slug=center)
    return selectors.closed_dates_from(found, timezone.localdate())


@router.post(
    "/bookings/closed-dates/{slug:center}",
    response={201: ClosedDateOut},
    summary="Close a center on a date",
)
@staff_endpoint()
def closed_date_add(request, center: CenterSlug, payload: ClosedDateIn):
    closed = services.closed_date_add(
        actor=request.user,
        center=access.center_for_staff(request.user, slug=center),
        date=payload.date,
        reason=payload.reason,
    )
    return Status(201, closed)


@router.delete(
    "/bookings/closed-dates/{slug:center}/{date}",
    response={204: None},
    summary="Open a closed date again",
)
@staff_endpoint()
def closed_date_remove(request, center: CenterSlug, date: Day):
    found = access.center_for_staff(request.user, slug=center)
    closed = selectors.closed_date(found, day=date)
    if closed is None:
        raise NotFound()
    services.closed_date_remove(actor=request.user, closed=closed)
    return Status(204, None)
