"""The riders' pages over HTTP: map and list (no JavaScript needed), reach search with its
errors beside the fields, a station's page, the riders' programme, and the staff pages of
stations and coverage (scoped by region), with the Excel export and the demand import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from dangqun.activities.models import Activity
from dangqun.people.models import StaffRole
from dangqun.riders.models import DemandSet, RiderProfile, Station
from tests import factories
from tests.clients import count_queries, page_client
from tests.riders.helpers import CANGQIAN, east_of, station

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(district):
    near = station(district.cangqian, lat=CANGQIAN[0], lng=east_of(CANGQIAN, 300)[1], name="近站")
    far = station(district.cangqian, lat=CANGQIAN[0], lng=east_of(CANGQIAN, 2000)[1], name="远站")
    return near, far


def test_map_page_lists_every_station_without_a_search(two, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = page_client().get("/riders/map/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "近站" in page and "远站" in page
    assert "/static/leaflet/leaflet.js" in page  # Leaflet from our own static files
    assert "tile.openstreetmap.org" in page  # the configured tiles, used only by the script


def test_reach_search_orders_by_time(two):
    near, far = two
    response = page_client().get(
        "/riders/map/", {"lat": CANGQIAN[0], "lng": CANGQIAN[1], "minutes": 10, "mode": "ebike"}
    )
    page = response.content.decode()
    assert page.index("近站") < page.index("远站")
    assert "2 stations within 10 minutes" in page
    on_foot = (
        page_client()
        .get(
            "/riders/map/", {"lat": CANGQIAN[0], "lng": CANGQIAN[1], "minutes": 10, "mode": "walk"}
        )
        .content.decode()
    )
    assert "近站" in on_foot and "远站" not in on_foot


def test_bad_search_shows_the_error_beside_the_field(two):
    page = (
        page_client()
        .get("/riders/map/", {"lat": "91", "lng": CANGQIAN[1], "minutes": 10})
        .content.decode()
    )
    assert "Latitude must be a number between -90 and 90." in page
    minutes = (
        page_client()
        .get("/riders/map/", {"lat": CANGQIAN[0], "lng": CANGQIAN[1], "minutes": 99})
        .content.decode()
    )
    assert "Minutes must be a whole number from 1 to 60." in minutes


def test_tiles_are_configurable(two, settings):
    settings.MAP_TILES_URL = "https://tiles.example.cn/{z}/{x}/{y}.png"
    assert "tiles.example.cn" in page_client().get("/riders/map/").content.decode()


def test_station_page_with_amenities_hours_and_coordinates(two):
    near = two[0]
    page = page_client().get(f"/riders/stations/{near.pk}/").content.decode()
    assert "Drinking water" in page and "Open 24 hours" in page
    assert f"{float(near.latitude):.6f}" in page
    gcj = page_client().get(f"/riders/stations/{near.pk}/", {"coord": "gcj02"}).content.decode()
    assert "Amap · Tencent" in gcj and f"{float(near.latitude):.6f}" not in gcj
    assert page_client().get("/riders/stations/999999/").status_code == 404


def test_closed_station_is_not_shown(district):
    closed = station(district.cangqian, lat=30.29, lng=119.98, is_open=False, name="停")
    assert page_client().get(f"/riders/stations/{closed.pk}/").status_code == 404
    assert "停" not in page_client().get("/riders/map/").content.decode()


def test_riders_home_shows_trainings_and_the_center(district):
    factories.SpaceFactory(center=district.cangqian_center, name="24小时智能充换电间")
    training = factories.activity(center=district.cangqian_center, kind=Activity.Kind.TRAINING)
    page = page_client().get("/riders/").content.decode()
    assert training.title in page
    assert "Sign in to register" in page


def test_rider_registers_on_the_page_and_erases_the_work_area(person):
    client = page_client(person)
    refused = client.post(
        "/riders/register/", {"trade": "courier", "work_lat": "30.29", "work_lng": "119.98"}
    )
    assert refused.status_code == 400
    assert "consent" in refused.content.decode()
    assert not RiderProfile.objects.exists()
    client.post(
        "/riders/register/",
        {
            "trade": "courier",
            "platform": "顺丰",
            "work_lat": "30.29",
            "work_lng": "119.98",
            "coord": "wgs84",
            "location_consent": "on",
        },
    )
    assert RiderProfile.objects.get(person=person).work_cell
    assert "Withdraw consent" in client.get("/riders/").content.decode()
    client.post("/riders/work-area/withdraw/")
    assert RiderProfile.objects.get(person=person).work_cell == ""


def test_staff_station_pages_are_scoped(district):
    admin = factories.staff(StaffRole.Role.STREET_ADMIN, district.cangqian)
    mine = station(district.cangqian, lat=30.29, lng=119.98, name="仓前驿站")
    theirs = station(district.xianlin, lat=30.26, lng=119.97, name="闲林驿站")
    client = page_client(admin)
    listing = client.get("/staff/riders/stations/").content.decode()
    assert "仓前驿站" in listing and "闲林驿站" not in listing
    assert client.get(f"/staff/riders/stations/{theirs.pk}/edit/").status_code == 404
    assert client.get(f"/staff/riders/stations/{mine.pk}/edit/").status_code == 200
    response = client.post(
        "/staff/riders/stations/new/",
        {
            "name": "新驿站",
            "kind": "warm_bee",
            "region": district.cangqian.pk,
            "coord": "wgs84",
            "latitude": "30.3",
            "longitude": "119.99",
            "amenities": ["water", "microwave"],
            "opening_hours": "24h\n24h\n24h\n24h\n24h\n24h\n24h",
            "is_open": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Station.objects.get(name="新驿站")
    assert made.amenities == ["water", "microwave"]
    bad = client.post(
        "/staff/riders/stations/new/",
        {
            "name": "坏",
            "kind": "warm_bee",
            "region": district.cangqian.pk,
            "coord": "wgs84",
            "latitude": "99",
            "longitude": "119.99",
            "opening_hours": "24h",
        },
    )
    assert "Latitude must be a number between -90 and 90." in bad.content.decode()
    assert not Station.objects.filter(name="坏").exists()


def test_residents_do_not_get_staff_pages(person):
    assert page_client(person).get("/staff/riders/stations/").status_code == 404


def _coverage_setup(district):
    admin = factories.staff(StaffRole.Role.DISTRICT_ADMIN, district.district)
    station(district.cangqian, lat=CANGQIAN[0], lng=CANGQIAN[1])
    return admin


def _csv(text: str, name="demand.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_coverage_page_table_map_and_export(district):
    admin = _coverage_setup(district)
    client = page_client(admin)
    far = east_of(CANGQIAN, 9000)
    upload = _csv(f"lat,lng,count\n{CANGQIAN[0]},{CANGQIAN[1]},30\n{far[0]},{far[1]},10\n")
    response = client.post(
        "/staff/riders/coverage/demand/",
        {"region": district.district.pk, "name": "订单", "coord": "wgs84", "file": upload},
    )
    assert response.status_code == 302
    demand = DemandSet.objects.get()
    assert demand.total == 40
    page = client.get(response["Location"]).content.decode()
    assert "75%" in page
    assert "coverage-geojson" in page
    query = response["Location"].split("?", 1)[1]
    export = client.get(f"/staff/riders/coverage.xlsx?{query}")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Share covered"] == 0.75
    sites = list(book["Suggested sites"].iter_rows(values_only=True))
    assert sites[1][0] == 1 and sites[1][4] == 10


def test_a_bad_demand_file_is_refused_whole_with_every_bad_row(district):
    admin = _coverage_setup(district)
    upload = _csv("lat,lng,count\n30.29,119.98,5\n91,119.98,2\n30.29,east,1\n30.29,119.98,-3\n")
    response = page_client(admin).post(
        "/staff/riders/coverage/demand/",
        {"region": district.district.pk, "coord": "wgs84", "file": upload},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Row 3:" in page and "Row 4:" in page and "Row 5:" in page and "Row 2:" not in page
    assert not DemandSet.objects.exists()
    missing = page_client(admin).post(
        "/staff/riders/coverage/demand/",
        {"region": district.district.pk, "coord": "wgs84", "file": _csv("x,y\n1,2\n")},
    )
    assert "Missing columns: lat, lng, count." in missing.content.decode()


def test_an_excel_demand_file_is_read(district):
    admin = _coverage_setup(district)
    book = Workbook()
    sheet = book.active
    sheet.append(["count", "lat", "lng", "note"])
    sheet.append([12, CANGQIAN[0], CANGQIAN[1], "仓前"])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("d.xlsx", buffer.getvalue())
    page_client(admin).post(
        "/staff/riders/coverage/demand/",
        {"region": district.district.pk, "coord": "wgs84", "file": upload},
    )
    assert DemandSet.objects.get().total == 12


def test_coverage_of_another_street_is_not_found(district):
    admin = factories.staff(StaffRole.Role.STREET_ADMIN, district.xianlin)
    response = page_client(admin).get(
        "/staff/riders/coverage/",
        {"region": district.cangqian.pk, "minutes": 10, "mode": "ebike", "k": 3},
    )
    # The other street is not among the choices: the form refuses it.
    assert "Select a valid choice" in response.content.decode()


def test_staff_list_and_coverage_read_a_fixed_number_of_queries(
    district, django_assert_max_num_queries
):
    admin = factories.staff(StaffRole.Role.DISTRICT_ADMIN, district.district)
    for number in range(25):
        station(district.cangqian, lat=30.29 + number * 0.001, lng=119.98, name=f"站{number}")
    client = page_client(admin)
    with django_assert_max_num_queries(10):
        assert "站24" in client.get("/staff/riders/stations/").content.decode()
    params = {"region": district.district.pk, "minutes": 10, "mode": "ebike", "k": 3}
    with django_assert_max_num_queries(16):
        assert (
            client.get("/staff/riders/coverage/", {**params, "use_riders": "on"}).status_code == 200
        )


def test_map_list_reads_a_fixed_number_of_queries(district, django_assert_max_num_queries):
    for number in range(25):
        station(district.cangqian, lat=30.29 + number * 0.001, lng=119.98, name=f"站{number}")
    with django_assert_max_num_queries(6):
        page = page_client().get("/riders/map/", {"lat": 30.29, "lng": 119.98, "minutes": 30})
    assert page.content.decode().count('class="card station-card"') == 25


def test_map_cards_show_live_charging_availability_in_a_fixed_number_of_queries(district):
    from dangqun.charging.models import Slot
    from tests.charging.helpers import room_with_cabinet

    room, cabinet, _secret = room_with_cabinet(district.cangqian, charging=4, swap=2)
    Slot.objects.filter(cabinet=cabinet, number__in=[1, 2]).update(state=Slot.State.CHARGING)
    for number in range(10):
        station(district.cangqian, lat=30.29 + number * 0.001, lng=119.98, name=f"站{number}")
    params = {"lat": 30.2935, "lng": 119.9898, "minutes": 30}
    one_room, page = count_queries(
        lambda: page_client().get("/riders/map/", params).content.decode()
    )
    assert page.count('class="card station-card"') == 11
    assert page.count("Charging slots: free") == 1
    assert "Charging slots: free 4 of 6" in page
    # Two more stations with rooms and cabinets: the same number of queries.
    room_with_cabinet(district.cangqian, code="cq-b", charging=2, swap=0)
    room_with_cabinet(district.cangqian, code="cq-c", charging=3, swap=0, reported=False)
    three_rooms, page = count_queries(
        lambda: page_client().get("/riders/map/", params).content.decode()
    )
    assert three_rooms == one_room <= 9
    assert "Charging slots: free 4 of 6" in page
    assert "Charging slots: free 2 of 2" in page
    assert "Charging slots: free 0 of 3" in page  # never reported: offline, none free
    # Without a search too.
    assert "Charging slots: free 4 of 6" in page_client().get("/riders/map/").content.decode()


def test_a_demand_set_s_typed_name_is_never_cut(district):
    from dangqun.core.errors import ValidationFailed
    from dangqun.riders import demand

    admin = _coverage_setup(district)
    rows = f"lat,lng,count\n{CANGQIAN[0]},{CANGQIAN[1]},5\n"
    with pytest.raises(ValidationFailed) as refused:
        demand.demand_import(
            actor=admin, region=district.district, name="长" * 121, upload=_csv(rows)
        )
    assert refused.value.field == "name" and not DemandSet.objects.exists()
    # No name typed: the file's name labels the set.
    made = demand.demand_import(actor=admin, region=district.district, name="", upload=_csv(rows))
    assert made.name == _csv(rows).name
