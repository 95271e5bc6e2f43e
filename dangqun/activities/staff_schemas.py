"""The schemas of the activities' staff API (staff_api.py and staff_checkin_api.py)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from django.utils import timezone
from ninja import Schema
from pydantic import Field

from dangqun.core.schemas import (
    Day,
    Id,
    Latitude,
    Longitude,
    Moment,
    MultilineText,
    RequiredText,
    Text,
)

from . import selectors
from .api import ActivityOut, SessionOut, local
from .models import Activity, CheckIn, Registration
from .services import COPY_DAYS


def aware(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        # A time without a zone is a time in Shanghai, as people mean it.
        return timezone.make_aware(moment)
    return moment


# The bounds below are drafting's (activities/drafting.py), which the pages use as well.
Age = Annotated[int, Field(ge=0, le=120)]


class SessionIn(Schema):
    start: Moment
    end: Moment


class ActivityIn(Schema):
    title: Annotated[RequiredText, Field(max_length=120)]
    kind: Activity.Kind
    # Public ids of a partner co-building with the center and of a sub-brand it gives
    # there (GET /api/v1/partners/); a sub-brand alone brings its partner.
    partner: UUID | None = None
    sub_brand: UUID | None = None
    venue: Activity.Venue = Activity.Venue.SPACE
    space: Id | None = None
    address: Annotated[Text, Field(max_length=200)] = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    online_url: Annotated[Text, Field(max_length=200)] = ""
    capacity: Annotated[int, Field(ge=1, le=100_000)]
    registration_opens: Moment
    registration_closes: Moment
    eligible_tags: Annotated[list[Annotated[Text, Field(max_length=40)]], Field(max_length=20)] = []
    # Groups staff can verify count only once verified (needs one such group above).
    requires_verified_tag: bool = False
    min_age: Age | None = None
    max_age: Age | None = None
    eligible_region: Id | None = None
    walk_ins: bool = False
    promotion_confirm_hours: Annotated[int, Field(ge=1, le=168)] | None = None
    reminder_minutes: Annotated[int, Field(ge=0, le=14 * 24 * 60)] = 24 * 60
    description: Annotated[MultilineText, Field(max_length=5000)] = ""
    # None keeps the sessions; a list replaces them (a draft's only).
    sessions: Annotated[list[SessionIn], Field(max_length=100)] | None = None


class ActivityCreateIn(ActivityIn):
    center: Annotated[RequiredText, Field(max_length=50)]


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
    sessions: Annotated[list[SessionIn], Field(max_length=100)]


class CopyIn(Schema):
    # The bounds are the service's (activity_copy), so the page and the API refuse alike;
    # the document states them.
    days_later: Annotated[
        int, Field(json_schema_extra={"minimum": COPY_DAYS[0], "maximum": COPY_DAYS[1]})
    ]


class ActivityCancelIn(Schema):
    reason: Annotated[Text, Field(max_length=200)] = ""


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


class CheckInCodeIn(Schema):
    """The six-letter short code typed at the desk, or the personal QR code's token."""

    code: Annotated[Text, Field(max_length=20)] | None = None
    token: Annotated[Text, Field(max_length=500)] | None = None


class WalkInIn(Schema):
    """A walk-in at the door; a mobile number without an account needs the name and the
    person's consent to the privacy notice (as on the staff page)."""

    mobile: Annotated[RequiredText, Field(max_length=30)]
    name: Annotated[Text, Field(max_length=50)] = ""
    consent: bool = False


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
    date: Day
    visitors: Annotated[int, Field(ge=0, le=1_000_000)]


class ExhibitionDayOut(Schema):
    date: date
    visitors: int
