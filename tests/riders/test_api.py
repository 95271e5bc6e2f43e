"""The riders' API over HTTP: stations, GeoJSON, reach search with its errors, staff writes
scoped by region, coverage, and a rider's own registration with consent to location data."""

import pytest

from dangqun.core import geo
from dangqun.core.models import AuditEntry
from dangqun.people.models import PersonTag, StaffRole
from dangqun.riders.models import RiderProfile, Station
from tests import factories
from tests.clients import Api, error
from tests.riders.helpers import CANGQIAN, east_of, station

pytestmark = pytest.mark.django_db


def riders(person=None) -> Api:
    """The shared JSON client, at /api/v1/riders."""
    return Api(person, base="/riders")


@pytest.fixture
def stations(district):
    near = station(district.cangqian, lat=CANGQIAN[0], lng=east_of(CANGQIAN, 200)[1], name="近")
    far = station(
        district.cangqian,
        lat=CANGQIAN[0],
        lng=east_of(CANGQIAN, 2500)[1],
        name="远",
        amenities=["battery_swap"],
    )
    closed = station(district.xianlin, lat=30.2624, lng=119.9723, name="停用", is_open=False)
    return near, far, closed


def test_stations_list_and_one_station(stations):
    near, far, closed = stations
    body = riders().get("/stations").json()
    assert {s["name"] for s in body} == {"近", "远"}
    one = riders().get(f"/stations/{near.pk}").json()
    assert one["amenities"] == ["rest", "water"]
    assert one["lat"] == pytest.approx(CANGQIAN[0])
    assert error(riders().get(f"/stations/{closed.pk}"), 404)["code"] == "not_found"
    assert error(riders().get("/stations/999999"), 404)["code"] == "not_found"


def test_amenity_filter_of_the_list_and_its_errors(stations):
    body = riders().get("/stations", {"amenity": "battery_swap"}).json()
    assert [s["name"] for s in body] == ["远"]
    assert error(riders().get("/stations", {"amenity": "sauna"}), 400)["field"] == "amenity"


def test_geojson_is_wgs84_longitude_first_or_gcj02_on_request(stations):
    near = stations[0]
    response = riders().get("/stations.geojson")
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    feature = next(f for f in body["features"] if f["id"] == near.pk)
    assert feature["geometry"]["coordinates"] == [float(near.longitude), float(near.latitude)]
    gcj = riders().get("/stations.geojson", {"coord": "gcj02"}).json()
    g_feature = next(f for f in gcj["features"] if f["id"] == near.pk)
    g_lat, g_lng = geo.wgs84_to_gcj02(float(near.latitude), float(near.longitude))
    assert g_feature["geometry"]["coordinates"] == [round(g_lng, 6), round(g_lat, 6)]
    assert gcj["coord"] == "gcj02"
    assert error(riders().get("/stations.geojson", {"coord": "utm"}), 400)["field"] == "coord"


def test_reach_orders_by_time_and_filters(stations):
    near, far, _closed = stations
    body = riders().get("/reach", {"lat": CANGQIAN[0], "lng": CANGQIAN[1], "minutes": 10}).json()
    assert [r["station"]["id"] for r in body["results"]] == [near.pk, far.pk]
    assert body["results"][0]["seconds"] < body["results"][1]["seconds"]
    assert body["engine"] == "straight_line"
    walk = (
        riders()
        .get("/reach", {"lat": CANGQIAN[0], "lng": CANGQIAN[1], "minutes": 10, "mode": "walk"})
        .json()
    )
    assert [r["station"]["id"] for r in walk["results"]] == [near.pk]
    swap = (
        riders()
        .get(
            "/reach",
            {"lat": CANGQIAN[0], "lng": CANGQIAN[1], "minutes": 10, "amenities": "battery_swap"},
        )
        .json()
    )
    assert [r["station"]["id"] for r in swap["results"]] == [far.pk]


