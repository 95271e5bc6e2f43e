"""The maps' server side: the page_json filter, the tiles' coordinate system, Leaflet's words
in the page's language, open and closed stations told apart in words, the nearest station
when nothing is within reach (page and API), the coverage page's sites named and linked to
Amap with unique ids, the Excel's engine in words, and a rider's work area by village."""

import io
import json
import random
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.template import Context, Template
from django.utils import translation
from openpyxl import load_workbook

from dangqun.core import geo
from dangqun.core.errors import ValidationFailed
from dangqun.core.templatetags.page_json import dumps
from dangqun.people.models import StaffRole
from dangqun.riders import search, services, travel
from dangqun.riders.models import RiderProfile
from tests import factories
from tests.clients import Api, page_client
from tests.riders.helpers import CANGQIAN, east_of, station

pytestmark = pytest.mark.django_db

CLOSED_WEEK = [""] * 7


def _script(page: str, element_id: str) -> str:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', page)
    assert found, f"no {element_id} in the page"
    return found.group(1)


def test_page_json_keeps_chinese_and_escapes_what_could_end_the_script():
    value = {"name": "暖蜂驿站 </script><!-- & >", "n": 1}
    text = dumps(value)
    assert "暖蜂驿站" in text and "\\u6696" not in text
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value
    rendered = Template('{% load page_json %}{{ v|page_json:"x-1" }}').render(Context({"v": value}))
    assert rendered.startswith('<script id="x-1" type="application/json">')
    assert rendered.count("</script>") == 1


def test_map_tiles_setting_names_the_tiles_system(settings):
    settings.MAP_TILES_CRS = "GCJ-02"
    assert geo.map_tiles()["crs"] == "gcj02"
    settings.MAP_TILES_CRS = "bd09"  # Baidu's tiles also use another projection: refused
    with pytest.raises(ValueError):
        geo.map_tiles()


def test_map_page_words_for_open_and_closed_stations_in_chinese(district, settings):
    settings.MAP_TILES_CRS = "gcj02"
    settings.MAP_TILES_SUBDOMAINS = "1234"
    station(district.cangqian, lat=CANGQIAN[0], lng=CANGQIAN[1], name="开着的驿站")
    station(district.cangqian, lat=30.29, lng=119.98, name="关着的驿站", week=CLOSED_WEEK)
    page = page_client(language="zh-hans").get("/riders/map/").content.decode()
    points = {p["name"]: p for p in json.loads(_script(page, "station-points"))}
    assert points["开着的驿站"]["open"] is True and points["开着的驿站"]["status"] == "正在开放"
    assert points["关着的驿站"]["open"] is False and points["关着的驿站"]["status"] == "非开放时间"
    assert "\\u" not in _script(page, "station-points")  # real characters
    config = json.loads(_script(page, "map-config"))
    assert config["tiles"]["crs"] == "gcj02" and config["tiles"]["subdomains"] == "1234"
    assert config["text"]["zoom_in"] == "放大" and config["text"]["zoom_out"] == "缩小"
    # The map is a named region; the coordinate systems are named by where they come from.
    assert 'id="map" class="station-map" role="region" aria-label="驿站地图"' in page
    assert "GPS（手机定位）" in page and "高德·腾讯" in page and "WGS-84" not in page
    assert page.count('id="map-config"') == 1


def test_nothing_in_reach_says_how_far_the_nearest_station_is(district):
    far = east_of(CANGQIAN, 6000)
    station(district.cangqian, lat=far[0], lng=far[1], name="远处驿站")
    query = {"lat": CANGQIAN[0], "lng": CANGQIAN[1], "minutes": 5, "mode": "walk"}
    page = page_client().get("/riders/map/", query).content.decode()
    assert "Nothing within reach" in page
    nearest = re.search(r'<p class="nearest">(.*?)</p>', page, re.S).group(1)
    assert "远处驿站" in nearest and "6.0 km away" in nearest
    # 6 km on foot at 4.5 km/h with the 1.35 detour: about 108 minutes.
    assert "about 108 min" in nearest
    answer = Api().get("/riders/reach", query).json()
    assert answer["count"] == 0
    assert answer["nearest"]["station"]["name"] == "远处驿站"
    assert answer["nearest"]["distance_m"] == pytest.approx(6000, abs=20)  # east_of is flat
    assert answer["nearest"]["minutes"] == 108
    within = Api().get("/riders/reach", {**query, "minutes": 60, "mode": "ebike"}).json()
    assert within["count"] == 1 and within["nearest"] is None


