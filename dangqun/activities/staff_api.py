"""Staff API of activities, under /api/v1/staff/: draft, edit, publish, copy, cancel and
finish activities; registrants (masked mobiles), walk-ins, check-in and check-out at the
desk; attendance figures and exhibition visitors. Scoped like the pages: an activity,
registration, center or street outside the user's regions is a 404."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from dangqun.accounts.auth import AUTH
from dangqun.core import audit
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.people import access, identity
from dangqun.people import selectors as people
from dangqun.people import services as people_services
from dangqun.places.models import Region, ServiceCenter, Space

from . import codes, drafting, selectors, services
from .api import ActivityOut, SessionOut, local
from .models import Activity, ActivitySession, CheckIn, ExhibitionDay, Registration

router = Router(tags=["staff"], auth=AUTH)

COPY_MAX_DAYS = 3650


# --- lookups, always scoped ---------------------------------------------------------------


def _require_manager(request) -> None:
    if not access.has_role(request.user, access.MANAGERS):
        raise NotFound()


def _activity(request, public_id: str) -> Activity:
    _require_manager(request)
    return selectors.activity_for_staff(request.user, public_id)


def _session(activity: Activity, session_id: int) -> ActivitySession:
    session = activity.sessions.filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    session.activity = activity
    return session


def _center(request, slug: str) -> ServiceCenter:
    _require_manager(request)
    return access.get_or_404(
        request.user,
        ServiceCenter.objects.select_related("region"),
        roles=access.MANAGERS,
        slug=slug,
    )


def _fresh(activity: Activity) -> Activity:
    """The activity as saved, with what the answer shows."""
    return (
        Activity.objects.select_related("center", "space")
        .prefetch_related("sessions")
        .get(pk=activity.pk)
    )


def _aware(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        # A time without a zone is a time in Shanghai, as people mean it.
        return timezone.make_aware(moment)
    return moment


# --- schemas ------------------------------------------------------------------------------


class SessionIn(Schema):
    start: datetime
    end: datetime


class ActivityIn(Schema):
    title: str
    kind: Activity.Kind
    partner: str = ""
    sub_brand: str = ""
    venue: Activity.Venue = Activity.Venue.SPACE
    space: int | None = None
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    online_url: str = ""
    capacity: int
    registration_opens: datetime
    registration_closes: datetime
    eligible_tags: list[str] = []
    min_age: int | None = None
    max_age: int | None = None
    eligible_region: int | None = None
    walk_ins: bool = False
    promotion_confirm_hours: int | None = None
    reminder_minutes: int = 24 * 60
    description: str = ""
    # None keeps the sessions; a list replaces them (a draft's only).
    sessions: list[SessionIn] | None = None


class ActivityCreateIn(ActivityIn):
    center: str


class StaffActivityOut(ActivityOut):
    """The public view of an activity, and what staff also need to edit it."""

    space_id: int | None
    latitude: float | None
    longitude: float | None
    taken: int
    eligible_region_id: int | None
    promotion_confirm_hours: int | None
    reminder_minutes: int
    created_at: datetime

    @staticmethod
    def resolve_latitude(obj: Activity) -> float | None:
        return float(obj.latitude) if obj.latitude is not None else None

    @staticmethod
    def resolve_longitude(obj: Activity) -> float | None:
        return float(obj.longitude) if obj.longitude is not None else None

    @staticmethod
    def resolve_created_at(obj: Activity) -> datetime:
        return local(obj.created_at)


class SessionsIn(Schema):
    sessions: list[SessionIn]


class CopyIn(Schema):
    days_later: int


class ReasonIn(Schema):
    reason: str = ""


class RegistrantOut(Schema):
    public_id: UUID
    name: str
    mobile_masked: str

    @staticmethod
    def resolve_mobile_masked(obj) -> str:
        return obj.masked_mobile


class StaffRegistrationOut(Schema):
    public_id: UUID
    activity: UUID
    person: RegistrantOut
    status: str
    short_code: str
    is_walk_in: bool
    waiting_position: int | None
    created_at: datetime
    checked_in_sessions: list[int]

    @staticmethod
    def resolve_activity(obj: Registration) -> UUID:
        return obj.activity.public_id

    @staticmethod
    def resolve_waiting_position(obj: Registration) -> int | None:
        if hasattr(obj, "position"):  # counted along the list
            return obj.position
        return selectors.waiting_position(obj)

    @staticmethod
    def resolve_created_at(obj: Registration) -> datetime:
        return local(obj.created_at)

    @staticmethod
    def resolve_checked_in_sessions(obj: Registration) -> list[int]:
        return sorted(c.session_id for c in obj.check_ins.all())


class CodeIn(Schema):
    """The six-letter short code typed at the desk, or the personal QR code's token."""

    code: str | None = None
    token: str | None = None