def test_reach_in_bd09_answers_in_bd09(stations):
    b_lat, b_lng = geo.wgs84_to_bd09(*CANGQIAN)
    body = (
        riders()
        .get("/reach", {"lat": b_lat, "lng": b_lng, "minutes": 5, "mode": "walk", "coord": "bd09"})
        .json()
    )
    assert body["origin"]["coord"] == "bd09"
    assert body["origin"]["lat"] == pytest.approx(b_lat, abs=1e-5)
    near = body["results"][0]["station"]
    assert (near["lat"], near["lng"]) == pytest.approx(
        geo.wgs84_to_bd09(float(stations[0].latitude), float(stations[0].longitude)), abs=1e-5
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lat": "95"}, "lat"),
        ({"lng": "200"}, "lng"),
        ({"minutes": "0"}, "minutes"),
        ({"minutes": "61"}, "minutes"),
        ({"mode": "car"}, "mode"),
        ({"amenities": "rest,sauna"}, "amenities"),
        ({"coord": "webmercator"}, "coord"),
    ],
)
def test_reach_refuses_bad_input_naming_the_field(stations, params, field):
    query = {"lat": CANGQIAN[0], "lng": CANGQIAN[1], "minutes": 10, **params}
    # Out of China or out of every bound: the schema's 422; the rest, the service's 400.
    status = 422 if field in ("lat", "lng") or params.get("minutes") == "0" else 400
    body = error(riders().get("/reach", query), status)
    assert body["field"] == field
    assert body["message"]


def test_staff_add_and_change_stations_in_their_region_only(district):
    admin = factories.staff(StaffRole.Role.STREET_ADMIN, district.cangqian)
    g_lat, g_lng = geo.wgs84_to_gcj02(*CANGQIAN)
    payload = {
        "name": "暖蜂驿站·新",
        "kind": "warm_bee",
        "region": district.cangqian.pk,
        "amenities": ["water", "rest", "microwave"],
        "opening_hours": ["24h"] * 7,
        "latitude": round(g_lat, 6),
        "longitude": round(g_lng, 6),
        "coord": "gcj02",
        "capacity": 8,
    }
    response = riders(admin).send("post", "/staff/stations", payload)
    assert response.status_code == 201, response.content
    made = Station.objects.get(name="暖蜂驿站·新")
    assert geo.distance_m(float(made.latitude), float(made.longitude), *CANGQIAN) < 0.5
    assert made.amenities == ["rest", "water", "microwave"]
    assert AuditEntry.objects.filter(action="station.create", object_id=str(made.pk)).exists()

    changed = riders(admin).send("patch", f"/staff/stations/{made.pk}", {"is_open": False})
    assert changed.json()["is_open"] is False

    # Another street: refused, named on the region, nothing written.
    elsewhere = {**payload, "name": "闲林的", "region": district.xianlin.pk}
    assert error(riders(admin).send("post", "/staff/stations", elsewhere), 400)["field"] == "region"
    other = station(district.xianlin, lat=30.2624, lng=119.9723, name="闲林驿站")
    patch = riders(admin).send("patch", f"/staff/stations/{other.pk}", {"name": "x"})
    assert error(patch, 404)["code"] == "not_found"
    assert Station.objects.get(pk=other.pk).name == "闲林驿站"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"latitude": 91}, "latitude"),
        ({"longitude": "east"}, "longitude"),
        ({"amenities": ["water", "sauna"]}, "amenities"),
        ({"opening_hours": ["25:00-26:00"] * 7}, "opening_hours"),
        ({"coord": "xyz"}, "coord"),
        ({"name": " "}, "name"),
        ({"kind": "castle"}, "kind"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_staff_bad_station_input_changes_nothing(district, changes, field):
    admin = factories.staff(StaffRole.Role.STREET_ADMIN, district.cangqian)
    payload = {
        "name": "驿站",
        "region": district.cangqian.pk,
        "latitude": 30.29,
        "longitude": 119.98,
        **changes,
    }
    status = 422 if field in ("latitude", "longitude", "kind", "capacity") else 400
    response = riders(admin).send("post", "/staff/stations", payload)
    assert error(response, status)["field"] == field
    assert not Station.objects.exists()


def test_residents_and_strangers_get_no_staff_api(district, person):
    assert riders().send("post", "/staff/stations", {}).status_code == 401
    assert error(riders(person).get("/staff/stations"), 404)["code"] == "not_found"


def test_coverage_over_the_api(district):
    admin = factories.staff(StaffRole.Role.STREET_ADMIN, district.cangqian)
    station(district.cangqian, lat=CANGQIAN[0], lng=CANGQIAN[1])
    far = east_of(CANGQIAN, 8000)
    demand = [
        {"lat": CANGQIAN[0], "lng": CANGQIAN[1], "count": 30},
        {"lat": far[0], "lng": far[1], "count": 10},
    ]
    payload = {
        "region": district.cangqian.pk,
        "minutes": 10,
        "k": 2,
        "demand": demand,
        "use_riders": False,
        "candidates": [{"lat": far[0], "lng": far[1]}],
    }
    body = riders(admin).send("post", "/staff/coverage", payload).json()
    assert body["demand_total"] == 40
    assert body["share_covered"] == 0.75
    assert [s["gain"] for s in body["sites"]] == [10]
    assert body["sites"][0]["share_after"] == 1.0
    polygons = [f for f in body["geojson"]["features"] if f["geometry"]["type"] == "Polygon"]
    assert len(polygons) == 2
    assert (
        error(riders(admin).send("post", "/staff/coverage", {**payload, "minutes": 99}), 400)[
            "field"
        ]
        == "minutes"
    )
    assert (
        error(
            riders(admin).send(
                "post", "/staff/coverage", {**payload, "region": district.xianlin.pk}
            ),
            404,
        )["code"]
        == "not_found"
    )


def test_rider_registers_with_consent_and_withdraws_it(person):
    api = riders(person)
    assert error(api.get("/me"), 404)["code"] == "not_found"
    without = {"trade": "delivery", "platform": "美团", "work_lat": 30.29, "work_lng": 119.98}
    assert error(api.send("put", "/me", without), 400)["field"] == "location_consent"
    assert not RiderProfile.objects.exists()
    assert not PersonTag.objects.filter(person=person).exists()

    body = api.send("put", "/me", {**without, "location_consent": True}).json()
    assert body["trade"] == "delivery" and body["platform"] == "美团"
    assert body["work_area"] and body["location_consent_at"]
    assert PersonTag.objects.get(person=person, tag="new_employment").trade == "delivery"

    gone = api.send("delete", "/me/work-area").json()
    assert gone["work_area"] is None and gone["location_consent_at"] is None
    profile = RiderProfile.objects.get(person=person)
    assert profile.work_cell == "" and profile.location_consent_at is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"trade": "pilot"}, "trade"),
        ({"work_lat": 95, "work_lng": 119.98, "location_consent": True}, "work_lat"),
        ({"work_lat": 30.2, "work_lng": 119.98, "location_consent": True, "coord": "x"}, "coord"),
    ],
)
def test_bad_rider_registration_changes_nothing(person, changes, field):
    payload = {"trade": "courier", **changes}
    status = 400 if field == "coord" else 422
    assert error(riders(person).send("put", "/me", payload), status)["field"] == field
    assert not RiderProfile.objects.exists()
    assert not PersonTag.objects.filter(person=person).exists()


