"""The maps on a phone (390 px), with every request outside the test server refused (no
tiles load, as on many networks in China): the riders' map in Chinese (open and closed
stations told apart in words and looks, Leaflet's controls in Chinese, a tap searches from
there, the nearest station when nothing is in reach); a resident's request whose place is a
tap on a GCJ-02 map, stored as GPS; a rider's work area in large text (44 px zoom buttons);
the coverage page in English with every file found and the sites named and linked."""

import re

import pytest
from playwright.sync_api import expect

from dangqun.core import geo
from dangqun.people.models import StaffRole
from dangqun.riders import services as riders
from tests import factories
from tests.browser.network import offline
from tests.riders.helpers import CANGQIAN, east_of, station

pytestmark = pytest.mark.browser

RESIDENT, STAFF, PASSWORD = "13912340001", "13912340002", "maps-Pa55word-2026"
SHOTS = "/tmp/shots-d"


@pytest.fixture
def world(browser_db):
    tree = factories.district_tree()
    near = east_of(CANGQIAN, 400)
    station(tree.cangqian, lat=CANGQIAN[0], lng=CANGQIAN[1], name="暖蜂驿站·仓前")
    station(tree.cangqian, lat=near[0], lng=near[1], name="暖蜂驿站·夜里关", week=[""] * 7)
    far = east_of(CANGQIAN, 8000)
    station(tree.cangqian, lat=far[0], lng=far[1], name="暖蜂驿站·远处")
    factories.service_item(
        tree.cangqian_center,
        code="canteen-meal",
        name="老年食堂助餐登记",
        name_en="Canteen meals",
        kind="convenience",
        unit="老年食堂",
        location_required=True,
    )
    resident = factories.PersonFactory(name="王小明", mobile=RESIDENT, home_region=tree.yunhui)
    resident.set_password(PASSWORD)
    resident.save()
    admin = factories.staff(StaffRole.Role.DISTRICT_ADMIN, tree.district, mobile=STAFF)
    admin.set_password(PASSWORD)
    admin.save()
    # Riders. work areas 3.5 km east: demand beyond every station within 10 minutes.
    for index in range(3):
        rider = factories.PersonFactory(mobile=f"1391234100{index}")
        point = east_of(CANGQIAN, 4000 + 100 * index)
        riders.rider_register(
            person=rider,
            trade="courier",
            platform="",
            location_consent=True,
            work_lat=point[0],
            work_lng=point[1],
        )
    return tree


MAP_POINT = """([x, y]) => {
  const p = DangqunMap.maps[0].containerPointToLatLng([x, y]);
  return [p.lat, p.lng];
}"""
MARKER = """() => {
  let found = null;
  DangqunMap.maps[0].eachLayer((layer) => {
    if (layer instanceof L.CircleMarker) { found = [layer.getLatLng().lat, layer.getLatLng().lng]; }
  });
  return found;
}"""


def sign_in(page, mobile):
    page.goto("/accounts/sign-in/password/")
    page.locator("input[name=mobile]").fill(mobile)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button").click()
    expect(page.locator("form[action='/accounts/sign-out/']")).to_be_attached()


