"""API of space booking for residents and riders: book, follow, cancel, find free spaces,
read calendars. Staff endpoints are in staff_api.py."""

from datetime import date, datetime
from uuid import UUID

from django.utils import timezone
from ninja import Router, Schema, Status

from dangqun.accounts.auth import AUTH
from dangqun.core.errors import NotFound
from dangqun.people import selectors as people
from dangqun.places import selectors as places

from . import selectors, services
from .models import Booking
from .passes import pass_path

router = Router(tags=["bookings"])


class BookingIn(Schema):
    space_id: int
    start: datetime
    end: datetime
    purpose: str
    headcount: int
    on_behalf_mobile: str | None = None


class SeriesIn(BookingIn):
    weeks: int


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


class OccurrenceOut(Schema):
    start: datetime
    end: datetime
    problem: str


class CancelIn(Schema):
    reason: str = ""


class SlotOut(Schema):
    start: datetime
    end: datetime
    open: bool
    free: bool


class DayOut(Schema):
    day: date
    closed_reason: str | None
    slots: list[SlotOut]


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


def _aware(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        # A time without a zone is a time in Shanghai, as people mean it.
        return timezone.make_aware(moment)
    return moment


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
        "start": _aware(payload.start),
        "end": _aware(payload.end),
        "purpose": payload.purpose,
        "headcount": payload.headcount,
    }


@router.post("/bookings", response={201: BookingOut}, auth=AUTH, summary="Book a space")
def booking_create(request, payload: BookingIn):
    return Status(201, services.booking_create(**_request(request, payload)))


@router.post(
    "/bookings/series/plan",
    response=list[OccurrenceOut],
    auth=AUTH,
    summary="Every week of a recurring booking and what stops it (saves nothing)",
)
def series_plan(request, payload: SeriesIn):
    return services.series_plan(weeks=payload.weeks, **_request(request, payload))


@router.post(
    "/bookings/series",
    response={201: list[BookingOut]},
    auth=AUTH,
    summary="Book every week, all or nothing (409 lists the conflicts)",
)
def series_create(request, payload: SeriesIn):
    series = services.booking_series_create(weeks=payload.weeks, **_request(request, payload))
    return Status(201, list(selectors.bookings_of_series(series)))


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
    start: datetime,
    end: datetime,
    people: int = 1,
    kind: str | None = None,
    street: int | None = None,
):
    kind_obj = _found(selectors.kind_by_code(kind)) if kind else None
    street_obj = _found(places.region_by_id(street)) if street else None
    return selectors.free_spaces(
        start=_aware(start),
        end=_aware(end),
        people=max(1, people),
        kind=kind_obj,
        street=street_obj,
    )


@router.get("/bookings/{public_id}", response=BookingOut, auth=AUTH)
def booking_detail(request, public_id: str):
    return selectors.booking_of(request.user, public_id)


@router.post("/bookings/{public_id}/cancel", response=BookingOut, auth=AUTH)
def booking_cancel(request, public_id: str, payload: CancelIn):
    booking = selectors.booking_of(request.user, public_id)
    return services.booking_cancel(actor=request.user, booking=booking, reason=payload.reason)


@router.get(
    "/spaces/{space_id}/calendar",
    response=list[DayOut],
    summary="A space's slots: open or not, free or taken",
)
def space_calendar(request, space_id: int, start: date | None = None, days: int = 7):
    space = _space(space_id)
    first = start or timezone.localdate()
    return selectors.space_calendar(space, first, max(1, min(days, 31)))
