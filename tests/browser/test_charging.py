"""The charging room on a phone (390 px): a rider opens the station's page, sees the free
slots, signs in with an SMS code, reserves one and sees it held; a device report then shows
in the live block when htmx refreshes it."""

import re

import pytest
from playwright.sync_api import expect

from dangqun.charging.devices import send_report
from tests import factories
from tests.charging.helpers import room_with_cabinet

pytestmark = pytest.mark.browser

MOBILE = "13912345671"


@pytest.fixture
def station_with_room(browser_db):
    tree = factories.district_tree()
    room, cabinet, secret = room_with_cabinet(tree.cangqian, code="cq-b1", charging=3, swap=1)
    factories.PersonFactory(name="骑手小王", mobile=MOBILE)
    return room, cabinet, secret


def test_a_rider_reserves_a_slot_on_a_phone(station_with_room, new_context, sms_codes, live_server):
    room, cabinet, secret = station_with_room
    station_page = f"/riders/stations/{room.station.pk}/"
    page = new_context(locale="en-US", width=390, height=844).new_page()
    page.goto(station_page)

    live = page.locator(f"#room-{room.public_id}")
    expect(live.locator(".charging-summary")).to_contain_text("4 slots free")
    expect(live.locator(".slot.slot-free")).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    live.get_by_role("link", name="Sign in to reserve a slot").click()
    page.get_by_label("Mobile number").fill(MOBILE)
    page.get_by_role("button", name="Send code").click()
    page.get_by_label("Code from the SMS").fill(sms_codes(MOBILE))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(station_page) + "$"))

    first = live.locator('[data-slot="cq-b1-1"]')
    first.get_by_role("button", name="Reserve").click()
    expect(page).to_have_url(re.compile(re.escape(station_page) + "$"))
    expect(page.locator(".msg.success")).to_contain_text("Slot cq-b1-1 is held for you until")
    expect(live.locator(".charging-hold")).to_contain_text("You hold slot cq-b1-1 until")
    expect(first.locator(".slot-state")).to_have_text("Held for you")
    expect(live.get_by_role("button", name="Reserve")).to_have_count(0)
    expect(live.locator(".charging-summary")).to_contain_text("3 slots free")

    # The cabinet reports slot 2 charging; the live block's next refresh shows it.
    status, _answer = send_report(
        live_server.url, cabinet.code, secret, {"slots": [{"number": 2, "state": "charging"}]}
    )
    assert status == 200
    page.evaluate(
        "el => htmx.ajax('GET', el.getAttribute('hx-get'), {target: el, swap: 'outerHTML'})",
        live.element_handle(),
    )
    expect(live.locator('[data-slot="cq-b1-2"] .slot-state')).to_have_text("Charging")
    expect(live.locator(".charging-summary")).to_contain_text("2 slots free")
    expect(live.locator(".charging-hold")).to_be_visible()

    # Cancel: the slot is free again.
    live.get_by_role("button", name="Cancel my reservation").click()
    expect(page.locator(".msg.success")).to_contain_text("cancelled")
    expect(live.locator(".charging-summary")).to_contain_text("3 slots free")
