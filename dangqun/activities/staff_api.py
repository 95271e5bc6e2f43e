"""Staff API of activities, under /api/v1/staff/: draft, edit, publish, copy, cancel and
finish activities; registrants (masked mobiles). Check-in, walk-ins, figures and exhibition
visitors are in staff_checkin_api.py. Scoped like the pages: an activity, registration,
center or street outside the user's regions is a 404."""

from datetime import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Router, Status
from pydantic import Field

from dangqun.accounts.auth import AUTH
from dangqun.core.errors import ValidationFailed
from dangqun.core.schemas import Limit, Offset, Text
from dangqun.people import access
from dangqun.people.decorators import staff_endpoint
from dangqun.places import selectors as places

from . import drafting, selectors, services, staff_selectors
from .models import Activity, Registration
from .staff_schemas import (
    ActivityCancelIn,
    ActivityCreateIn,
    ActivityIn,
    CopyIn,
    SessionIn,
    SessionsIn,
    StaffActivityOut,
    StaffRegistrationOut,
    aware,
)

router = Router(tags=["staff"], auth=AUTH)


def _activity(request, public_id: str) -> Activity:
    return selectors.activity_for_staff(request.user, public_id)


# --- activities ---------------------------------------------------------------------------


def _drafting_data(request, payload: ActivityIn) -> dict:
    """The payload as drafting reads it: rows for the space and region, aware times."""
    data = payload.dict(exclude={"sessions", "center"})
    data["registration_opens"] = aware(payload.registration_opens)
    data["registration_closes"] = aware(payload.registration_closes)
    data["space"] = (
        staff_selectors.space_for_staff(request.user, payload.space)
        if payload.space is not None
        else None
    )
    region = None
    if payload.eligible_region is not None:
        region = places.region_by_id(payload.eligible_region)
        if region is None:
            raise ValidationFailed(_("Choose a region from the list."), field="eligible_region")
    data["eligible_region"] = region
    return data


def _sessions(items: list[SessionIn] | None) -> list[tuple[datetime, datetime]] | None:
    return None if items is None else [(aware(s.start), aware(s.end)) for s in items]


@router.get(
    "/activities",
    response=list[StaffActivityOut],
    summary="Activities of my centers, newest first, by status, center and kind",
)
@staff_endpoint()
def activity_list(
    request,
    status: Activity.Status | None = None,
    center: Annotated[Text, Field(max_length=50)] | None = None,
    kind: Activity.Kind | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    activities = staff_selectors.activities_with_sessions(request.user)
    if status:
        activities = activities.filter(status=status)
    if center:
        activities = activities.filter(center=access.center_for_staff(request.user, slug=center))
    if kind:
        activities = activities.filter(kind=kind)
    return activities[offset : offset + limit]


@router.post(
    "/activities",
    response={201: StaffActivityOut},
    summary="Draft an activity at one of my centers, with its sessions",
)
@staff_endpoint()
def activity_create(request, payload: ActivityCreateIn):
    activity = drafting.activity_save(
        actor=request.user,
        center=access.center_for_staff(request.user, slug=payload.center),
        data=_drafting_data(request, payload),
        sessions=_sessions(payload.sessions),
    )
    return Status(201, staff_selectors.activity_answer(activity))


@router.get("/activities/{public_id}", response=StaffActivityOut, summary="An activity")
@staff_endpoint()
def activity_detail(request, public_id: str):
    return staff_selectors.activity_answer(_activity(request, public_id))


@router.put(
    "/activities/{public_id}",
    response=StaffActivityOut,
    summary="Edit a draft or a published activity (sessions: a draft's only)",
)
@staff_endpoint()
def activity_update(request, public_id: str, payload: ActivityIn):
    activity = drafting.activity_save(
        actor=request.user,
        activity=_activity(request, public_id),
        data=_drafting_data(request, payload),
        sessions=_sessions(payload.sessions),
    )
    return staff_selectors.activity_answer(activity)


@router.put(
    "/activities/{public_id}/sessions",
    response=StaffActivityOut,
    summary="Replace the sessions of a draft",
)
@staff_endpoint()
def activity_set_sessions(request, public_id: str, payload: SessionsIn):
    activity = _activity(request, public_id)
    services.activity_set_sessions(
        actor=request.user, activity=activity, sessions=_sessions(payload.sessions)
    )
    return staff_selectors.activity_answer(activity)


@router.post(
    "/activities/{public_id}/publish",
    response=StaffActivityOut,
    summary="Publish a draft (books the space for every session)",
)
@staff_endpoint()
def activity_publish(request, public_id: str):
    activity = services.activity_publish(actor=request.user, activity=_activity(request, public_id))
    return staff_selectors.activity_answer(activity)


@router.post(
    "/activities/{public_id}/copy",
    response={201: StaffActivityOut},
    summary="A new draft like this one, every date moved by days_later days",
)
@staff_endpoint()
def activity_copy(request, public_id: str, payload: CopyIn):
    activity = _activity(request, public_id)
    copy = services.activity_copy(
        actor=request.user, activity=activity, days_later=payload.days_later
    )
    return Status(201, staff_selectors.activity_answer(copy))


@router.post(
    "/activities/{public_id}/cancel",
    response=StaffActivityOut,
    summary="Cancel (a reason is required): frees the spaces and tells everyone signed up",
)
@staff_endpoint()
def activity_cancel(request, public_id: str, payload: ActivityCancelIn):
    activity = services.activity_cancel(
        actor=request.user, activity=_activity(request, public_id), reason=payload.reason
    )
    return staff_selectors.activity_answer(activity)


@router.post(
    "/activities/{public_id}/finish",
    response=StaffActivityOut,
    summary="Mark a published activity as over",
)
@staff_endpoint()
def activity_finish(request, public_id: str):
    activity = services.activity_finish(actor=request.user, activity=_activity(request, public_id))
    return staff_selectors.activity_answer(activity)


# --- registrants --------------------------------------------------------------------------


@router.get(
    "/activities/{public_id}/registrations",
    response=list[StaffRegistrationOut],
    summary="Who signed up, in order (mobile numbers masked)",
)
@staff_endpoint()
def registrant_list(request, public_id: str, status: Registration.Status | None = None):
    activity = _activity(request, public_id)
    return staff_selectors.registrants_in_order(request.user, activity, status)


@router.post(
    "/registrations/{public_id}/cancel",
    response=StaffRegistrationOut,
    summary="Cancel someone's sign-up; a place held goes to the next in line",
)
@staff_endpoint()
def registration_cancel(request, public_id: str):
    registration = staff_selectors.registration_for_staff(request.user, public_id)
    services.registration_cancel(actor=request.user, registration=registration)
    return staff_selectors.registration_with_check_ins(registration.pk)
