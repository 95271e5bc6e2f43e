"""Issue 12 for space booking: every input of the API is bounded where it enters (dates in
1900-2100, times in 1901-2100, pages, ids, text), a period ends after it starts, and rows
stored before those bounds (a booking in year 9999, a control character in a purpose) do
not break the lists, the Excel export, the feeds or the counter that show them."""

from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from dangqun.api import api as ninja_api
from dangqun.bookings import passes
from dangqun.bookings.models import Booking
from tests.bookings.helpers import MONDAY, ahead, at, book, direct_booking
from tests.clients import Api, page_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("far_ahead")]


def _body(space, **changes) -> dict:
    day = ahead()
    return {
        "space_id": space.pk,
        "start": at(day, "10:00").isoformat(),
        "end": at(day, "11:00").isoformat(),
        "purpose": "读书会",
        "headcount": 3,
        **changes,
    }


@pytest.fixture
def resident_api(resident):
    return Api(resident, token=True)


@pytest.fixture
def admin_api(xianlin_admin):
    return Api(xianlin_admin)


def _refused(response, status: int, field: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["field"] == field, body
    assert body["message"]
    return body


# --- what comes in ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "1900-06-01T08:00:00+08:00"]
)
@pytest.mark.parametrize("path", ["/bookings", "/bookings/series", "/bookings/series/plan"])
def test_a_booking_beyond_the_years_kept_is_422_naming_the_field(resident_api, space, moment, path):
    body = _body(space, start=moment, weeks=2)
    _refused(resident_api.post(path, body), 422, "start")
    _refused(resident_api.post(path, {**_body(space, weeks=2), "end": moment}), 422, "end")
    assert not Booking.objects.exists()


def test_a_booking_that_ends_before_it_starts_is_422_naming_end(resident_api, space):
    day = ahead()
    body = _body(space, start=at(day, "11:00").isoformat(), end=at(day, "10:00").isoformat())
    assert _refused(resident_api.post("/bookings", body), 422, "end")["code"] == (
        "end_before_start"
    )


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"space_id": 2**63}, 400, "space_id"),  # beyond 64 bits: refused by the parser
        ({"space_id": 0}, 422, "space_id"),
        ({"headcount": 100_001}, 422, "headcount"),
        ({"purpose": "a\u0085b"}, 400, "purpose"),  # a control character: the parser
        ({"purpose": "a\tb"}, 422, "purpose"),  # a tab, in one line: the schema
        ({"on_behalf_mobile": "1" * 21}, 422, "on_behalf_mobile"),
        ({"weeks": 27}, 422, "weeks"),
    ],
)
def test_numbers_and_text_out_of_bounds_are_refused(resident_api, space, changes, status, field):
    body = _body(space, **{"weeks": 2, **changes})
    _refused(resident_api.post("/bookings/series/plan", body), status, field)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=9999-12-31", "start"),
        ("start=0001-01-01", "start"),
        ("start=1900-01-01", "start"),  # Shanghai's offset was not yet +08:00
        ("days=0", "days"),
        ("days=32", "days"),
        ("days=1000001", "days"),
    ],
)
def test_a_calendar_out_of_range_is_422(space, query, field):
    _refused(Api().get(f"/spaces/{space.pk}/calendar?{query}"), 422, field)


def test_a_calendar_at_the_edges_answers(space):
    for start in ("1901-01-01", "2100-12-31"):
        response = Api().get(f"/spaces/{space.pk}/calendar?start={start}&days=31")
        assert response.status_code == 200
        assert len(response.json()) == 31


