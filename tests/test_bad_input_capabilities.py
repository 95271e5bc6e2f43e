"""Issue 12 for riders, charging, places, people, accounts and workdays: what the fuzzer
found answers a clear 422 naming the field (each of these answered 500, or was stored,
before), and the OpenAPI document states the bounds."""

import pytest
from django.test import override_settings

from dangqun.people.models import StaffRole
from dangqun.riders.models import Station
from tests import factories
from tests.charging.helpers import room_with_cabinet
from tests.clients import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(district):
    return factories.staff(StaffRole.Role.DISTRICT_ADMIN, district.district)


def refused(response, field: str, status: int = 422) -> dict:
    """A 422 from the schema (a 400 where the body parser or the service refuses first: a
    number beyond 64 bits, a broken or control character, a backwards period)."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["field"] == field, body
    assert body["message"]
    return body


@pytest.mark.parametrize(
    ("limit", "status"), [(-1, 422), (0, 422), (501, 422), (-(2**63), 422), (2**64, 400)]
)
def test_persons_limit_out_of_bounds_is_refused_naming_limit(admin, limit, status):
    refused(Api(admin, base="/staff").get("/persons", {"limit": limit}), "limit", status)


@pytest.mark.parametrize("offset", [-1, 10**7, -(2**63)])
def test_persons_offset_out_of_bounds_is_refused_naming_offset(admin, offset):
    refused(Api(admin, base="/staff").get("/persons", {"offset": offset}), "offset")


def test_persons_a_page_of_up_to_500(admin):
    assert Api(admin, base="/staff").get("/persons", {"limit": 500}).status_code == 200


@pytest.mark.parametrize(
    ("query", "field", "status"),
    [
        ({"start": "0001-01-01", "end": "2025-01-31"}, "start", 422),
        ({"start": "2025-01-01", "end": "9999-12-31"}, "end", 422),
        ({"start": "2025-02-01", "end": "2025-01-31"}, "end", 400),
    ],
)
def test_charging_usage_refuses_a_period_out_of_range_or_backwards(admin, query, field, status):
    refused(Api(admin, base="/staff").get("/charging/usage", query), field, status)


def test_charging_usage_of_a_period_answers(admin):
    query = {"start": "2025-01-01", "end": "2025-01-31"}
    assert Api(admin, base="/staff").get("/charging/usage", query).status_code == 200


@pytest.mark.parametrize(("station", "status"), [("96061502568014839808", 400), ("0", 422)])
def test_charging_rooms_station_beyond_64_bits_is_refused(district, station, status):
    refused(Api().get("/charging/rooms", {"station": station}), "station", status)


@pytest.mark.parametrize(
    ("parent_id", "status"), [("-2047409225602485452800", 400), ("0", 422), (str(2**63), 400)]
)
def test_regions_parent_id_beyond_64_bits_is_refused(district, parent_id, status):
    refused(Api().get("/regions", {"parent_id": parent_id}), "parent_id", status)


def test_regions_level_is_one_of_the_choices(district):
    refused(Api().get("/regions", {"level": "planet"}), "level")
    assert Api().get("/regions", {"level": "street"}).status_code == 200


def test_a_fault_longer_than_the_model_holds_is_refused(district):
    room, cabinet, _secret = room_with_cabinet(district.cangqian, charging=1)
    slot = cabinet.slots.first()
    rider = Api(factories.PersonFactory())
    refused(rider.post(f"/charging/slots/{slot.pk}/faults", {"text": "坏" * 1001}), "text")
    assert rider.post(f"/charging/slots/{slot.pk}/faults", {"text": "坏" * 1000}).status_code == 201


def test_a_fault_with_a_control_character_is_refused(district):
    room, cabinet, _secret = room_with_cabinet(district.cangqian, charging=1)
    slot = cabinet.slots.first()
    rider = Api(factories.PersonFactory())
    refused(rider.post(f"/charging/slots/{slot.pk}/faults", {"text": "QA\u0001"}), "text", 400)


@pytest.mark.parametrize(("lat", "lng", "field"), [(0, 0, "latitude"), (30.29, 0, "longitude")])
def test_a_station_at_0_0_is_refused(district, admin, lat, lng, field):
    payload = {"name": "驿站", "region": district.cangqian.pk, "latitude": lat, "longitude": lng}
    refused(Api(admin, base="/riders").post("/staff/stations", payload), field)
    assert not Station.objects.exists()


@override_settings(DISTRICT_AREA=(30.1, 119.6, 30.6, 120.4))
def test_a_station_in_china_but_outside_the_district_is_refused(district, admin):
    payload = {"name": "驿站", "region": district.cangqian.pk, "latitude": 39.9, "longitude": 116.4}
    refused(Api(admin, base="/riders").post("/staff/stations", payload), "latitude", status=400)
    assert not Station.objects.exists()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"lat": "0", "lng": "119.98"}, "lat"),
        ({"lat": "30.29", "lng": "1e308"}, "lng"),
        ({"lat": "nan", "lng": "119.98"}, "lat"),
        ({"lat": "30.29", "lng": "119.98", "minutes": "1441"}, "minutes"),
    ],
)
def test_reach_refuses_coordinates_and_minutes_out_of_bounds(district, query, field):
    refused(Api(base="/riders").get("/reach", query), field)
    big = {"lat": "30.29", "lng": "119.98", "minutes": "99999999999999999999"}
    refused(Api(base="/riders").get("/reach", big), "minutes", 400)


def test_coverage_refuses_k_and_demand_out_of_bounds(district, admin):
    api = Api(admin, base="/riders")
    base = {"region": district.cangqian.pk}
    refused(api.post("/staff/coverage", {**base, "k": 10**6}), "k")
    refused(api.post("/staff/coverage", {**base, "region": 0}), "region")
    demand = [{"lat": 0, "lng": 0, "count": 1}]
    body = api.post("/staff/coverage", {**base, "demand": demand})
    assert body.status_code == 422 and body.json()["field"].startswith("demand")


def test_me_name_with_a_lone_surrogate_or_too_long_is_refused(district):
    me = Api(factories.PersonFactory(), token=True)
    refused(me.patch("/me", {"name": "\ud800"}), "name", 400)
    refused(me.patch("/me", {"name": "名" * 51}), "name")
    refused(me.patch("/me", {"name": "王", "home_region_id": 0}), "home_region_id")
    refused(me.patch("/me", {"name": "王", "birth_date": "0001-01-01"}), "birth_date")


def test_me_tag_details_of_the_wrong_type_are_refused(district):
    me = Api(factories.PersonFactory(), token=True)
    response = me.patch("/me", {"name": "王", "tags": {"party_member": {"home_branch": 7}}})
    assert response.status_code == 422
    assert response.json()["field"].startswith("tags")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"date": "9999-12-31", "kind": "holiday"}, "date"),
        ({"date": "2026-01-01", "kind": "festival"}, "kind"),
        ({"date": "2026-01-01", "kind": "holiday", "name": "节" * 41}, "name"),
    ],
)
def test_workday_input_out_of_bounds_is_refused(admin, payload, field):
    refused(Api(admin).post("/workdays/days", payload), field)


def test_workday_deadline_refuses_a_start_in_year_9999(district):
    query = {"start": "9999-12-31", "working_days": 1}
    refused(Api().get("/workdays/deadline", query), "start")


@pytest.mark.parametrize("name", ["", "   ", "\u200b", "\u200b\u200c"])
def test_a_center_with_an_empty_or_zero_width_name_is_refused(district, admin, name):
    center = district.xianlin_center
    payload = {
        "name": name,
        "address": center.address,
        "latitude": 30.2624,
        "longitude": 119.9723,
        "opening_hours": ["08:30-17:30"] * 7,
    }
    response = Api(admin, base="/staff").put(f"/centers/{center.slug}", payload)
    assert response.status_code in (400, 422) and response.json()["field"] == "name"
    center.refresh_from_db()
    assert center.name == "闲林街道党群服务中心"


def test_a_center_phone_is_checked_not_cut(district, admin):
    center = district.xianlin_center
    payload = {
        "name": center.name,
        "address": center.address,
        "latitude": 30.2624,
        "longitude": 119.9723,
        "opening_hours": ["08:30-17:30"] * 7,
    }
    api = Api(admin, base="/staff")
    refused(api.put(f"/centers/{center.slug}", {**payload, "phone": "1" * 31}), "phone")
    refused(api.put(f"/centers/{center.slug}", {**payload, "phone": "call me"}), "phone", 400)
    assert (
        api.put(f"/centers/{center.slug}", {**payload, "phone": "0571-88888888"}).status_code == 200
    )


@pytest.mark.parametrize("body", ["null", "false", "[]", "3"])
def test_bodies_that_are_not_objects_are_refused(district, admin, body):
    client = Api(admin, base="/staff").client
    response = client.put(
        f"/api/v1/staff/centers/{district.xianlin_center.slug}",
        body,
        content_type="application/json",
    )
    assert 400 <= response.status_code < 500
    assert set(response.json()) >= {"code", "message", "field"}


def test_the_document_states_the_bounds():
    doc = Api().get("/openapi.json").json()
    persons = {p["name"]: p for p in doc["paths"]["/api/v1/staff/persons"]["get"]["parameters"]}
    assert persons["limit"]["schema"]["maximum"] == 500
    assert persons["offset"]["schema"]["minimum"] == 0
    schemas = doc["components"]["schemas"]
    assert {"ChargingSlotOut", "ChargingCloseIn", "WorkdayOut"} <= set(schemas)
    assert schemas["FaultIn"]["properties"]["text"]["maxLength"] == 1000
    center = schemas["CenterIn"]["properties"]
    assert center["name"]["maxLength"] == 120 and center["latitude"]["maximum"] == 53.6
