"""The constrained input types of core/schemas.py: each called through pydantic directly,
through a test-only API with the real parser and error handlers, and in the OpenAPI
document with its constraints."""

from datetime import UTC, date, datetime, timedelta
from typing import Annotated

import pytest
from django.test import Client
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from dangqun.core import geo, schemas
from dangqun.core.schemas import (
    Day,
    Id,
    Latitude,
    Limit,
    Longitude,
    Moment,
    MultilineText,
    Offset,
    RequiredMultilineText,
    RequiredText,
    Text,
)

pytestmark = pytest.mark.urls("tests.core.types_api")


def valid(type_, value):
    return TypeAdapter(type_).validate_python(value)


def refused(type_, value) -> dict:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(type_).validate_python(value)
    return caught.value.errors()[0]


# --- text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("  王五  ", "王五"),
        ("e\u0301", "\u00e9"),  # NFC
        ("", ""),
        ("\u200b \u200b", ""),  # blank: zero-width and spaces only
        ("😀 ok", "😀 ok"),
    ],
)
def test_text_is_trimmed_and_normalised(given, kept):
    assert valid(Text, given) == kept


@pytest.mark.parametrize("given", ["a\tb", "a\nb", "a\x00b", "a\x1bb", "a\x85b", "a\ud800b"])
def test_single_line_text_refuses_control_characters_and_surrogates(given, english):
    error = refused(Text, given)
    assert error["type"] == "unstorable_text"
    assert error["msg"].startswith("This text contains a")


def test_multiline_text_keeps_tabs_and_unifies_line_ends():
    assert valid(MultilineText, " a\tb\r\nc\rd \n") == "a\tb\nc\nd"
    assert refused(MultilineText, "a\x0bb")["type"] == "unstorable_text"


@pytest.mark.parametrize("type_", [RequiredText, RequiredMultilineText])
@pytest.mark.parametrize("given", ["", "   ", "\u200b", "\u200b \u200c\ufeff", "\u3000\u2060"])
def test_required_text_refuses_blank(type_, given, english):
    error = refused(type_, given)
    assert (error["type"], error["msg"]) == ("blank", "This field is required.")


def test_text_length_comes_from_annotated_and_counts_what_is_kept():
    short = Annotated[RequiredText, Field(max_length=3)]
    assert valid(short, "  abc  ") == "abc"
    assert valid(short, "e\u0301e\u0301e\u0301") == "\u00e9\u00e9\u00e9"
    assert refused(short, "abcd")["type"] == "too_long"


def test_text_refuses_what_is_not_text():
    assert refused(Text, 12)["type"] == "string_type"


# --- dates and times -------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["1900-01-01", "2024-05-01", "2100-12-31"])
def test_day_within_range(given):
    assert valid(Day, given) == date.fromisoformat(given)


@pytest.mark.parametrize("given", ["1899-12-31", "2101-01-01", "0001-01-01", "9999-12-31"])
def test_day_out_of_range(given, english):
    error = refused(Day, given)
    assert error["type"] == "date_out_of_range"
    assert error["msg"] == "Enter a date from 1900-01-01 to 2100-12-31."


def test_moment_reads_naive_values_as_beijing_time():
    moment = valid(Moment, "2024-05-01T09:30:00")
    assert moment.utcoffset() == timedelta(hours=8)
    assert moment.astimezone(UTC) == datetime(2024, 5, 1, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "given",
    ["1901-01-01T00:00:00+08:00", "2100-12-31T23:59:59+08:00", "2024-05-01T01:30:00Z"],
)
def test_moment_within_range(given):
    assert valid(Moment, given).tzinfo is not None


@pytest.mark.parametrize(
    "given",
    [
        "9999-12-31T23:59:59Z",  # the permanent 500 of issue 12
        "9999-12-31T23:59:59-12:00",  # beyond datetime.max in UTC
        "0001-01-01T00:00:00+14:00",  # before datetime.min in UTC
        "0001-01-01T00:00:00",
        "1900-06-01T08:00:00+08:00",  # local mean time (+08:05:43) in Asia/Shanghai
        "2101-01-01T00:00:00+08:00",
    ],
)
def test_moment_out_of_range(given, english):
    error = refused(Moment, given)
    assert error["type"] == "datetime_out_of_range"
    assert "1901-01-01" in error["msg"] and "2100-12-31" in error["msg"]