class WalkInIn(Schema):
    mobile: str
    name: str = ""


class CheckInOut(Schema):
    registration: StaffRegistrationOut
    session: SessionOut
    method: str
    checked_in_at: datetime
    checked_out_at: datetime | None
    by_staff: bool

    @staticmethod
    def resolve_checked_in_at(obj: CheckIn) -> datetime:
        return local(obj.checked_in_at)

    @staticmethod
    def resolve_checked_out_at(obj: CheckIn) -> datetime | None:
        return local(obj.checked_out_at)

    @staticmethod
    def resolve_by_staff(obj: CheckIn) -> bool:
        return obj.by_id is not None


class CheckInResultOut(CheckInOut):
    created: bool


class DoorCodeOut(Schema):
    token: str
    valid_seconds: int
    door_url: str
    api_path: str


class TagFiguresOut(Schema):
    label: str
    person_times: int
    people: int


class AttendanceOut(Schema):
    since: date | None
    until: date | None
    activities: int
    sessions: int
    person_times: int
    people: int
    by_tag: dict[str, TagFiguresOut]
    exhibition_visitors_counted: int


class ExhibitionDayIn(Schema):
    date: date
    visitors: int


class ExhibitionDayOut(Schema):
    date: date
    visitors: int


# --- activities ---------------------------------------------------------------------------


def _drafting_data(payload: ActivityIn) -> dict:
    """The payload as drafting reads it: rows for the space and region, aware times."""
    data = payload.dict(exclude={"sessions", "center"})
    data["registration_opens"] = _aware(payload.registration_opens)
    data["registration_closes"] = _aware(payload.registration_closes)
    data["space"] = (
        Space.objects.filter(pk=payload.space).first() if payload.space is not None else None
    )
    region = None
    if payload.eligible_region is not None:
        region = Region.objects.filter(pk=payload.eligible_region).first()
        if region is None:
            raise ValidationFailed(_("Choose a region from the list."), field="eligible_region")
    data["eligible_region"] = region
    return data


def _sessions(items: list[SessionIn]) -> list[tuple[datetime, datetime]]:
    return [(_aware(s.start), _aware(s.end)) for s in items]


@router.get(
    "/activities",
    response=list[StaffActivityOut],
    summary="Activities of my centers, newest first, by status, center and kind",
)
def activity_list(
    request,
    status: Activity.Status | None = None,
    center: str | None = None,
    kind: Activity.Kind | None = None,
    limit: int = 100,
    offset: int = 0,
):
    _require_manager(request)
    activities = selectors.activities_for_staff(request.user).prefetch_related(
        Prefetch("sessions", queryset=ActivitySession.objects.order_by("start", "id"))
    )
    if status:
        activities = activities.filter(status=status)
    if center:
        activities = activities.filter(center=_center(request, center))
    if kind:
        activities = activities.filter(kind=kind)
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    return activities[offset : offset + limit]


@router.post(
    "/activities",
    response={201: StaffActivityOut},
    summary="Draft an activity at one of my centers, with its sessions",
)
def activity_create(request, payload: ActivityCreateIn):
    center = _center(request, payload.center)
    with transaction.atomic():
        activity = drafting.activity_create(
            actor=request.user, center=center, data=_drafting_data(payload)
        )
        if payload.sessions is not None:
            services.activity_set_sessions(
                actor=request.user, activity=activity, sessions=_sessions(payload.sessions)
            )
    return Status(201, _fresh(activity))


@router.get("/activities/{public_id}", response=StaffActivityOut, summary="An activity")
def activity_detail(request, public_id: str):
    return _fresh(_activity(request, public_id))


@router.put(
    "/activities/{public_id}",
    response=StaffActivityOut,
    summary="Edit a draft or a published activity (sessions: a draft's only)",
)
def activity_update(request, public_id: str, payload: ActivityIn):
    activity = _activity(request, public_id)
    with transaction.atomic():
        drafting.activity_update(
            actor=request.user, activity=activity, data=_drafting_data(payload)
        )
        if payload.sessions is not None:
            services.activity_set_sessions(
                actor=request.user, activity=activity, sessions=_sessions(payload.sessions)
            )
    return _fresh(activity)


