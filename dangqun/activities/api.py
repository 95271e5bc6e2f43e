"""API of activities for residents: find, sign up, follow, cancel, accept an offer, show
the personal check-in code, check in at the door. Staff endpoints are in staff_api.py."""

import io
from datetime import datetime
from typing import Annotated
from uuid import UUID

import segno
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from dangqun.accounts.auth import AUTH, token_auth
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.hours import local
from dangqun.core.schemas import Day, Id, Text
from dangqun.core.templatetags.dq import loc
from dangqun.places import selectors as places

from . import codes, selectors, services
from .models import Activity, CheckIn, Registration
from .views import staff_check_in_path

router = Router(tags=["activities"])


def _anyone(request) -> bool:
    """Signed in or not: the answer only changes with who asks (for_me)."""
    return True


# A Bearer token is read when sent; without one the request is anonymous (or the session's).
MAYBE_SIGNED_IN = [token_auth, _anyone]
OPTIONAL_AUTH_DOC = {"security": [{"TokenAuth": []}, {}]}


class SessionOut(Schema):
    id: int
    start: datetime
    end: datetime

    @staticmethod
    def resolve_start(obj) -> datetime:
        return local(obj.start)

    @staticmethod
    def resolve_end(obj) -> datetime:
        return local(obj.end)


class ActivityOut(Schema):
    public_id: UUID
    title: str
    kind: str
    center: str
    partner: str
    partner_id: UUID | None
    sub_brand: str
    sub_brand_id: UUID | None
    venue: str
    space: str | None
    address: str
    online_url: str
    capacity: int
    places_left: int
    registration_opens: datetime
    registration_closes: datetime
    eligible_tags: list[str]
    requires_verified_tag: bool
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
    def resolve_partner(obj: Activity) -> str:
        return loc(obj.partner) if obj.partner else ""

    @staticmethod
    def resolve_partner_id(obj: Activity) -> UUID | None:
        return obj.partner.public_id if obj.partner else None

    @staticmethod
    def resolve_sub_brand(obj: Activity) -> str:
        return loc(obj.sub_brand) if obj.sub_brand else ""

    @staticmethod
    def resolve_sub_brand_id(obj: Activity) -> UUID | None:
        return obj.sub_brand.public_id if obj.sub_brand else None

    @staticmethod
    def resolve_space(obj: Activity) -> str | None:
        return obj.space.name if obj.space_id else None

    @staticmethod
    def resolve_places_left(obj: Activity) -> int:
        return max(0, obj.capacity - obj.taken)

    @staticmethod
    def resolve_registration_opens(obj: Activity) -> datetime:
        return local(obj.registration_opens)

    @staticmethod
    def resolve_registration_closes(obj: Activity) -> datetime:
        return local(obj.registration_closes)

    @staticmethod
    def resolve_sessions(obj: Activity):
        return list(obj.sessions.all())


class RegistrationOut(Schema):
    public_id: UUID
    activity: UUID
    activity_title: str
    status: str
    short_code: str
    waiting_position: int | None
    offered_until: datetime | None
    checkin_qr_url: str | None

    @staticmethod
    def resolve_activity(obj: Registration) -> UUID:
        return obj.activity.public_id

    @staticmethod
    def resolve_activity_title(obj: Registration) -> str:
        return obj.activity.title

    @staticmethod
    def resolve_waiting_position(obj: Registration) -> int | None:
        # The answer to a sign-up that joined the queue: its place in line as the database
        # counted it on joining (services), which spares every sign-up of a rush a count.
        joined = getattr(obj, "position_when_joined", None)
        if joined and obj.status == Registration.Status.WAITLISTED:
            return joined
        return selectors.waiting_position(obj)

    @staticmethod
    def resolve_offered_until(obj: Registration) -> datetime | None:
        return local(obj.offered_until)

    @staticmethod
    def resolve_checkin_qr_url(obj: Registration, context) -> str | None:
        # Only a confirmed place has a code to show at the door.
        if obj.status != Registration.Status.CONFIRMED:
            return None
        path = reverse("api:registration_qr", kwargs={"public_id": obj.public_id})
        return context["request"].build_absolute_uri(path)