def test_nearest_agrees_with_looking_at_every_station(district):
    rng = random.Random(7)
    for index in range(40):
        lat, lng = 30.2 + rng.random() * 0.3, 119.8 + rng.random() * 0.4
        station(district.cangqian, lat=lat, lng=lng, name=f"站{index}", amenities=["water"])
    station(district.cangqian, lat=31.9, lng=118.8, name="南京的站")  # beyond 80 km
    every = search.station_rows()
    for _round in range(25):
        lat, lng = 29.9 + rng.random() * 2.2, 119.0 + rng.random() * 1.5
        query = search.Query(lat, lng, 10, travel.EBIKE)
        found = search.nearest(query)
        best = min(every, key=lambda row: (geo.distance_m(lat, lng, row[1], row[2]), row[0]))
        assert found.station_id == best[0]
        assert found.distance_m == pytest.approx(geo.distance_m(lat, lng, best[1], best[2]))
    # With an amenity nobody has, there is no nearest station.
    query = search.Query(30.3, 120.0, 10, travel.EBIKE, ("microwave",))
    assert search.nearest(query) is None


def _coverage(district):
    admin = factories.staff(StaffRole.Role.DISTRICT_ADMIN, district.district)
    station(district.cangqian, lat=CANGQIAN[0], lng=CANGQIAN[1])
    far = east_of(CANGQIAN, 9000)
    demand = [
        {"lat": CANGQIAN[0], "lng": CANGQIAN[1], "count": 30},
        {"lat": far[0], "lng": far[1], "count": 10},
    ]
    return admin, far, demand


