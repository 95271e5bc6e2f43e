"""API of space booking for residents and riders: book, follow, cancel, find free spaces,
read calendars. Staff endpoints are in staff_api.py."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from dangqun.accounts.auth import AUTH
from dangqun.core.errors import NotFound
from dangqun.core.schemas import Id, Moment, RequiredText, Text
from dangqun.people import selectors as people
from dangqun.places import selectors as places

from . import selectors, services
from .models import Booking
from .passes import pass_path
from .schemas import (
    MAX_HEADCOUNT,
    BookingPublicId,
    CalendarDay,
    Mobile,
    Reason,
    end_after_start,
    period,
)

router = Router(tags=["bookings"])


class BookingIn(Schema):
    space_id: Id
    start: Moment
    end: Moment
    purpose: Annotated[RequiredText, Field(max_length=200)]
    headcount: Annotated[int, Field(ge=1, le=MAX_HEADCOUNT)]
    on_behalf_mobile: Mobile | None = None

    check_end = field_validator("end")(end_after_start)


class BookingSeriesIn(BookingIn):
    weeks: Annotated[int, Field(ge=2, le=services.MAX_WEEKS)]


class BookingOut(Schema):
    public_id: UUID
    space_id: int
    space: str
    center: str
    start: datetime
    end: datetime
    purpose: str
    headcount: int
    status: str
    reason: str
    series_id: UUID | None
    pass_url: str | None

    @staticmethod
    def resolve_space(obj: Booking) -> str:
        return obj.space.name

    @staticmethod
    def resolve_center(obj: Booking) -> str:
        return obj.space.center.slug

    @staticmethod
    def resolve_series_id(obj: Booking):
        return obj.series.public_id if obj.series_id else None

    @staticmethod
    def resolve_pass_url(obj: Booking, context) -> str | None:
        if obj.status != Booking.Status.CONFIRMED:
            return None
        return context["request"].build_absolute_uri(pass_path(obj))


class BookingOccurrenceOut(Schema):
    start: datetime
    end: datetime
    problem: str


class BookingCancelIn(Schema):
    reason: Reason = ""


class BookingSlotOut(Schema):
    start: datetime
    end: datetime
    open: bool
    free: bool


class BookingDayOut(Schema):
    day: date
    closed_reason: str | None
    slots: list[BookingSlotOut]


class FreeSpaceOut(Schema):
    id: int
    name: str
    center: str
    kind: str
    capacity: int | None

    @staticmethod
    def resolve_center(obj) -> str:
        return obj.center.slug

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.kind.code


def _booker(request, mobile: str | None):
    return people.signed_up_person(mobile, field="on_behalf_mobile") if mobile else request.user


def _found(obj):
    """The record looked up, or the API's 404 for none."""
    if obj is None:
        raise NotFound()
    return obj


def _space(space_id: int):
    return _found(places.space_by_id(space_id))


def _request(request, payload: BookingIn) -> dict:
    """The service arguments of a booking request, the same for once and weekly."""
    return {
        "actor": request.user,
        "booker": _booker(request, payload.on_behalf_mobile),
        "space": _space(payload.space_id),
        "start": payload.start,
        "end": payload.end,
        "purpose": payload.purpose,
        "headcount": payload.headcount,
    }


@router.post("/bookings", response={201: BookingOut}, auth=AUTH, summary="Book a space")
def booking_create(request, payload: BookingIn):
    return Status(201, services.booking_create(**_request(request, payload)))


@router.post(
    "/bookings/series/plan",
    response=list[BookingOccurrenceOut],
    auth=AUTH,
    summary="Every week of a recurring booking and what stops it (saves nothing)",
)
def series_plan(request, payload: BookingSeriesIn):
    return services.series_plan(weeks=payload.weeks, **_request(request, payload))


@router.post(
    "/bookings/series",
    response={201: list[BookingOut]},
    auth=AUTH,
    summary="Book every week, all or nothing (409 lists the conflicts)",
)
def series_create(request, payload: BookingSeriesIn):
    series = services.booking_series_create(weeks=payload.weeks, **_request(request, payload))
    return Status(201, list(selectors.bookings_of_series(series)))


@router.post(
    "/bookings/series/{public_id}/cancel",
    response=list[BookingOut],
    auth=AUTH,
    summary="Cancel every week of a recurring booking that has not ended (the weeks cancelled)",
)
def series_cancel(request, public_id: BookingPublicId, payload: BookingCancelIn):
    series = selectors.series_of(request.user, public_id)
    return services.booking_series_cancel(actor=request.user, series=series, reason=payload.reason)


@router.get("/bookings", response=list[BookingOut], auth=AUTH, summary="My bookings")
def booking_list(request):
    return selectors.bookings_of(request.user)


@router.get(
    "/bookings/free-spaces",
    response=list[FreeSpaceOut],
    summary="Free spaces of a kind, in a street, for a time and a number of people",
)
def free_spaces(
    request,
    start: Moment,
    end: Moment,
    people: Annotated[int, Field(ge=1, le=MAX_HEADCOUNT)] = 1,
    kind: Annotated[Text, Field(max_length=40)] | None = None,
    street: Id | None = None,
):
    period(start, end)
    kind_obj = _found(selectors.kind_by_code(kind)) if kind else None
    street_obj = _found(places.region_by_id(street)) if street else None
    return selectors.free_spaces(
        start=start,
        end=end,
        people=people,
        kind=kind_obj,
        street=street_obj,
    )


@router.get("/bookings/{public_id}", response=BookingOut, auth=AUTH)
def booking_detail(request, public_id: BookingPublicId):
    return selectors.booking_of(request.user, public_id)


@router.post("/bookings/{public_id}/cancel", response=BookingOut, auth=AUTH)
def booking_cancel(request, public_id: BookingPublicId, payload: BookingCancelIn):
    booking = selectors.booking_of(request.user, public_id)
    return services.booking_cancel(actor=request.user, booking=booking, reason=payload.reason)


@router.get(
    "/spaces/{space_id}/calendar",
    response=list[BookingDayOut],
    summary="A space's slots: open or not, free or taken",
)
def space_calendar(
    request,
    space_id: Id,
    start: CalendarDay | None = None,
    days: Annotated[int, Field(ge=1, le=selectors.MAX_CALENDAR_DAYS)] = 7,
):
    space = _space(space_id)
    first = start or timezone.localdate()
    return selectors.space_calendar(space, first, days)