def watch(page):
    """Script errors and failed responses of the page, as they happen."""
    seen = {"errors": [], "failed": []}
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on(
        "response",
        lambda r: seen["failed"].append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    return seen


def test_riders_map_in_chinese(world, new_context, live_server):
    context = new_context(locale="zh-CN", width=390, height=844)
    outside = offline(context, live_server)
    page = context.new_page()
    seen = watch(page)
    page.goto("/riders/map/")
    expect(page.get_by_role("region", name="驿站地图")).to_be_visible()
    # Open and closed look different and say so in words, on the map and in the list.
    expect(page.locator("#map path.station-open")).to_have_count(2)
    expect(page.locator("#map path.station-closed")).to_have_count(1)
    expect(page.locator("#map path.station-closed")).to_have_attribute("stroke-dasharray", "3 3")
    expect(page.locator("#map-legend")).to_contain_text("非开放时间")
    closed = page.locator(".station-card", has_text="暖蜂驿站·夜里关")
    expect(closed.locator(".badge.closed")).to_have_text("非开放时间")
    # Leaflet's own words in Chinese.
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "放大")
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "缩小")
    expect(
        page.locator(".leaflet-control-attribution a[href='https://leafletjs.com']")
    ).to_have_attribute("title", "一个交互式地图的 JavaScript 库")
    # No tiles (refused): the map says so, and the list is all there.
    expect(page.get_by_text("地图图片没能加载")).to_be_visible()
    expect(page.locator(".station-card")).to_have_count(3)
    zoom = page.locator(".leaflet-control-zoom-in").bounding_box()
    assert zoom["width"] >= 24 and zoom["height"] >= 24
    page.screenshot(path=f"{SHOTS}/riders-map-zh.png", full_page=True)

    # A tap on the map offers to search from there.
    page.locator("#map").scroll_into_view_if_needed()
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + 60, box["y"] + box["height"] - 40)
    page.get_by_role("button", name="从这里查找").click()
    expect(page).to_have_url(re.compile(r"lat=\d+\.\d{6}&lng=\d+\.\d{6}"))
    expect(page.get_by_role("heading", level=2, name=re.compile("分钟"))).to_be_visible()

    # Nothing within reach: how far the nearest station is.
    page.goto(f"/riders/map/?lat=30.2000&lng={CANGQIAN[1]}&minutes=5&mode=walk")
    nearest = page.locator("#nothing-in-reach .nearest")
    expect(nearest).to_contain_text("最近的驿站")
    expect(nearest).to_contain_text("公里外")
    expect(nearest.get_by_role("link")).to_have_text("暖蜂驿站·仓前")
    page.screenshot(path=f"{SHOTS}/riders-nearest-zh.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert seen["errors"] == []
    assert all("openstreetmap" in url for url in outside), outside


def test_a_request_placed_by_a_tap_on_gcj02_tiles_is_stored_as_gps(
    world, new_context, live_server, settings
):
    settings.MAP_TILES_URL = (
        "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}"
    )
    settings.MAP_TILES_CRS = "gcj02"
    settings.MAP_TILES_SUBDOMAINS = "1234"
    context = new_context(locale="en-US", width=390, height=844)
    offline(context, live_server)
    page = context.new_page()
    seen = watch(page)
    sign_in(page, RESIDENT)
    page.goto("/intake/centers/cangqian/canteen-meal/")
    expect(page.get_by_role("group", name="Where?")).to_be_visible()
    picker = page.get_by_role("region", name="Map for choosing the place")
    expect(picker).to_be_visible()
    # The browser's conversion is core/geo.py's.
    shifted = page.evaluate("DangqunMap.wgs84ToGcj02(30.2935, 119.9898)")
    assert shifted == pytest.approx(list(geo.wgs84_to_gcj02(30.2935, 119.9898)), abs=1e-9)
    back = page.evaluate("DangqunMap.gcj02ToWgs84(30.2935, 119.9898)")
    assert back == pytest.approx(list(geo.gcj02_to_wgs84(30.2935, 119.9898)), abs=1e-9)

    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    x, y = 150, 100
    aimed = page.evaluate(MAP_POINT, [x, y])
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page.locator("[data-map-status]")).to_contain_text("Point chosen")
    # The marker sits where the finger was (on the tiles, in GCJ-02) ...
    tapped = page.evaluate(MARKER)
    assert tapped == pytest.approx(aimed, abs=0.001)  # within a couple of pixels
    page.get_by_text("Type the coordinates (GPS)").click()
    lat = float(page.get_by_label("Latitude (GPS)").input_value())
    lng = float(page.get_by_label("Longitude (GPS)").input_value())
    # ... and the form got the same place in GPS.
    want = geo.gcj02_to_wgs84(*tapped)
    assert (lat, lng) == pytest.approx(want, abs=2e-6)
    assert abs(lat - tapped[0]) + abs(lng - tapped[1]) > 0.002  # the shift is real (~500 m)
    page.screenshot(path=f"{SHOTS}/intake-place-en.png", full_page=True)
    page.get_by_role("button", name="Submit the request").click()
    expect(page).to_have_url(re.compile(r"/intake/mine/"))
    expect(page.get_by_text(f"{lat:.6f}, {lng:.6f}")).to_be_visible()
    assert seen["errors"] == []