def test_a_calendar_of_a_space_beyond_64_bits_is_422():
    _refused(Api().get(f"/spaces/{2**64}/calendar"), 422, "space_id")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=9999-12-31T10:00:00Z&end=9999-12-31T11:00:00Z", "start"),
        ("start=2030-01-07T10:00:00Z&end=0001-01-01T00:00:00Z", "end"),
        ("start=2030-01-07T11:00:00%2B08:00&end=2030-01-07T10:00:00%2B08:00", "end"),
        ("start=2030-01-07T10:00:00Z&end=2030-01-07T11:00:00Z&people=0", "people"),
        ("start=2030-01-07T10:00:00Z&end=2030-01-07T11:00:00Z&street=0", "street"),
    ],
)
def test_free_spaces_out_of_range_are_refused(space, query, field):
    response = Api().get(f"/bookings/free-spaces?{query}")
    assert response.status_code in (400, 422), response.content
    assert response.json()["field"] == field


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=-1", "limit"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("offset=-1", "offset"),
        ("offset=1000001", "offset"),
        ("space=0", "space"),
        ("date_from=9999-12-31", "date_from"),
        ("date_to=0001-01-01", "date_to"),
        ("status=lost", "status"),
    ],
)
def test_the_staff_list_refuses_what_is_out_of_range(admin_api, query, field):
    _refused(admin_api.get(f"/staff/bookings?{query}"), 422, field)


def test_the_staff_list_refuses_a_period_that_ends_before_it_starts(admin_api):
    response = admin_api.get("/staff/bookings?date_from=2030-01-08&date_to=2030-01-07")
    _refused(response, 400, "date_to")


def test_the_staff_list_at_the_edges_answers(admin_api):
    response = admin_api.get("/staff/bookings?date_from=1900-01-01&date_to=2100-12-31&limit=500")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date": "9999-12-31"}, "date"),
        ({"date": "2030-01-07", "reason": "修" * 121}, "reason"),
    ],
)
def test_a_closed_date_out_of_range_is_422(admin_api, center, body, field):
    _refused(admin_api.post(f"/staff/bookings/closed-dates/{center.slug}", body), 422, field)


def test_a_reason_longer_than_kept_is_422(admin_api, room, residents):
    booking = book(residents[0], room, purpose="读书会")
    response = admin_api.post(f"/staff/bookings/{booking.public_id}/cancel", {"reason": "x" * 201})
    _refused(response, 422, "reason")


# --- what was stored before ---------------------------------------------------------------------


@pytest.fixture
def poisoned(room, residents):
    """Rows no API lets in any more: a booking in year 9999 (beyond what Python can move to
    +08:00), one in 1900 (local mean time), and a purpose with a control character."""
    zhang = residents[0]
    return [
        direct_booking(room, zhang, datetime(9999, 12, 31, 20, tzinfo=UTC), purpose="远"),
        direct_booking(room, zhang, datetime(1900, 6, 1, 0, tzinfo=UTC), purpose="旧"),
        direct_booking(room, zhang, at(MONDAY, 9), purpose="QA\u0001"),
        book(zhang, room, start=(14, 0), end=(15, 0), purpose="亲子阅读"),
    ]


def test_the_staff_list_answers_after_poisoned_rows(admin_api, poisoned):
    response = admin_api.get("/staff/bookings?limit=500")
    assert response.status_code == 200, response.content
    starts = {b["purpose"]: b["start"] for b in response.json()}
    assert starts["远"] == "9999-12-31T20:00:00Z"  # as stored, in UTC
    assert starts["旧"] == "1900-06-01T00:00:00Z"
    assert starts["亲子阅读"] == "2030-01-07T14:00:00+08:00"


