"""API of activities for residents: find, sign up, follow, cancel, accept an offer."""

from datetime import date, datetime
from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from dangqun.api import AUTH
from dangqun.places.models import Region, ServiceCenter

from . import selectors, services
from .models import Activity, Registration

router = Router(tags=["activities"])


class SessionOut(Schema):
    id: int
    start: datetime
    end: datetime


class ActivityOut(Schema):
    public_id: UUID
    title: str
    kind: str
    center: str
    partner: str
    sub_brand: str
    venue: str
    space: str | None
    address: str
    online_url: str
    capacity: int
    places_left: int
    registration_opens: datetime
    registration_closes: datetime
    eligible_tags: list[str]
    min_age: int | None
    max_age: int | None
    walk_ins: bool
    status: str
    description: str
    sessions: list[SessionOut]

    @staticmethod
    def resolve_center(obj: Activity) -> str:
        return obj.center.slug

    @staticmethod
    def resolve_space(obj: Activity) -> str | None:
        return obj.space.name if obj.space_id else None

    @staticmethod
    def resolve_places_left(obj: Activity) -> int:
        return max(0, obj.capacity - obj.taken)

    @staticmethod
    def resolve_sessions(obj: Activity):
        return list(obj.sessions.all())


class RegistrationOut(Schema):
    public_id: UUID
    activity: UUID
    status: str
    short_code: str
    waiting_position: int | None
    offered_until: datetime | None

    @staticmethod
    def resolve_activity(obj: Registration) -> UUID:
        return obj.activity.public_id

    @staticmethod
    def resolve_waiting_position(obj: Registration) -> int | None:
        return selectors.waiting_position(obj)


@router.get("/activities", response=list[ActivityOut], summary="Activities to come, filterable")
def activity_list(
    request,
    street: int | None = None,
    center: str | None = None,
    kind: str | None = None,
    day: date | None = None,
    for_me: bool = False,
):
    street_obj = get_object_or_404(Region, pk=street) if street is not None else None
    center_obj = get_object_or_404(ServiceCenter, slug=center) if center else None
    person = request.user if for_me and request.user.is_authenticated else None
    return selectors.activities_public(
        street=street_obj, center=center_obj, kind=kind, day=day, person=person
    )


@router.get("/activities/{public_id}", response=ActivityOut)
def activity_detail(request, public_id: str):
    return selectors.activity_public(public_id)


@router.post(
    "/activities/{public_id}/registrations",
    response={201: RegistrationOut},
    auth=AUTH,
    summary="Sign up: a place if one is free, else the waiting list",
)
def registration_create(request, public_id: str):
    activity = selectors.activity_public(public_id)
    return Status(201, services.registration_create(actor=request.user, activity=activity))


@router.get("/me/registrations", response=list[RegistrationOut], auth=AUTH)
def my_registrations(request):
    return selectors.registrations_of(request.user)


@router.post("/registrations/{public_id}/cancel", response=RegistrationOut, auth=AUTH)
def registration_cancel(request, public_id: str):
    registration = selectors.registration_of(request.user, public_id)
    return services.registration_cancel(actor=request.user, registration=registration)


@router.post(
    "/registrations/{public_id}/accept",
    response=RegistrationOut,
    auth=AUTH,
    summary="Take the place offered from the waiting list",
)
def offer_accept(request, public_id: str):
    registration = selectors.registration_of(request.user, public_id)
    return services.offer_accept(actor=request.user, registration=registration)
