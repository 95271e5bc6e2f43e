"""The staff API of space booking over HTTP (/api/v1/staff/bookings...): the list and its
filters, approve, reject and cancel, booking rules and closed dates; scoped like the pages,
errors as {"code", "message", "field"}."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from dangqun.bookings import rules
from dangqun.bookings.models import BookingRule, ClosedDate
from dangqun.core.models import AuditEntry
from tests import factories
from tests.bookings.helpers import MONDAY, Role, Status, book, direct_booking
from tests.clients import Api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("far_ahead")]

API = "/staff/bookings"  # under /api/v1


@pytest.fixture
def place(room, studio, riders):
    return room, studio, riders


@pytest.fixture
def bookings(place, residents):
    room, studio, riders = place
    zhang, wang = residents
    return {
        "room": book(zhang, room, start=(14, 0), end=(15, 0), purpose="亲子阅读"),
        "studio": book(zhang, studio, purpose="直播带货"),
        "cangqian": book(wang, riders, purpose="骑手座谈"),
    }


@pytest.fixture
def xianlin(xianlin_admin):
    return Api(xianlin_admin)


@pytest.fixture
def boss(yuhang_admin):
    return Api(yuhang_admin)


def purposes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [b["purpose"] for b in response.json()]


# --- the list --------------------------------------------------------------------------


def test_the_list_is_scoped_and_masked(xianlin, bookings):
    response = xianlin.get(API)
    assert purposes(response) == ["直播带货", "亲子阅读"]
    studio = response.json()[0]
    assert studio["booker"]["mobile_masked"] == "139****1111"
    assert "13900001111" not in response.content.decode()
    assert studio["status"] == "pending" and studio["center"] == "xianlin"
    assert studio["start"] == "2030-01-07T09:00:00+08:00"  # Shanghai time
    assert studio["entered_by_staff"] is False and studio["series_id"] is None


def test_district_admin_sees_both_streets(boss, bookings):
    assert set(purposes(boss.get(API))) == {"直播带货", "亲子阅读", "骑手座谈"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=pending", ["直播带货"]),
        ("?center=cangqian", ["骑手座谈"]),
        ("?date_from=2030-01-08", []),
        ("?date_to=2030-01-06", []),
        ("?date_from=2030-01-07&date_to=2030-01-07&status=confirmed", ["亲子阅读", "骑手座谈"]),
    ],
)
def test_the_list_s_filters(boss, bookings, query, expected):
    assert sorted(purposes(boss.get(API + query))) == sorted(expected)


def test_the_space_filter_and_paging(boss, bookings, place):
    assert purposes(boss.get(f"{API}?space={place[0].pk}")) == ["亲子阅读"]
    assert len(boss.get(f"{API}?limit=2").json()) == 2
    assert len(boss.get(f"{API}?limit=2&offset=2").json()) == 1


def test_filtering_by_another_street_s_center_or_space_is_404(xianlin, bookings, place):
    for query in ("?center=cangqian", f"?space={place[2].pk}", "?center=nowhere"):
        response = xianlin.get(API + query)
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_an_unknown_status_is_refused(xianlin, bookings):
    response = xianlin.get(f"{API}?status=lost")
    assert response.status_code == 422 and response.json()["field"] == "status"


def test_residents_and_the_anonymous_get_nothing(bookings):
    assert Api().get(API).status_code == 401
    assert Api(factories.PersonFactory()).get(API).status_code == 404


def test_partner_staff_get_nothing(district, bookings):
    partner = Api(factories.staff(Role.PARTNER_STAFF, district.xianlin))
    assert partner.get(API).status_code == 404


def test_a_bearer_token_works_too(district, bookings):
    admin = Api(factories.staff(Role.STREET_ADMIN, district.xianlin), token=True)
    assert purposes(admin.get(API)) == ["直播带货", "亲子阅读"]


def test_the_list_s_query_count_does_not_grow(boss, place, bookings, django_assert_max_num_queries):
    with django_assert_max_num_queries(15) as few:
        boss.get(API)
    for i in range(4):
        book(factories.PersonFactory(), place[0], day=MONDAY + timedelta(days=1 + i))
    with django_assert_max_num_queries(len(few)):
        assert len(boss.get(API).json()) == 7


# --- approve, reject, cancel -----------------------------------------------------------


def test_approving(xianlin, bookings, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = xianlin.post(f"{API}/{bookings['studio'].public_id}/approve")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert response.json()["decided_at"] is not None
    assert "聚贤里直播间" in sms_outbox[0][1]


def test_approving_a_non_pending_booking_is_an_error(xianlin, bookings):
    response = xianlin.post(f"{API}/{bookings['room'].public_id}/approve")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["field"] == "status"


def test_rejecting_needs_a_reason(xianlin, bookings):
    url = f"{API}/{bookings['studio'].public_id}/reject"
    response = xianlin.post(url, {"reason": ""})
    assert response.status_code == 400
    assert response.json()["field"] == "reason" and response.json()["code"] == "invalid"
    bookings["studio"].refresh_from_db()
    assert bookings["studio"].status == Status.PENDING
    response = xianlin.post(url, {"reason": "当天有参观团"})
    assert response.json()["status"] == "rejected" and response.json()["reason"] == "当天有参观团"


def test_cancelling(xianlin, bookings):
    response = xianlin.post(f"{API}/{bookings['room'].public_id}/cancel", {"reason": "维修"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["reason"]) == ("cancelled", "维修")
    again = xianlin.post(f"{API}/{bookings['room'].public_id}/cancel")
    assert again.status_code == 400 and again.json()["code"] == "invalid_transition"


def test_cancelling_an_ended_booking_is_an_error(xianlin, place):
    person = factories.PersonFactory()
    ended = direct_booking(
        place[0], person, timezone.now() - timedelta(hours=3), purpose="x", headcount=1
    )
    response = xianlin.post(f"{API}/{ended.public_id}/cancel")
    assert response.status_code == 400 and response.json()["code"] == "invalid_transition"
    ended.refresh_from_db()
    assert ended.status == Status.CONFIRMED


@pytest.mark.parametrize("action", ["approve", "reject", "cancel"])
def test_another_street_s_booking_is_404_like_a_missing_one(xianlin, bookings, action):
    other = bookings["cangqian"]
    outside = xianlin.post(f"{API}/{other.public_id}/{action}", {"reason": "x"})
    missing = xianlin.post(f"{API}/{uuid.uuid4()}/{action}", {"reason": "x"})
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()
    other.refresh_from_db()
    assert other.status == Status.CONFIRMED


# --- rules -------------------------------------------------------------------------------

RULE = {
    "slot_minutes": 60,
    "min_minutes": 60,
    "max_minutes": 180,
    "max_days_ahead": 60,
    "requires_approval": True,
    "max_headcount": 10,
    "open_to_residents": True,
    "open_to_partners": False,
    "required_tags": ["volunteer"],
}


def test_reading_the_rule_in_force(xianlin, place):
    room, studio, _riders = place
    rule = xianlin.get(f"{API}/rules/spaces/{studio.pk}").json()
    assert rule["source"] == "kind" and rule["requires_approval"] is True
    assert rule["slot_minutes"] == 30 and rule["required_tags"] == []


def test_saving_and_dropping_a_space_rule(xianlin, place):
    room = place[0]
    url = f"{API}/rules/spaces/{room.pk}"
    response = xianlin.put(url, RULE)
    assert response.status_code == 200
    assert response.json() == {**RULE, "source": "space"}
    assert rules.rule_for(room).max_headcount == 10
    assert xianlin.get(url).json()["source"] == "space"
    response = xianlin.delete(url)
    assert response.status_code == 200 and response.json()["source"] == "kind"
    assert not BookingRule.objects.filter(space=room).exists()


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        # The schema's own bounds (422), then the rules that compare fields (400).
        ({"slot_minutes": 45}, 422, "slot_minutes"),
        ({"required_tags": ["aliens"]}, 422, "required_tags.0"),
        ({"max_days_ahead": 366}, 422, "max_days_ahead"),
        ({"max_headcount": 0}, 422, "max_headcount"),
        ({"min_minutes": 240, "max_minutes": 120}, 400, "max_minutes"),
        ({"min_minutes": 90}, 400, "min_minutes"),
        ({"max_headcount": 25}, 400, "max_headcount"),
    ],
)
def test_a_bad_rule_is_refused_with_its_field(xianlin, place, change, status, field):
    room = place[0]
    response = xianlin.put(f"{API}/rules/spaces/{room.pk}", {**RULE, **change})
    assert response.status_code == status
    assert response.json()["field"] == field and response.json()["message"]
    assert not BookingRule.objects.filter(space=room).exists()


def test_a_rule_without_a_number_is_refused_by_the_schema(xianlin, place):
    body = {k: v for k, v in RULE.items() if k != "max_minutes"}
    response = xianlin.put(f"{API}/rules/spaces/{place[0].pk}", body)
    assert response.status_code == 422 and response.json()["field"] == "max_minutes"


def test_rules_of_another_street_s_space_are_404(xianlin, place):
    riders = place[2]
    url = f"{API}/rules/spaces/{riders.pk}"
    assert xianlin.get(url).status_code == 404
    assert xianlin.put(url, RULE).status_code == 404
    assert xianlin.delete(url).status_code == 404
    assert xianlin.get(f"{API}/rules/spaces/999999").status_code == 404
    assert not BookingRule.objects.filter(space=riders).exists()


def test_kind_defaults_are_for_district_admins(district, boss, place):
    url = f"{API}/rules/kinds/livestream_studio"
    street = Api(factories.staff(Role.STREET_ADMIN, district.xianlin))
    assert street.get(url).status_code == 404
    assert street.put(url, RULE).status_code == 404
    assert boss.get(url).json()["source"] == "kind"
    response = boss.put(url, {**RULE, "max_headcount": 50})
    assert response.status_code == 200 and response.json()["max_headcount"] == 50
    assert rules.rule_for(place[1]).max_headcount == 50
    assert boss.get(f"{API}/rules/kinds/no_such_kind").status_code == 404


# --- closed dates ------------------------------------------------------------------------


def test_closing_listing_and_opening_a_date(xianlin, place, district):
    url = f"{API}/closed-dates/xianlin"
    response = xianlin.post(url, {"date": "2030-01-07", "reason": "设备检修"})
    assert response.status_code == 201
    assert response.json() == {"center": "xianlin", "date": "2030-01-07", "reason": "设备检修"}
    assert xianlin.get(url).json() == [response.json()]
    twice = xianlin.post(url, {"date": "2030-01-07"})
    assert twice.status_code == 400 and twice.json()["field"] == "date"
    assert xianlin.delete(f"{url}/2030-01-07").status_code == 204
    assert not ClosedDate.objects.exists()
    assert xianlin.delete(f"{url}/2030-01-07").status_code == 404
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"closed_date.add", "closed_date.remove"} <= actions


def test_a_past_date_cannot_be_closed(xianlin, place):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = xianlin.post(f"{API}/closed-dates/xianlin", {"date": yesterday})
    assert response.status_code == 400 and response.json()["field"] == "date"


def test_closed_dates_of_another_street_are_404(xianlin, place, district):
    ClosedDate.objects.create(center=district.cangqian_center, date=MONDAY)
    url = f"{API}/closed-dates/cangqian"
    assert xianlin.get(url).status_code == 404
    assert xianlin.post(url, {"date": "2030-01-08"}).status_code == 404
    assert xianlin.delete(f"{url}/2030-01-07").status_code == 404
    assert ClosedDate.objects.count() == 1


def test_the_endpoints_are_in_the_openapi_document(db):
    paths = Api().get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/staff/bookings",
        "/api/v1/staff/bookings/{public_id}/approve",
        "/api/v1/staff/bookings/{public_id}/reject",
        "/api/v1/staff/bookings/{public_id}/cancel",
        "/api/v1/staff/bookings/rules/spaces/{space_id}",
        "/api/v1/staff/bookings/closed-dates/{center}",
        "/api/v1/staff/bookings/closed-dates/{center}/{date}",
    ):
        assert path in paths, path
    assert paths["/api/v1/staff/bookings"]["get"]["tags"] == ["staff"]