@pytest.mark.parametrize("given", ["2045-09-22T20:19:46+21:34", "2024-05-01T09:00:00-13:00"])
def test_moment_offset_beyond_the_worlds_time_zones(given, english):
    # PostgreSQL refused "+21:34" with a DataError inside a query.
    error = refused(Moment, given)
    assert error["type"] == "datetime_offset_out_of_range"
    assert valid(Moment, "2024-05-01T09:00:00+14:00").utcoffset() == timedelta(hours=14)


def test_every_moment_in_range_shows_in_beijing_time_with_a_whole_minute_offset():
    for moment in (schemas.FIRST_MOMENT, schemas.LAST_MOMENT):
        local = moment.astimezone(geo.SHANGHAI)
        assert local.utcoffset() == timedelta(hours=8)


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "ok", "bad"),
    [
        (Id, [1, 2**63 - 1, "42"], [0, -1, 2**63, 96061502568014839808]),
        (Limit, [1, 500], [0, 501, -5]),
        (Offset, [0, 10**6], [-1, 10**6 + 1]),
    ],
)
def test_numbers_within_their_bounds(type_, ok, bad):
    for value in ok:
        assert valid(type_, value) == int(value)
    for value in bad:
        assert refused(type_, value)["type"] in {"greater_than_equal", "less_than_equal"}


# --- places ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "ok", "bad"),
    [
        (Latitude, [3.8, 30.2624, 53.6], [0, -1, 3.7, 53.7, 90, float("nan"), float("inf")]),
        (Longitude, [73.5, 119.9723, 135.1], [0, 1, 73.4, 135.2, 180, float("nan")]),
    ],
)
def test_coordinates_within_china(type_, ok, bad, english):
    for value in ok:
        assert valid(type_, value) == value
    for value in bad:
        error = refused(type_, value)
        assert error["type"] == "out_of_china"
        assert "in China" in error["msg"]


def test_the_district_area_is_china_unless_configured(settings):
    settings.DISTRICT_AREA = None
    assert schemas.district_area() == geo.CHINA
    settings.DISTRICT_AREA = (30.1, 119.6, 30.6, 120.5)
    assert schemas.district_area() == geo.Area(30.1, 119.6, 30.6, 120.5)


def test_check_in_area_states_the_area(settings, english):
    from dangqun.core.errors import ValidationFailed

    settings.DISTRICT_AREA = (30.1, 119.6, 30.6, 120.5)
    geo.check_in_area(30.2624, 119.9723, field="latitude")
    with pytest.raises(ValidationFailed) as caught:
        geo.check_in_area(31.2, 121.5, field="latitude")  # Shanghai, not the district
    assert caught.value.field == "latitude"
    assert "30.1" in str(caught.value.message) and "120.5" in str(caught.value.message)
    settings.DISTRICT_AREA = None
    with pytest.raises(ValidationFailed) as caught:
        geo.check_in_area(0, 0, field="longitude")
    assert "outside China" in str(caught.value.message)


# --- through HTTP: the real parser and handlers ------------------------------------------------

URL = "/api/types/things"


def post(payload, language="en"):
    return Client().post(
        URL, payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )


def test_a_good_thing_is_kept_cleaned(db):
    response = post(
        {
            "name": "  e\u0301 ",
            "note": "a\r\nb",
            "day": "2024-05-01",
            "at": "2024-05-01T09:30:00",
            "latitude": 30.2624,
            "longitude": 119.9723,
            "parent": 9223372036854775807,
        }
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "\u00e9"
    assert body["note"] == "a\nb"
    assert body["at"] == "2024-05-01T09:30:00+08:00"


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"name": "\u200b"}, "name", "This field is required."),
        ({"name": "x" * 11}, "name", "At most 10 characters."),
        ({"name": "a", "nickname": "a\nb"}, "nickname", "This text contains a control"),
        ({"name": "a", "day": "9999-12-31"}, "day", "Enter a date from 1900-01-01"),
        ({"name": "a", "at": "9999-12-31T23:59:59Z"}, "at", "Enter a date and time from"),
        ({"name": "a", "latitude": 0}, "latitude", "Enter a latitude in China"),
        ({"name": "a", "longitude": 0}, "longitude", "Enter a longitude in China"),
        ({"name": "a", "parent": 0}, "parent", "Enter a value of at least 1."),
    ],
)
def test_a_bad_field_is_a_422_naming_it_in_the_callers_language(db, payload, field, message):
    response = post(payload)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["field"] == field
    assert body["message"].startswith(message)