@router.put(
    "/activities/{public_id}/sessions",
    response=StaffActivityOut,
    summary="Replace the sessions of a draft",
)
def activity_set_sessions(request, public_id: str, payload: SessionsIn):
    activity = _activity(request, public_id)
    services.activity_set_sessions(
        actor=request.user, activity=activity, sessions=_sessions(payload.sessions)
    )
    return _fresh(activity)


@router.post(
    "/activities/{public_id}/publish",
    response=StaffActivityOut,
    summary="Publish a draft (books the space for every session)",
)
def activity_publish(request, public_id: str):
    activity = services.activity_publish(actor=request.user, activity=_activity(request, public_id))
    return _fresh(activity)


@router.post(
    "/activities/{public_id}/copy",
    response={201: StaffActivityOut},
    summary="A new draft like this one, every date moved by days_later days",
)
def activity_copy(request, public_id: str, payload: CopyIn):
    activity = _activity(request, public_id)
    if not 0 <= payload.days_later <= COPY_MAX_DAYS:
        raise ValidationFailed(
            _("Enter a whole number from %(low)d to %(high)d.") % {"low": 0, "high": COPY_MAX_DAYS},
            field="days_later",
        )
    copy = services.activity_copy(
        actor=request.user, activity=activity, days_later=payload.days_later
    )
    return Status(201, _fresh(copy))


@router.post(
    "/activities/{public_id}/cancel",
    response=StaffActivityOut,
    summary="Cancel (a reason is required): frees the spaces and tells everyone signed up",
)
def activity_cancel(request, public_id: str, payload: ReasonIn):
    activity = services.activity_cancel(
        actor=request.user, activity=_activity(request, public_id), reason=payload.reason
    )
    return _fresh(activity)


@router.post(
    "/activities/{public_id}/finish",
    response=StaffActivityOut,
    summary="Mark a published activity as over",
)
def activity_finish(request, public_id: str):
    activity = services.activity_finish(actor=request.user, activity=_activity(request, public_id))
    return _fresh(activity)


# --- registrants --------------------------------------------------------------------------


@router.get(
    "/activities/{public_id}/registrations",
    response=list[StaffRegistrationOut],
    summary="Who signed up, in order (mobile numbers masked)",
)
def registrant_list(request, public_id: str, status: Registration.Status | None = None):
    activity = _activity(request, public_id)
    registrations = list(
        selectors.registrants_for_staff(request.user, activity).select_related("activity")
    )
    # The list is in sign-up order, so the waiting list's positions are counted here.
    waiting = 0
    for registration in registrations:
        if registration.status == Registration.Status.WAITLISTED:
            waiting += 1
            registration.position = waiting
        else:
            registration.position = None
    return [r for r in registrations if not status or r.status == status]


@router.post(
    "/registrations/{public_id}/cancel",
    response=StaffRegistrationOut,
    summary="Cancel someone's sign-up; a place held goes to the next in line",
)
def registration_cancel(request, public_id: str):
    _require_manager(request)
    registration = access.get_or_404(
        request.user,
        Registration.objects.select_related("activity__center__region", "person"),
        public_id=public_id,
    )
    services.registration_cancel(actor=request.user, registration=registration)
    return _registration(registration.pk)


def _registration(pk: int) -> Registration:
    return (
        Registration.objects.select_related("activity", "person")
        .prefetch_related("check_ins")
        .get(pk=pk)
    )


# --- at the desk --------------------------------------------------------------------------


def _registration_from(session: ActivitySession, payload: CodeIn) -> tuple[Registration, str]:
    """The registration a typed short code or a scanned personal token names, and the
    field it came from."""
    if payload.token and payload.token.strip():
        # The QR code holds the address of the staff's check-in page; its last part is the
        # token. A bare token will do as well.
        token = payload.token.strip().rstrip("/").rsplit("/", 1)[-1]
        registration = codes.registration_from_token(token)
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
    return (
        CheckIn.objects.select_related("session", "registration__activity", "registration__person")
        .prefetch_related("registration__check_ins")
        .get(pk=entry.pk)
    )


def _check_in_result(entry: CheckIn, created: bool) -> Status:
    entry = _loaded(entry)
    entry.created = created
    return Status(201 if created else 200, entry)


