"""Staff API of check-in at the door, under /api/v1/staff/: check-in and check-out by
short code or personal QR token, walk-ins (the same service as the staff page), the door
code; attendance figures and exhibition visitors."""

from datetime import date
from typing import Annotated

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile
from pydantic import Field

from dangqun.accounts.auth import AUTH
from dangqun.core.errors import ValidationFailed
from dangqun.core.schemas import Day, Id, Text
from dangqun.people.decorators import staff_endpoint

from . import codes, selectors, services, staff_selectors
from .models import Activity, ActivitySession, CheckIn, Registration
from .staff_schemas import (
    AttendanceOut,
    CheckInCodeIn,
    CheckInOut,
    CheckInResultOut,
    DoorCodeOut,
    ExhibitionDayIn,
    ExhibitionDayOut,
    WalkInIn,
)

router = Router(tags=["staff"], auth=AUTH)


def _activity(request, public_id: str) -> Activity:
    return selectors.activity_for_staff(request.user, public_id)


def _session(request, public_id: str, session_id: int) -> ActivitySession:
    return staff_selectors.session_for_activity(_activity(request, public_id), session_id)


def _registration_from(
    session: ActivitySession, payload: CheckInCodeIn
) -> tuple[Registration, str]:
    """The registration a typed short code or a scanned personal token names, and the
    field it came from."""
    if payload.token and payload.token.strip():
        # The QR code holds the address of the staff's check-in page; its last part is the
        # token. A bare token will do as well.
        registration = codes.registration_from_token(codes.token_of_scan(payload.token))
        if registration is None:
            raise ValidationFailed(_("This QR code is not valid."), field="token")
        if registration.activity_id != session.activity_id:
            raise ValidationFailed(_("This code belongs to another activity."), field="token")
        return registration, "token"
    if payload.code and payload.code.strip():
        registration = codes.registration_from_short_code(session, payload.code)
        if registration is None:
            raise ValidationFailed(_("No sign-up of this activity has this code."), field="code")
        return registration, "code"
    raise ValidationFailed(_("Type the short code or scan the QR code."), field="code")


def _loaded(entry: CheckIn) -> CheckIn:
    return staff_selectors.check_in_loaded(entry.pk)


def _check_in_result(entry: CheckIn, created: bool) -> Status:
    entry = _loaded(entry)
    entry.created = created
    return Status(201 if created else 200, entry)


@router.post(
    "/activities/{public_id}/sessions/{session_id}/check-ins",
    response={200: CheckInResultOut, 201: CheckInResultOut},
    summary="Check someone in by short code or personal QR token (201 once; 200 after)",
)
@staff_endpoint()
def check_in(request, public_id: str, session_id: int, payload: CheckInCodeIn):
    session = _session(request, public_id, session_id)
    registration, source = _registration_from(session, payload)
    entry, created = services.check_in(
        actor=request.user,
        session=session,
        registration=registration,
        method=CheckIn.Method.SCAN if source == "token" else CheckIn.Method.SHORT_CODE,
    )
    return _check_in_result(entry, created)


@router.post(
    "/activities/{public_id}/sessions/{session_id}/check-ins/photo",
    response={200: CheckInResultOut, 201: CheckInResultOut},
    summary="Check someone in from a photo of their personal QR code (a phone whose browser "
    "cannot read codes); 201 once, 200 after",
)
@staff_endpoint()
def check_in_photo(request, public_id: str, session_id: int, photo: File[UploadedFile] = None):
    session = _session(request, public_id, session_id)
    entry, created = services.check_in(
        actor=request.user,
        session=session,
        registration=codes.registration_from_photo(session, photo),
        method=CheckIn.Method.SCAN,
    )
    return _check_in_result(entry, created)


@router.post(
    "/activities/{public_id}/sessions/{session_id}/check-outs",
    response=CheckInOut,
    summary="Check someone out by short code or personal QR token",
)
@staff_endpoint()
def check_out(request, public_id: str, session_id: int, payload: CheckInCodeIn):
    session = _session(request, public_id, session_id)
    registration, source = _registration_from(session, payload)
    entry = staff_selectors.check_in_of(session, registration)
    if entry is None:
        raise ValidationFailed(_("This person has not checked in to this session."), field=source)
    return _loaded(services.check_out(actor=request.user, entry=entry))


@router.post(
    "/activities/{public_id}/sessions/{session_id}/walk-ins",
    response={200: CheckInResultOut, 201: CheckInResultOut},
    summary="Register someone at the door and check them in; a new mobile gets an account",
)
@staff_endpoint()
def walk_in(request, public_id: str, session_id: int, payload: WalkInIn):
    entry, created = services.walk_in_register(
        actor=request.user,
        session=_session(request, public_id, session_id),
        mobile=payload.mobile,
        name=payload.name,
        consent=payload.consent,
    )
    return _check_in_result(entry, created)


@router.get(
    "/activities/{public_id}/sessions/{session_id}/door-code",
    response=DoorCodeOut,
    summary="The session's door code (door_url, for a QR code); it lasts valid_seconds",
)
@staff_endpoint()
def door_code(request, public_id: str, session_id: int):
    session = _session(request, public_id, session_id)
    token = codes.door_token(session)
    return {
        "token": token,
        "valid_seconds": codes.DOOR_TOKEN_SECONDS,
        # What the code at the door shows: the page a phone's camera opens.
        "door_url": request.build_absolute_uri(reverse("activities:door", args=[token])),
        "api_path": reverse("api:activity_door", kwargs={"token": token}),
    }


# --- figures ------------------------------------------------------------------------------


def _period(since: date | None, until: date | None) -> None:
    if since and until and until < since:
        raise ValidationFailed(_("The end date is before the start date."), field="until")


def _figures(activities, since: date | None, until: date | None) -> dict:
    _period(since, until)
    figures = selectors.attendance(activities=activities, since=since, until=until)
    return {**figures, "since": since, "until": until, "activities": activities.count()}


@router.get(
    "/activities/{public_id}/attendance",
    response=AttendanceOut,
    summary="Person-times and distinct people of an activity, between dates (inclusive)",
)
@staff_endpoint()
def activity_attendance(
    request, public_id: str, since: Day | None = None, until: Day | None = None
):
    activity = _activity(request, public_id)
    return _figures(staff_selectors.one(activity), since, until)


@router.get(
    "/attendance",
    response=AttendanceOut,
    summary="Person-times and distinct people of the activities of a center or a street",
)
@staff_endpoint()
def attendance(
    request,
    center: Annotated[Text, Field(max_length=50)] | None = None,
    street: Id | None = None,
    since: Day | None = None,
    until: Day | None = None,
):
    activities = staff_selectors.activities_in_scope(
        request.user, center_slug=center, street_id=street
    )
    return _figures(activities, since, until)


@router.get(
    "/activities/{public_id}/exhibition-days",
    response=list[ExhibitionDayOut],
    summary="Visitors of an exhibition counted day by day",
)
@staff_endpoint()
def exhibition_days(request, public_id: str):
    activity = _activity(request, public_id)
    return staff_selectors.exhibition_days(activity)


@router.put(
    "/activities/{public_id}/exhibition-days",
    response=ExhibitionDayOut,
    summary="Set the visitors of an exhibition on a day (today or earlier)",
)
@staff_endpoint()
def exhibition_day_set(request, public_id: str, payload: ExhibitionDayIn):
    return services.exhibition_day_set(
        actor=request.user,
        activity=_activity(request, public_id),
        date=payload.date,
        visitors=payload.visitors,
    )
