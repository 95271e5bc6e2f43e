"""The booking API for residents and riders over HTTP, signed in with a Bearer token."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from dangqun.bookings.models import Booking, BookingRule, BookingSeries, ClosedDate
from dangqun.people.models import StaffRole
from dangqun.places.models import SpaceKind
from tests import factories
from tests.bookings.helpers import MOBILE, OPEN, ahead, at, direct_booking
from tests.clients import Api, page_client

pytestmark = pytest.mark.django_db

API = "/api/v1"


def iso(day, hhmm: str) -> str:
    """An ISO time with the Shanghai offset, as an app sends it."""
    return at(day, hhmm).isoformat()


def payload(space, day=None, start="10:00", end="11:00", **extra) -> dict:
    day = day or ahead()
    data = {
        "space_id": space.pk,
        "start": iso(day, start),
        "end": iso(day, end),
        "purpose": "骑手恳谈会",
        "headcount": 5,
    }
    return {**data, **extra}


@pytest.fixture
def api(resident):
    return Api(resident, token=True)


# Booking once


def test_book_with_a_token(api, resident, space, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/bookings", payload(space))
    assert response.status_code == 201, response.json()
    body = response.json()
    booking = Booking.objects.get()
    assert body["public_id"] == str(booking.public_id)
    assert body["status"] == "confirmed"
    assert body["space_id"] == space.pk
    assert body["center"] == "xianlin"
    assert body["purpose"] == "骑手恳谈会"
    assert body["headcount"] == 5
    assert body["series_id"] is None
    assert body["pass_url"].startswith("http://testserver/bookings/pass/")
    assert datetime.fromisoformat(body["start"]) == at(ahead(), "10:00")
    assert datetime.fromisoformat(body["end"]) == at(ahead(), "11:00")
    assert booking.booker == resident
    assert booking.created_by == resident
    assert [to for to, _text in sms_outbox] == [MOBILE]
    # The pass in the answer opens the door page.
    path = body["pass_url"].removeprefix("http://testserver")
    assert page_client().get(path).status_code == 200


def test_a_time_without_an_offset_is_shanghai_time(api, space):
    naive = payload(space)
    naive["start"] = f"{ahead().isoformat()}T10:00:00"
    naive["end"] = f"{ahead().isoformat()}T11:00:00"
    assert api.post("/bookings", naive).status_code == 201
    assert timezone.localtime(Booking.objects.get().start) == at(ahead(), "10:00")


def test_a_time_in_another_zone_is_the_same_moment(api, space):
    utc = payload(space)
    utc["start"] = at(ahead(), "10:00").astimezone(UTC).isoformat()
    utc["end"] = at(ahead(), "11:00").astimezone(UTC).isoformat()
    assert api.post("/bookings", utc).status_code == 201
    assert Booking.objects.get().start == at(ahead(), "10:00")


def test_a_livestream_studio_is_pending_without_a_pass(api, center):
    studio = factories.SpaceFactory(
        center=center, kind=SpaceKind.objects.get(code="livestream_studio"), is_bookable=True
    )
    response = api.post("/bookings", payload(studio))
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert response.json()["pass_url"] is None


def test_booking_needs_a_valid_token(space):
    response = Api().post("/bookings", payload(space))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    forged = Api()
    forged.headers["Authorization"] = "Bearer dq_notatoken"
    assert forged.post("/bookings", payload(space)).status_code == 401
    assert Booking.objects.count() == 0


def test_a_taken_time_is_409(api, space, other):
    direct_booking(space, other, at(ahead(), "10:30"))
    response = api.post("/bookings", payload(space))
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "already_booked"
    assert body["field"] == "start"
    assert "already booked" in body["message"]
    assert Booking.objects.count() == 1


BAD = [
    # (what, changes to the request, the field the answer names, part of its message)
    ("in the past", {"day": -1}, "start", "in the past"),
    ("too far ahead", {"day": 40}, "start", "at most 30 days ahead"),
    ("too long", {"start": "09:00", "end": "14:00"}, "end", "at most 240 minutes"),
    ("off the grid", {"start": "09:10", "end": "10:10"}, "start", "30-minute grid"),
    ("outside hours", {"start": "19:00", "end": "21:00"}, "start", "Outside opening hours"),
    ("over midnight", {"start": "23:30", "end": "00:30", "end_day": 1}, "end", "same day"),
    ("over capacity", {"headcount": 21}, "headcount", "at most 20 people fit this space"),
]
# What the schema refuses before any rule is asked (422, the code says which bound).
MALFORMED = [
    (
        "end before start",
        {"start": "11:00", "end": "10:00"},
        ("end", "end_before_start", "end must be after"),
    ),
    ("nobody", {"headcount": 0}, ("headcount", "greater_than_equal", "at least 1")),
    ("no purpose", {"purpose": "   "}, ("purpose", "blank", "This field is required.")),
    ("long purpose", {"purpose": "会" * 201}, ("purpose", "too_long", "At most 200")),
    ("a tab in one line", {"purpose": "QA\tB"}, ("purpose", "unstorable_text", "control")),
]


def _post_changed(api, space, changes):
    changes = dict(changes)
    day = ahead(changes.pop("day", 3))
    end_day = day + timedelta(days=changes.pop("end_day", 0))
    body = payload(space, day=day, **changes)
    body["end"] = iso(end_day, changes.get("end", "11:00"))
    return api.post("/bookings", body)


@pytest.mark.parametrize(
    ("changes", "field", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_bad_input_is_400_naming_the_field(api, space, changes, field, message):
    response = _post_changed(api, space, changes)
    assert response.status_code == 400, response.json()
    answer = response.json()
    assert answer["code"] == "invalid"
    assert answer["field"] == field
    assert message in answer["message"]
    assert Booking.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "expected"), [b[1:] for b in MALFORMED], ids=[b[0] for b in MALFORMED]
)
def test_malformed_input_is_422_naming_the_field(api, space, changes, expected):
    response = _post_changed(api, space, changes)
    assert response.status_code == 422, response.json()
    answer = response.json()
    assert (answer["field"], answer["code"]) == expected[:2]
    assert expected[2] in answer["message"]
    assert Booking.objects.count() == 0


def test_a_closed_date_is_400(api, space, center):
    ClosedDate.objects.create(center=center, date=ahead())
    response = api.post("/bookings", payload(space))
    assert response.status_code == 400
    assert response.json()["field"] == "start"
    assert response.json()["message"] == "The center is closed on this date."


def test_a_missing_field_is_named(api, space):
    body = payload(space)
    del body["purpose"]
    response = api.post("/bookings", {**body, "headcount": "many"})
    assert response.status_code == 422
    answer = response.json()
    assert {e["field"] for e in answer["errors"]} == {"purpose", "headcount"}
    assert Booking.objects.count() == 0


def test_a_space_that_is_not_bookable_is_refused(api, center):
    hall = factories.SpaceFactory(center=center, is_bookable=False)
    response = api.post("/bookings", payload(hall))
    assert response.status_code == 403
    assert response.json()["field"] == "space"
    assert response.json()["message"] == "This space cannot be booked."
    assert Booking.objects.count() == 0


def test_a_space_for_one_group(api, resident, space):
    BookingRule.objects.create(space=space, required_tags=["new_employment"])
    response = api.post("/bookings", payload(space))
    assert response.status_code == 403
    assert response.json()["field"] == "space"
    assert "New-employment worker" in response.json()["message"]
    factories.tag(resident, "new_employment")
    assert api.post("/bookings", payload(space)).status_code == 201


def test_unknown_space_is_404(api, space):
    response = api.post("/bookings", {**payload(space), "space_id": 999999})
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "field": None}
    assert Booking.objects.count() == 0


def test_a_resident_cannot_book_for_someone_else(api, other, space):
    response = api.post("/bookings", payload(space, on_behalf_mobile=other.mobile))
    assert response.status_code == 403
    assert response.json()["field"] == "booker"
    assert Booking.objects.count() == 0


def test_staff_book_on_behalf(district, center, space, resident):
    staff = factories.staff(StaffRole.Role.CENTER_STAFF, district.xianlin, center)
    response = Api(staff, token=True).post("/bookings", payload(space, on_behalf_mobile=MOBILE))
    assert response.status_code == 201
    booking = Booking.objects.get()
    assert booking.booker == resident
    assert booking.created_by == staff
    unknown = Api(staff, token=True).post(
        "/bookings", payload(space, start="14:00", end="15:00", on_behalf_mobile="13900000000")
    )
    assert unknown.status_code == 400
    assert unknown.json()["field"] == "on_behalf_mobile"


# Mine, one, cancel


def test_list_shows_only_mine(api, resident, other, space):
    mine = direct_booking(space, resident, at(ahead(), "10:00"), purpose="我的会")
    earlier = direct_booking(space, resident, at(ahead(1), "10:00"), purpose="更早的会")
    direct_booking(space, other, at(ahead(), "14:00"), purpose="别人的会")
    response = api.get("/bookings")
    assert response.status_code == 200
    body = response.json()
    assert [b["public_id"] for b in body] == [str(mine.public_id), str(earlier.public_id)]
    assert "别人的会" not in response.content.decode()


def test_list_needs_sign_in(db):
    assert Api().get("/bookings").status_code == 401


def test_one_booking_of_mine_and_not_of_others(api, resident, other, space):
    mine = direct_booking(space, resident, at(ahead(), "10:00"))
    theirs = direct_booking(space, other, at(ahead(), "14:00"))
    response = api.get(f"/bookings/{mine.public_id}")
    assert response.status_code == 200
    assert response.json()["public_id"] == str(mine.public_id)
    for missing in (theirs.public_id, "not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        response = api.get(f"/bookings/{missing}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_cancel_mine_once(api, resident, space):
    mine = direct_booking(space, resident, at(ahead(), "10:00"))
    response = api.post(f"/bookings/{mine.public_id}/cancel", {"reason": "改期"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["reason"] == "改期"
    assert response.json()["pass_url"] is None
    mine.refresh_from_db()
    assert mine.status == Booking.Status.CANCELLED

    again = api.post(f"/bookings/{mine.public_id}/cancel")
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_transition"
    assert again.json()["field"] == "status"


def test_cancel_of_someone_elses_is_404(api, other, space):
    theirs = direct_booking(space, other, at(ahead(), "14:00"))
    response = api.post(f"/bookings/{theirs.public_id}/cancel")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.status == Booking.Status.CONFIRMED


def test_a_cancelled_time_can_be_booked_again(api, resident, space):
    first = api.post("/bookings", payload(space)).json()
    api.post(f"/bookings/{first['public_id']}/cancel")
    assert api.post("/bookings", payload(space)).status_code == 201


# Weekly


def weeks_payload(space, weeks=4, **extra):
    return {**payload(space, **extra), "weeks": weeks}


def test_series_plan_lists_every_week_and_saves_nothing(api, space):
    response = api.post("/bookings/series/plan", weeks_payload(space))
    assert response.status_code == 200
    plan = response.json()
    assert [datetime.fromisoformat(o["start"]) for o in plan] == [
        at(ahead(3 + 7 * i), "10:00") for i in range(4)
    ]
    assert [o["problem"] for o in plan] == [""] * 4
    assert Booking.objects.count() == 0


def test_series_plan_names_the_problem_of_each_week(api, space, other):
    direct_booking(space, other, at(ahead(10), "10:00"))
    plan = api.post("/bookings/series/plan", weeks_payload(space, weeks=5)).json()
    problems = [o["problem"] for o in plan]
    assert problems[0] == ""
    assert "already booked" in problems[1]
    assert problems[2:4] == ["", ""]
    assert "at most 30 days ahead" in problems[4]
    assert Booking.objects.count() == 1


def test_series_plan_refuses_a_bad_request_as_a_whole(api, space):
    response = api.post("/bookings/series/plan", weeks_payload(space, headcount=21))
    assert response.status_code == 400
    assert response.json()["field"] == "headcount"
    for weeks in (1, 27):
        response = api.post("/bookings/series/plan", weeks_payload(space, weeks=weeks))
        assert response.status_code == 422
        assert response.json()["field"] == "weeks"


def test_series_books_every_week(api, resident, space):
    response = api.post("/bookings/series", weeks_payload(space))
    assert response.status_code == 201
    body = response.json()
    series = BookingSeries.objects.get()
    assert len(body) == 4
    assert {b["series_id"] for b in body} == {str(series.public_id)}
    assert all(b["status"] == "confirmed" and b["pass_url"] for b in body)
    assert Booking.objects.filter(series=series, booker=resident).count() == 4


def test_series_with_a_taken_week_is_409_and_saves_nothing(api, space, other):
    theirs = direct_booking(space, other, at(ahead(17), "10:30"))
    response = api.post("/bookings/series", weeks_payload(space))
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "series_conflicts"
    assert body["field"] == "start"
    assert "nothing was saved" in body["message"]
    assert len(body["conflicts"]) == 1
    conflict = body["conflicts"][0]
    assert datetime.fromisoformat(conflict["start"]) == at(ahead(17), "10:00")
    assert "already booked" in conflict["problem"]
    assert list(Booking.objects.all()) == [theirs]
    assert BookingSeries.objects.count() == 0


# Free spaces and calendars


def test_free_spaces(district, center, space, other):
    taken = factories.SpaceFactory(center=center, name="已订的", is_bookable=True)
    small = factories.SpaceFactory(center=center, name="小间", capacity=2, is_bookable=True)
    room = factories.SpaceFactory(
        center=center,
        name="会议室",
        kind=SpaceKind.objects.get(code="meeting_room"),
        is_bookable=True,
    )
    district.cangqian_center.opening_hours = OPEN
    district.cangqian_center.save()
    elsewhere = factories.SpaceFactory(center=district.cangqian_center, is_bookable=True)
    direct_booking(taken, other, at(ahead(), "10:00"))
    query = {"start": iso(ahead(), "10:00"), "end": iso(ahead(), "11:00"), "people": 5}

    response = Api().get("/bookings/free-spaces", query)
    assert response.status_code == 200
    assert sorted(s["id"] for s in response.json()) == sorted([space.pk, room.pk, elsewhere.pk])

    narrow = {**query, "kind": "maker_space", "street": district.xianlin.pk}
    filtered = Api().get("/bookings/free-spaces", narrow).json()
    expected = {"id": space.pk, "name": "创客空间", "center": "xianlin", "kind": "maker_space"}
    assert filtered == [{**expected, "capacity": 20}]
    few = Api().get("/bookings/free-spaces", {**query, "people": 2}).json()
    assert small.pk in {s["id"] for s in few}
    assert Api().get("/bookings/free-spaces", {**query, "kind": "nosuch"}).status_code == 404


def test_space_calendar(space, center, other):
    direct_booking(space, other, at(ahead(), "10:00"), purpose="秘密的会")
    ClosedDate.objects.create(center=center, date=ahead(2), reason="检修")
    response = Api().get(f"/spaces/{space.pk}/calendar", {"start": ahead(2).isoformat(), "days": 2})
    assert response.status_code == 200
    closed, day = response.json()
    assert closed["day"] == ahead(2).isoformat()
    assert closed["closed_reason"] == "检修"
    assert not any(s["open"] for s in closed["slots"])
    assert day["day"] == ahead().isoformat()
    assert day["closed_reason"] is None
    states = {datetime.fromisoformat(s["start"]): s["free"] for s in day["slots"]}
    assert len(states) == 24
    assert states[at(ahead(), "09:30")] is True
    assert states[at(ahead(), "10:00")] is False
    assert states[at(ahead(), "10:30")] is False
    assert states[at(ahead(), "11:00")] is True
    text = response.content.decode()
    assert "秘密的会" not in text
    assert "李四海" not in text
    assert Api().get("/spaces/999999/calendar").json()["code"] == "not_found"


def test_openapi_lists_the_booking_paths(db):
    response = Api().get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    expected = {
        f"{API}/bookings": {"get", "post"},
        f"{API}/bookings/series/plan": {"post"},
        f"{API}/bookings/series": {"post"},
        f"{API}/bookings/free-spaces": {"get"},
        f"{API}/bookings/{{public_id}}": {"get"},
        f"{API}/bookings/{{public_id}}/cancel": {"post"},
        f"{API}/spaces/{{space_id}}/calendar": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, sorted(paths)
        assert methods <= set(paths[path]), (path, paths[path])