def test_the_api_is_in_the_openapi_document():
    paths = Api().get("/openapi.json").json()["paths"]
    for path in (
        "/riders/reach",
        "/riders/stations.geojson",
        "/riders/staff/stations",
        "/riders/staff/coverage",
        "/riders/me",
    ):
        assert f"/api/v1{path}" in paths


def test_staff_delete_a_station_unless_something_is_attached(district):
    from dangqun.charging.models import ChargingRoom

    admin = factories.staff(StaffRole.Role.STREET_ADMIN, district.cangqian)
    mistake = station(district.cangqian, lat=30.29, lng=119.98, name="错的")
    assert riders(admin).send("delete", f"/staff/stations/{mistake.pk}").status_code == 204
    assert not Station.objects.filter(pk=mistake.pk).exists()
    assert AuditEntry.objects.filter(action="station.delete", object_id=str(mistake.pk)).exists()

    used = station(district.cangqian, lat=30.29, lng=119.98, name="有充电间")
    ChargingRoom.objects.create(station=used, name="充电间")
    body = error(riders(admin).send("delete", f"/staff/stations/{used.pk}"), 409)
    assert body["code"] == "in_use"
    assert Station.objects.filter(pk=used.pk).exists()
    theirs = station(district.xianlin, lat=30.26, lng=119.97, name="闲林")
    assert error(riders(admin).send("delete", f"/staff/stations/{theirs.pk}"), 404)
    assert Station.objects.filter(pk=theirs.pk).exists()