@router.post(
    "/activities/{public_id}/sessions/{session_id}/check-ins",
    response={200: CheckInResultOut, 201: CheckInResultOut},
    summary="Check someone in by short code or personal QR token (201 once; 200 after)",
)
def check_in(request, public_id: str, session_id: int, payload: CodeIn):
    session = _session(_activity(request, public_id), session_id)
    registration, source = _registration_from(session, payload)
    entry, created = services.check_in(
        actor=request.user,
        session=session,
        registration=registration,
        method=CheckIn.Method.SCAN if source == "token" else CheckIn.Method.SHORT_CODE,
    )
    return _check_in_result(entry, created)


@router.post(
    "/activities/{public_id}/sessions/{session_id}/check-outs",
    response=CheckInOut,
    summary="Check someone out by short code or personal QR token",
)
def check_out(request, public_id: str, session_id: int, payload: CodeIn):
    session = _session(_activity(request, public_id), session_id)
    registration, source = _registration_from(session, payload)
    entry = CheckIn.objects.filter(registration=registration, session=session).first()
    if entry is None:
        raise ValidationFailed(_("This person has not checked in to this session."), field=source)
    return _loaded(services.check_out(actor=request.user, entry=entry))


@router.post(
    "/activities/{public_id}/sessions/{session_id}/walk-ins",
    response={200: CheckInResultOut, 201: CheckInResultOut},
    summary="Register someone at the door and check them in; a new mobile gets an account",
)
def walk_in(request, public_id: str, session_id: int, payload: WalkInIn):
    activity = _activity(request, public_id)
    session = _session(activity, session_id)
    mobile = identity.normalize_mobile(payload.mobile)
    name = (payload.name or "").strip()
    if len(name) > 50:
        raise ValidationFailed(_("At most %(n)d characters.") % {"n": 50}, field="name")
    with transaction.atomic():
        person = people.person_by_mobile(mobile)
        if person is None:
            if not name:
                raise ValidationFailed(_("Enter the person's name."), field="name")
            # The person accepts the privacy notice at the counter, before staff type.
            person, _created = people_services.person_get_or_create(mobile=mobile, consent=True)
            person.name = name
            person.save(update_fields=["name"])
            audit.record(
                request.user,
                "person.register_at_counter",
                person,
                {"activity": str(activity.public_id), "session": session.pk},
            )
        already = CheckIn.objects.filter(session=session, registration__person=person).exists()
        entry = services.walk_in(actor=request.user, session=session, person=person)
    return _check_in_result(entry, not already)


@router.get(
    "/activities/{public_id}/sessions/{session_id}/door-code",
    response=DoorCodeOut,
    summary="The session's door code (door_url, for a QR code); it lasts valid_seconds",
)
def door_code(request, public_id: str, session_id: int):
    session = _session(_activity(request, public_id), session_id)
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
def activity_attendance(
    request, public_id: str, since: date | None = None, until: date | None = None
):
    activity = _activity(request, public_id)
    return _figures(Activity.objects.filter(pk=activity.pk), since, until)


@router.get(
    "/attendance",
    response=AttendanceOut,
    summary="Person-times and distinct people of the activities of a center or a street",
)
def attendance(
    request,
    center: str | None = None,
    street: int | None = None,
    since: date | None = None,
    until: date | None = None,
):
    _require_manager(request)
    activities = access.scope(request.user, Activity.objects.all())
    if center:
        activities = activities.filter(center=_center(request, center))
    if street is not None:
        region = access.get_or_404(
            request.user, Region.objects.all(), roles=access.MANAGERS, pk=street
        )
        activities = activities.filter(center__region__path__startswith=region.path)
    return _figures(activities, since, until)


@router.get(
    "/activities/{public_id}/exhibition-days",
    response=list[ExhibitionDayOut],
    summary="Visitors of an exhibition counted day by day",
)
def exhibition_days(request, public_id: str):
    activity = _activity(request, public_id)
    return ExhibitionDay.objects.filter(activity=activity).order_by("date")


@router.put(
    "/activities/{public_id}/exhibition-days",
    response=ExhibitionDayOut,
    summary="Set the visitors of an exhibition on a day (today or earlier)",
)
def exhibition_day_set(request, public_id: str, payload: ExhibitionDayIn):
    return services.exhibition_day_set(
        actor=request.user,
        activity=_activity(request, public_id),
        date=payload.date,
        visitors=payload.visitors,
    )