def test_the_message_follows_the_language(db):
    english = post({"name": "a", "parent": 0}).json()["message"]
    chinese = post({"name": "a", "parent": 0}, language="zh-hans").json()["message"]
    from django.utils import translation

    with translation.override("zh-hans"):
        assert chinese == translation.gettext("Enter a value of at least %(n)s.") % {"n": 1}
    assert english == "Enter a value of at least 1."


@pytest.mark.parametrize(
    ("query", "field", "status"),
    [
        ("limit=0", "limit", 422),
        ("limit=501", "limit", 422),
        ("offset=-1", "offset", 422),
        ("offset=1000001", "offset", 422),
        ("id=0", "id", 422),
        ("id=9223372036854775808", "id", 400),
        # Beyond 64 bits the parser refuses it already, before any schema.
        ("id=96061502568014839808", "id", 400),
    ],
)
def test_paging_and_ids_in_the_query(db, query, field, status):
    response = Client().get(f"{URL}?{query}")
    assert response.status_code == status
    assert response.json()["field"] == field


def test_paging_defaults_and_bounds(db):
    assert Client().get(f"{URL}?limit=500&offset=1000000").json() == {
        "limit": 500,
        "offset": 1000000,
        "id": None,
    }


def test_an_id_in_the_path(db):
    assert Client().get(f"{URL}/9223372036854775807").status_code == 200
    assert Client().get(f"{URL}/0").status_code == 422
    # Beyond 64 bits: refused before any query could overflow.
    assert Client().get(f"{URL}/96061502568014839808").status_code == 422


# --- the OpenAPI document --------------------------------------------------------------------


@pytest.fixture
def openapi(db):
    return Client().get("/api/types/openapi.json").json()


def _property(openapi, name):
    schema = openapi["components"]["schemas"]["ThingIn"]["properties"][name]
    return schema.get("anyOf", [schema])[0]


def test_openapi_shows_text_constraints(openapi):
    name = _property(openapi, "name")
    assert (name["type"], name["maxLength"], name["minLength"]) == ("string", 10, 1)
    assert name["pattern"].startswith("^[^")
    assert (
        "\\u000b" in _property(openapi, "note")["pattern"]
        or "\\u0008" in _property(openapi, "note")["pattern"]
    )


def test_openapi_shows_date_and_place_constraints(openapi):
    day = _property(openapi, "day")
    assert (day["format"], day["formatMinimum"], day["formatMaximum"]) == (
        "date",
        "1900-01-01",
        "2100-12-31",
    )
    assert _property(openapi, "at")["format"] == "date-time"
    latitude = _property(openapi, "latitude")
    assert (latitude["minimum"], latitude["maximum"]) == (3.8, 53.6)
    longitude = _property(openapi, "longitude")
    assert (longitude["minimum"], longitude["maximum"]) == (73.5, 135.1)
    parent = _property(openapi, "parent")
    assert (parent["minimum"], parent["maximum"]) == (1, 2**63 - 1)


def test_openapi_shows_paging_bounds(openapi):
    parameters = {
        p["name"]: p["schema"] for p in openapi["paths"]["/api/types/things"]["get"]["parameters"]
    }
    assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, 500)
    assert (parameters["offset"]["minimum"], parameters["offset"]["maximum"]) == (0, 10**6)


def test_a_model_with_the_types_validates_like_the_api():
    class Center(BaseModel):
        name: Annotated[RequiredText, Field(max_length=120)]
        latitude: Latitude
        longitude: Longitude

    center = Center(name=" 闲林街道党群服务中心 ", latitude=30.2624, longitude=119.9723)
    assert center.name == "闲林街道党群服务中心"
    with pytest.raises(ValidationError):
        Center(name="x", latitude=0, longitude=0)
