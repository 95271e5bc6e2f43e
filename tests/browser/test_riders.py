"""A rider on a phone (390 px): opens the stations map, searches what can be reached within
10 minutes by e-bike from a given point, sees the list fastest first, opens a station. No
map tiles are fetched (every request outside the test server is refused): the page and its
list work without them."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.network import offline
from tests.riders.helpers import CANGQIAN, east_of, station

pytestmark = pytest.mark.browser


@pytest.fixture
def stations(browser_db):
    tree = factories.district_tree()
    near = east_of(CANGQIAN, 400)
    far = east_of(CANGQIAN, 2500)
    station(tree.cangqian, lat=far[0], lng=far[1], name="暖蜂驿站·远", amenities=["water"])
    station(tree.cangqian, lat=near[0], lng=near[1], name="暖蜂驿站·近", amenities=["microwave"])
    station(tree.cangqian, lat=30.45, lng=120.2, name="暖蜂驿站·太远")


def test_rider_finds_stations_within_ten_minutes(stations, new_context, live_server):
    context = new_context(locale="en-US", width=390, height=844)
    outside = offline(context, live_server)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/riders/map/")
    expect(page.get_by_role("heading", name="Stations for riders")).to_be_visible()
    expect(page.locator(".station-card")).to_have_count(3)
    # The geolocation button explains itself and asks nothing until tapped.
    expect(page.get_by_role("button", name="Use my position")).to_be_visible()

    page.get_by_text("Type the coordinates").click()  # folded: the position or a tap come first
    page.get_by_label("Latitude").fill(str(CANGQIAN[0]))
    page.get_by_label("Longitude").fill(str(CANGQIAN[1]))
    page.get_by_label("Within (minutes)").fill("10")
    page.get_by_label("How").select_option("ebike")
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", name="2 stations within 10 minutes")).to_be_visible()
    titles = page.locator(".station-card .card-title")
    expect(titles).to_have_text(["暖蜂驿站·近", "暖蜂驿站·远"])
    expect(page.locator(".station-card .badge.time").first).to_have_text("1 min")
    # The map is drawn (Leaflet from our static files) with the stations and the circle.
    expect(page.locator("#map.leaflet-container")).to_be_visible()
    assert errors == []
    expect(page.locator("#map path.leaflet-interactive")).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="暖蜂驿站·近").click()
    expect(page).to_have_url(re.compile(r"/riders/stations/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("暖蜂驿站·近")
    expect(page.get_by_text("Microwave")).to_be_visible()
    assert all("tile" in url or "openstreetmap" in url for url in outside), outside