def test_a_village_alone_is_a_place_in_chinese(world, new_context, live_server):
    context = new_context(locale="zh-CN", width=390, height=844)
    offline(context, live_server)
    page = context.new_page()
    sign_in(page, RESIDENT)
    page.goto("/intake/centers/cangqian/canteen-meal/")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".field.has-error")).to_contain_text("此项服务需要地点")
    page.get_by_label("村（社区）").select_option(label="云会村")
    page.get_by_role("button", name="提交申请").click()
    expect(page).to_have_url(re.compile(r"/intake/mine/"))
    expect(page.locator("dd", has_text="云会村")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_rider_sets_the_work_area_by_a_tap_in_large_text(world, new_context, live_server):
    context = new_context(locale="zh-CN", width=390, height=844)
    context.add_cookies([{"name": "dq_text", "value": "large", "url": live_server.url}])
    offline(context, live_server)
    page = context.new_page()
    seen = watch(page)
    sign_in(page, RESIDENT)
    page.goto("/riders/")
    expect(page.locator("html")).to_have_class(re.compile("text-large"))
    picker = page.get_by_role("region", name="选择位置的地图")
    picker.scroll_into_view_if_needed()
    for control in (".leaflet-control-zoom-in", ".leaflet-control-zoom-out"):
        size = page.locator(f"#register {control}").bounding_box()
        assert size["width"] >= 44 and size["height"] >= 44, size
    expect(page.locator("#register .leaflet-control-zoom-in")).to_have_attribute("title", "放大")
    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#register [data-map-status]")).to_contain_text("已选位置")
    expect(page.get_by_label("坐标来源")).to_have_value("wgs84")
    page.screenshot(path=f"{SHOTS}/rider-work-area-zh-large.png", full_page=True)
    page.get_by_label("从事行业").select_option(index=1)
    page.locator("input[name=location_consent]").check()
    page.locator("#register button.wide").click()
    expect(
        page.get_by_text("常用工作区域已保存", exact=False).or_(page.get_by_text("0.7"))
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert seen["errors"] == []


def test_coverage_page_finds_every_file_and_names_its_sites(world, new_context, live_server):
    context = new_context(locale="en-US", width=390, height=844)
    offline(context, live_server)
    page = context.new_page()
    seen = watch(page)
    sign_in(page, STAFF)
    page.goto(
        f"/staff/riders/coverage/?region={world.cangqian.pk}&minutes=10&mode=ebike&k=2"
        "&use_riders=on"
    )
    expect(
        page.get_by_role("region", name="Map of the demand cells and the suggested sites")
    ).to_be_visible()
    sites = page.locator("#sites tbody tr")
    expect(sites.first).to_contain_text("Near ")
    count = sites.count()
    expect(page.locator(".site-marker")).to_have_count(count)
    link = sites.first.get_by_role("link", name="Open in Amap")
    expect(link).to_have_attribute(
        "href", re.compile(r"^https://uri\.amap\.com/marker\?position=1")
    )
    expect(page.locator("#coverage-engine")).to_contain_text("straight-line distance")
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Zoom in")
    ids = page.evaluate("Array.from(document.querySelectorAll('[id]'), e => e.id)")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    page.locator(".site-marker").first.click()
    expect(page.locator(".leaflet-popup").get_by_role("link", name="Open in Amap")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/coverage-en.png", full_page=True)
    # Only the refused tiles failed; Leaflet's marker images are not asked for at all.
    assert [f for f in seen["failed"] if "marker-icon" in f or "/static/" in f] == []
    assert seen["errors"] == []
