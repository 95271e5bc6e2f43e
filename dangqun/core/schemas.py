"""Constrained input types for the API's schemas: each checks one rule where input enters,
answers with a translated message naming the field (a 422 through the API's handler), and
shows its constraints in the OpenAPI document.

Text (core.text's rule: no lone surrogates, no control characters; NFC, trimmed)
    Text            one line (no tab, no newline); blank gives ""
    MultilineText   tab and newline allowed; Windows line ends become "\\n"
    RequiredText    one line, not blank (spaces and zero-width characters alone are blank)
    RequiredMultilineText
    Give the length with Annotated, counted after trimming and NFC:
        name: Annotated[RequiredText, Field(max_length=120)]
        note: Annotated[MultilineText, Field(max_length=2000)] = ""
    OpenAPI: type string, maxLength, minLength 1 (required), a pattern refusing control
    characters.

Dates and times (the range every date the platform keeps must fall in)
    Day             a date from 1900-01-01 to 2100-12-31
    Moment          an aware date-time from 1901-01-01 00:00 to 2100-12-31 23:59:59,
                    Asia/Shanghai time; a naive value is read as Asia/Shanghai time; an
                    offset from -12:00 to +14:00. (Before 1901 the zone's offset is local
                    mean time, +08:05:43, which no client reads back.)
    OpenAPI: format date / date-time, a pattern on the year, formatMinimum/formatMaximum.

Numbers
    Id              a database id: 1 to 2**63 - 1
    Limit           a page size: 1 to 500
    Offset          a page start: 0 to 1,000,000
    OpenAPI: type integer, minimum, maximum.

Places (WGS-84 degrees; within China's bounding box)
    Latitude        3.8 to 53.6
    Longitude       73.5 to 135.1
    OpenAPI: type number, minimum, maximum. Where the field means a place in the district,
    the service also checks the district's configured area: `geo.check_in_area(lat, lng,
    field=...)` (settings.DISTRICT_AREA, `DANGQUN_DISTRICT_AREA=south,west,north,east`);
    `district_area()` says which box applies.

Example:
    class CenterIn(Schema):
        name: Annotated[RequiredText, Field(max_length=120)]
        latitude: Latitude
        longitude: Longitude
        opened_on: Day | None = None

    @router.get("/things")
    def things(request, limit: Limit = 50, offset: Offset = 0, region: Id | None = None): ...
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from . import geo, text
from .input import INT64_MAX

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)
FIRST_MOMENT = datetime(1901, 1, 1, tzinfo=geo.SHANGHAI)
LAST_MOMENT = datetime.combine(LAST_DAY, time.max, tzinfo=geo.SHANGHAI)
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000

district_area = geo.district_area


def refusal(code: str, message) -> PydanticCustomError:
    """A validation error that carries its own translated message (the API's 422 handler
    shows it as it is)."""
    return PydanticCustomError(code, str(message).replace("{", "(").replace("}", ")"), _OWN)


_OWN = {"own_message": True}


@dataclass(frozen=True)
class OpenApi:
    """Keywords added to the field's JSON schema in the OpenAPI document (hashable, as the
    metadata of a type used in `X | None` must be)."""

    keywords: tuple

    @classmethod
    def of(cls, **keywords) -> "OpenApi":
        return cls(tuple(keywords.items()))

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = handler(core_schema)
        schema.update(dict(self.keywords))
        return schema


# --- text ---------------------------------------------------------------------------------

# What the text rule refuses, as an (ECMA and Python) regular expression for clients.
_ONE_LINE = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
_LINES = "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]*$"


def _text(*, multiline: bool, required: bool):
    def check(value: Any):
        if not isinstance(value, str):
            return value  # the str schema refuses it with its own message
        cleaned = text.normalise(value, multiline=multiline)
        why = text.problem(cleaned, multiline=multiline)
        if why:
            raise refusal("unstorable_text", why)
        if text.is_blank(cleaned):
            if required:
                raise refusal("blank", _("This field is required."))
            return ""
        return cleaned

    keywords = {"pattern": _LINES if multiline else _ONE_LINE}
    if required:
        keywords["minLength"] = 1
    return Annotated[str, BeforeValidator(check), OpenApi.of(**keywords)]


Text = _text(multiline=False, required=False)
MultilineText = _text(multiline=True, required=False)
RequiredText = _text(multiline=False, required=True)
RequiredMultilineText = _text(multiline=True, required=True)


# --- dates and times ------------------------------------------------------------------------

_YEAR = "^(19[0-9]{2}|20[0-9]{2}|2100)-"


def _day(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise refusal(
            "date_out_of_range",
            _("Enter a date from %(first)s to %(last)s.")
            % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )
    return value


# The offsets of the world's time zones; PostgreSQL refuses one beyond 15:59 outright.
EARLIEST_OFFSET = timedelta(hours=-12)
LATEST_OFFSET = timedelta(hours=14)


def _moment(value: datetime) -> datetime:
    if timezone.is_naive(value):
        value = value.replace(tzinfo=geo.SHANGHAI)
    elif not EARLIEST_OFFSET <= value.utcoffset() <= LATEST_OFFSET:
        raise refusal(
            "datetime_offset_out_of_range",
            _("Enter a time zone offset from -12:00 to +14:00 (Beijing time is +08:00)."),
        )
    try:
        inside = FIRST_MOMENT <= value <= LAST_MOMENT
        value.astimezone(UTC)
    except (OverflowError, ValueError):
        inside = False
    if not inside:
        raise refusal(
            "datetime_out_of_range",
            _("Enter a date and time from %(first)s to %(last)s (Beijing time).")
            % {"first": "1901-01-01 00:00", "last": "2100-12-31 23:59"},
        )
    return value


Day = Annotated[
    date,
    AfterValidator(_day),
    OpenApi.of(
        pattern=_YEAR, formatMinimum=FIRST_DAY.isoformat(), formatMaximum=LAST_DAY.isoformat()
    ),
]
Moment = Annotated[
    datetime,
    AfterValidator(_moment),
    OpenApi.of(
        pattern=_YEAR,
        formatMinimum=FIRST_MOMENT.isoformat(),
        formatMaximum=LAST_MOMENT.replace(microsecond=0).isoformat(),
    ),
]


# --- numbers ----------------------------------------------------------------------------------

Id = Annotated[int, Field(ge=1, le=INT64_MAX)]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


# --- places ---------------------------------------------------------------------------------


def _within(low: float, high: float, message):
    def check(value: float) -> float:
        if not low <= value <= high:  # NaN is never within
            raise refusal("out_of_china", message())
        return value

    return check


Latitude = Annotated[
    float,
    AfterValidator(
        _within(
            geo.CHINA.south,
            geo.CHINA.north,
            lambda: (
                _("Enter a latitude in China, from %(low)s to %(high)s.")
                % {"low": geo.CHINA.south, "high": geo.CHINA.north}
            ),
        )
    ),
    OpenApi.of(minimum=geo.CHINA.south, maximum=geo.CHINA.north),
]
Longitude = Annotated[
    float,
    AfterValidator(
        _within(
            geo.CHINA.west,
            geo.CHINA.east,
            lambda: (
                _("Enter a longitude in China, from %(low)s to %(high)s.")
                % {"low": geo.CHINA.west, "high": geo.CHINA.east}
            ),
        )
    ),
    OpenApi.of(minimum=geo.CHINA.west, maximum=geo.CHINA.east),
]

__all__ = [
    "Day",
    "Id",
    "Latitude",
    "Limit",
    "Longitude",
    "Moment",
    "MultilineText",
    "Offset",
    "RequiredMultilineText",
    "RequiredText",
    "Text",
    "district_area",
    "refusal",
]