def test_the_excel_export_answers_after_poisoned_rows(xianlin_admin, poisoned):
    response = page_client(xianlin_admin).get("/staff/bookings/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    purposes = [row[6] for row in rows[1:]]
    assert "QA" in purposes and "亲子阅读" in purposes
    far = rows[1 + purposes.index("远")]
    assert far[2] == "9999-12-31 20:00 UTC"


def test_the_staff_pages_answer_after_poisoned_rows(xianlin_admin, poisoned):
    client = page_client(xianlin_admin)
    assert client.get("/staff/bookings/").status_code == 200


def test_the_booker_s_lists_and_feed_answer_after_poisoned_rows(residents, poisoned):
    zhang = residents[0]
    assert Api(zhang, token=True).get("/bookings").status_code == 200
    client = page_client(zhang)
    assert client.get("/bookings/").status_code == 200
    feed = client.get(f"/bookings/feed/{passes.feed_token(zhang)}.ics")
    assert feed.status_code == 200 and b"BEGIN:VEVENT" in feed.content
    room = poisoned[0].space
    assert client.get(f"/bookings/spaces/{room.pk}/calendar.ics").status_code == 200


def test_the_counter_answers_after_poisoned_rows(yuhang_admin, residents, poisoned):
    # A year-9999 booking is still to come: the counter lists it.
    response = Api(yuhang_admin).get(f"/intake/staff/counter?mobile={residents[0].mobile}")
    assert response.status_code == 200, response.content
    assert len(response.json()["bookings"]) >= 2


# --- the OpenAPI document -------------------------------------------------------------------


def test_the_calendar_is_documented_with_the_booking_day():
    document = ninja_api.get_openapi_schema()
    calendar = document["paths"]["/api/v1/spaces/{space_id}/calendar"]["get"]
    schema = calendar["responses"][200]["content"]["application/json"]["schema"]
    assert schema["items"]["$ref"] == "#/components/schemas/BookingDayOut"
    slots = document["components"]["schemas"]["BookingDayOut"]["properties"]["slots"]
    assert slots["items"]["$ref"] == "#/components/schemas/BookingSlotOut"
    assert set(document["components"]["schemas"]["BookingSlotOut"]["properties"]) == {
        "start",
        "end",
        "open",
        "free",
    }


def test_the_staff_list_documents_its_bounds():
    document = ninja_api.get_openapi_schema()
    parameters = {
        p["name"]: p["schema"]
        for p in document["paths"]["/api/v1/staff/bookings"]["get"]["parameters"]
    }
    assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, 500)
    assert parameters["offset"]["minimum"] == 0


def test_a_series_in_the_last_weeks_kept_answers(resident_api, space):
    # The weekly steps go past 2100 from a start in December 2100: refused by the rules
    # (too far ahead), never by an error.
    start = datetime(2100, 12, 20, 10, tzinfo=UTC)
    body = _body(
        space,
        start=start.isoformat(),
        end=(start + timedelta(hours=1)).isoformat(),
        weeks=26,
    )
    response = resident_api.post("/bookings/series/plan", body)
    assert response.status_code == 200
    assert all(o["problem"] for o in response.json())


def test_staff_booking_for_someone_else_names_the_mobile(admin_api, room):
    body = _body(room, on_behalf_mobile="13800000000")
    _refused(admin_api.post("/bookings", body), 400, "on_behalf_mobile")


# --- the pages' dates -----------------------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1900-01-01"])
def test_a_calendar_page_far_out_shows_today(space, day):
    client = page_client()
    for url in (
        f"/bookings/spaces/{space.pk}/calendar/?date={day}",
        f"/bookings/spaces/{space.pk}/calendar/?date={day}&view=week",
        f"/bookings/centers/{space.center.slug}/calendar/?date={day}",
    ):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("query", ["date_from=9999-12-31", "date_to=0001-01-01"])
def test_the_staff_list_page_names_a_date_far_out(xianlin_admin, query):
    client = page_client(xianlin_admin)
    page = client.get(f"/staff/bookings/?{query}")
    assert page.status_code == 200
    assert "Enter a date from 1901-01-01 to 2100-12-31." in page.content.decode()
    assert client.get(f"/staff/bookings/export.xlsx?{query}").status_code == 400
    day = client.get(f"/staff/bookings/day/?center=xianlin&date={query[-10:]}")
    assert day.status_code == 200


def test_a_closed_date_far_out_is_refused_on_the_page(xianlin_admin, center):
    client = page_client(xianlin_admin)
    page = client.post(f"/staff/bookings/closed/{center.slug}/", {"date": "9999-12-31"})
    assert page.status_code == 200
    assert "Enter a date from 1901-01-01 to 2100-12-31." in page.content.decode()
    assert not center.closed_dates.exists()