def test_coverage_sites_are_named_by_the_nearest_center_and_open_in_amap(district):
    admin, far, demand = _coverage(district)
    answer = Api(admin, base="/riders/staff").post(
        "/coverage",
        {"region": district.cangqian.pk, "minutes": 10, "k": 1, "demand": demand},
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["engine_label"].startswith("Estimated from the straight-line distance")
    (site,) = body["sites"]
    # The nearest center stands in a street (not a village): it is named by its own name.
    centers = [district.xianlin_center, district.cangqian_center]

    def away(c):
        return geo.distance_m(site["lat"], site["lng"], float(c.latitude), float(c.longitude))

    center = min(centers, key=lambda c: (away(c), c.pk))
    assert site["label"] == f"Near {center.name_en} ({away(center) / 1000:.1f} km)"
    link = urlparse(site["amap_url"])
    assert (link.netloc, link.path) == ("uri.amap.com", "/marker")
    position = parse_qs(link.query)["position"][0]
    g_lat, g_lng = geo.wgs84_to_gcj02(site["lat"], site["lng"])
    assert position == f"{g_lng:.6f},{g_lat:.6f}"  # GCJ-02, longitude first
    assert parse_qs(link.query)["name"] == [site["label"]]


def test_a_site_near_a_village_center_is_named_by_the_village(district):
    admin, far, demand = _coverage(district)
    factories.CenterFactory(
        region=district.yunhui,
        slug="yunhui",
        name="云会村党群服务站",
        latitude=far[0],
        longitude=far[1] + 0.002,
    )
    body = (
        Api(admin, base="/riders/staff")
        .post(
            "/coverage", {"region": district.cangqian.pk, "minutes": 10, "k": 2, "demand": demand}
        )
        .json()
    )
    labels = [s["label"] for s in body["sites"]]
    # The village's center has no station: it is a candidate under its own name, and wins.
    assert labels[0] == "云会村党群服务站"
    # A cell's middle is named by the village the nearest center stands in.
    from dangqun.riders import coverage

    with translation.override("zh-hans"):
        label = coverage.near_label(far[0], far[1], coverage._landmarks())
    assert label.startswith("云会村附近（0.") and label.endswith(" 公里）")
    with translation.override("en"):
        label = coverage.near_label(far[0], far[1], coverage._landmarks())
    assert label.startswith("Near Yunhui Village (0.")


def test_coverage_page_ids_are_unique_and_sites_have_amap_links(district):
    admin, far, demand = _coverage(district)
    client = page_client(admin, language="zh-hans")
    page = client.get(
        "/staff/riders/coverage/",
        {"region": district.cangqian.pk, "minutes": 10, "mode": "ebike", "k": 1},
    ).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    assert 'for="import_region"' in page and 'id="import_region"' in page
    assert 'role="region" aria-label="需求网格和建议站点地图"' in page
    assert "按直线距离、绕行系数和通常速度估算" in page
    assert "marker-icon.png" not in page


def test_excel_names_the_travel_engine_in_words_and_links_to_amap(district):
    admin, far, demand = _coverage(district)
    client = page_client(admin)
    upload = io.StringIO()
    upload.write("lat,lng,count\n")
    for point in demand:
        upload.write(f"{point['lat']},{point['lng']},{point['count']}\n")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/staff/riders/coverage/demand/",
        {
            "region": district.cangqian.pk,
            "name": "订单",
            "coord": "wgs84",
            "file": SimpleUploadedFile("d.csv", upload.getvalue().encode(), "text/csv"),
        },
    )
    query = response["Location"].split("?", 1)[1]
    book = load_workbook(io.BytesIO(client.get(f"/staff/riders/coverage.xlsx?{query}").content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Travel times"] == (
        "Estimated from the straight-line distance, a detour factor and a usual speed"
    )
    rows = list(book["Suggested sites"].iter_rows(values_only=True))
    assert rows[0][-1] == "Open in Amap"
    assert rows[1][-1].startswith("https://uri.amap.com/marker?position=")


def test_rider_names_a_village_as_the_work_area(person, district):
    with pytest.raises(ValidationFailed) as caught:  # location data needs consent
        services.rider_register(
            person=person, trade="courier", platform="", work_region=district.yunhui.pk
        )
    assert caught.value.field == "location_consent"
    with pytest.raises(ValidationFailed) as caught:  # a street is not a village
        services.rider_register(
            person=person,
            trade="courier",
            platform="",
            location_consent=True,
            work_region=district.cangqian.pk,
        )
    assert caught.value.field == "work_region"
    client = page_client(person, language="zh-hans")
    home = client.get("/riders/").content.decode()
    assert '<optgroup label="仓前街道">' in home and ">云会村</option>" in home
    response = client.post(
        "/riders/register/",
        {
            "trade": "courier",
            "platform": "",
            "coord": "wgs84",
            "location_consent": "on",
            "work_region": district.yunhui.pk,
        },
    )
    assert response.status_code == 302
    profile = RiderProfile.objects.get(person=person)
    assert (profile.work_cell, profile.work_region) == ("", district.yunhui)
    assert "村（社区）：云会村。" in client.get("/riders/").content.decode()


def test_rider_api_takes_and_gives_the_village(person, district):
    api = Api(person)
    answer = api.put(
        "/riders/me",
        {"trade": "courier", "location_consent": True, "work_region": district.yunhui.pk},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["work_region"] == district.yunhui.pk
    assert answer.json()["work_region_name"] == "云会村"
    unknown = api.put(
        "/riders/me", {"trade": "courier", "location_consent": True, "work_region": 999999}
    )
    assert unknown.status_code == 400 and unknown.json()["field"] == "work_region"