class DoorCheckInOut(Schema):
    created: bool
    activity: UUID
    activity_title: str
    session: SessionOut
    method: str
    checked_in_at: datetime


@router.get(
    "/activities",
    response=list[ActivityOut],
    auth=MAYBE_SIGNED_IN,
    openapi_extra=OPTIONAL_AUTH_DOC,
    summary="Activities to come, by street, center, kind and day; for_me: only those I may join",
)
def activity_list(
    request,
    street: Id | None = None,
    center: Annotated[Text, Field(max_length=50)] | None = None,
    kind: Activity.Kind | None = None,
    day: Day | None = None,
    for_me: bool = False,
):
    street_obj = _found(places.region_by_id(street)) if street is not None else None
    center_obj = _found(places.center_by_slug(center)) if center else None
    person = request.user if for_me and request.user.is_authenticated else None
    return selectors.activities_public(
        street=street_obj, center=center_obj, kind=kind, day=day, person=person
    )


def _found(thing):
    if thing is None:
        raise NotFound()
    return thing


@router.get("/activities/{public_id}", response=ActivityOut, summary="An activity")
def activity_detail(request, public_id: str):
    return selectors.activity_public(public_id)


@router.post(
    "/activities/{public_id}/registrations",
    response={201: RegistrationOut},
    auth=AUTH,
    summary="Sign up: a place if one is free, else the waiting list",
)
def registration_create(request, public_id: str):
    # The lean look-up: the rush of a popular activity goes through here.
    activity = selectors.activity_to_join(public_id)
    return Status(201, services.registration_create(actor=request.user, activity=activity))


@router.post(
    "/activities/door/{token}",
    response={200: DoorCheckInOut, 201: DoorCheckInOut},
    auth=AUTH,
    url_name="activity_door",
    summary="Check in with the code shown at the door of a session (201 the first time); the "
    "token is the last part of the door code's address",
)
def door_check_in(request, token: str):
    session = codes.session_from_door_token(token)
    if session is None:
        raise ValidationFailed(
            _("This door code is not valid or has expired. Scan the code at the door again."),
            field="token",
        )
    registration = selectors.registration_for_person(session.activity, request.user)
    if registration is None:
        raise services.NotEligible(_("You have not signed up for this activity."), field="token")
    entry, created = services.check_in(
        actor=request.user,
        session=session,
        registration=registration,
        method=CheckIn.Method.DOOR_QR,
    )
    body = {
        "created": created,
        "activity": session.activity.public_id,
        "activity_title": session.activity.title,
        "session": session,
        "method": entry.method,
        "checked_in_at": local(entry.checked_in_at),
    }
    return Status(201 if created else 200, body)


@router.get("/me/registrations", response=list[RegistrationOut], auth=AUTH, summary="My sign-ups")
def my_registrations(request):
    return selectors.registrations_of(request.user)


@router.get(
    "/registrations/{public_id}",
    response=RegistrationOut,
    auth=AUTH,
    summary="One of my sign-ups, with its short code and check-in QR code",
)
def registration_detail(request, public_id: str):
    return selectors.registration_of(request.user, public_id)


@router.get(
    "/registrations/{public_id}/check-in-qr",
    auth=AUTH,
    url_name="registration_qr",
    summary="My personal check-in QR code (SVG), for a confirmed place",
    openapi_extra={
        "responses": {200: {"description": "SVG image", "content": {"image/svg+xml": {}}}}
    },
)
def registration_qr(request, public_id: str):
    registration = selectors.registration_of(request.user, public_id)
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationFailed(_("Only a confirmed place has a check-in code."), field="status")
    # The same code as on the registration page: staff scanning it land on their check-in.
    content = request.build_absolute_uri(staff_check_in_path(codes.personal_token(registration)))
    image = io.BytesIO()
    segno.make(content, error="m").save(image, kind="svg", scale=5, border=2)
    response = HttpResponse(image.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/registrations/{public_id}/cancel",
    response=RegistrationOut,
    auth=AUTH,
    summary="Cancel my sign-up; a place held goes to the next in line",
)
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
