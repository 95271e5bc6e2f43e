"""Input types of the booking API (residents' and staff's), on top of core/schemas.py: the
lengths of the models' fields, the calendar's range of days and the rule that a period
ends after it starts, each refused with a 422 naming the field."""

from datetime import date, datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field
from pydantic import AfterValidator, ValidationInfo

from dangqun.core.errors import ValidationFailed
from dangqun.core.schemas import FIRST_MOMENT, LAST_DAY, OpenApi, RequiredText, Text, refusal

# The largest headcount a rule may allow (services._headcount_limit).
MAX_HEADCOUNT = 100_000

Mobile = Annotated[Text, Field(max_length=20)]  # 11 digits, written as people write them
Reason = Annotated[Text, Field(max_length=200)]  # Booking.reason
# A booking's public id (a UUID); one that is not a UUID is a 404, like a missing one.
BookingPublicId = Annotated[RequiredText, Field(max_length=36)]

# A calendar's slots are date-times in Shanghai time: from 1901 on, where the zone's offset
# is +08:00 (before, it is local mean time, +08:05:43, which no client reads).
FIRST_CALENDAR_DAY = FIRST_MOMENT.date()


def _calendar_day(value: date) -> date:
    if not FIRST_CALENDAR_DAY <= value <= LAST_DAY:
        raise refusal(
            "date_out_of_range",
            _("Enter a date from %(first)s to %(last)s.")
            % {"first": FIRST_CALENDAR_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )
    return value


CalendarDay = Annotated[
    date,
    AfterValidator(_calendar_day),
    OpenApi.of(
        pattern="^(19[0-9]{2}|20[0-9]{2}|2100)-",
        formatMinimum=FIRST_CALENDAR_DAY.isoformat(),
        formatMaximum=LAST_DAY.isoformat(),
    ),
]


def end_after_start(cls, value: datetime, info: ValidationInfo) -> datetime:
    """A field validator of `end` (after `start`): a booking ends after it starts."""
    start = info.data.get("start")
    if start is not None and value <= start:
        raise refusal("end_before_start", _("The end must be after the start."))
    return value


def period(start: datetime, end: datetime) -> None:
    """A time asked about (query parameters) ends after it starts."""
    if end <= start:
        raise ValidationFailed(_("The end must be after the start."), field="end")


def day_period(first: date | None, last: date | None, *, field: str) -> None:
    """Days from `first` to `last` (either may be open): the last is not before the first."""
    if first is not None and last is not None and last < first:
        raise ValidationFailed(_("The period must end on or after its start."), field=field)


__all__ = [
    "MAX_HEADCOUNT",
    "BookingPublicId",
    "CalendarDay",
    "Mobile",
    "Reason",
    "day_period",
    "end_after_start",
    "period",
]
