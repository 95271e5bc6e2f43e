"""The charging room on a phone (390 px): a rider opens the station's page, sees the slots
named as people name them, signs in with an SMS code, reserves one and sees it held, also
on "my bookings" and the riders' page; device reports show in the live block when its
script refreshes it, without ever moving keyboard focus or replacing what is focused; in
large text every text is at least 18 px and every target at least 44 x 44 px."""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dangqun.charging.devices import send_report
from tests import factories
from tests.charging.helpers import room_with_cabinet

pytestmark = pytest.mark.browser

MOBILE = "13912345671"
# Every text of the block at least this big in large text, every target at least this.
LEAST_TEXT_PX, LEAST_TARGET_PX = 18, 44


@pytest.fixture
def station_with_room(browser_db, settings):
    # The live block refreshes every second here (15 s by default).
    settings.CHARGING = {**settings.CHARGING, "POLL_SECONDS": 1}
    tree = factories.district_tree()
    room, cabinet, secret = room_with_cabinet(tree.cangqian, code="cq-b1", charging=3, swap=1)
    factories.PersonFactory(name="骑手小王", mobile=MOBILE)
    return room, cabinet, secret


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go (DANGQUN_SHOTS to keep them for a look)."""
    folder = Path(os.environ.get("DANGQUN_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in(page, sms_codes, *, english: bool) -> None:
    page.get_by_label("Mobile number" if english else "手机号").fill(MOBILE)
    page.get_by_role("button", name="Send code" if english else "获取验证码").click()
    page.get_by_label("Code from the SMS" if english else "短信验证码").fill(sms_codes(MOBILE))
    page.get_by_role("button", name="Sign in" if english else "登录", exact=True).click()


def report(live_server, cabinet, secret, slots: dict[int, str]) -> None:
    rows = [{"number": n, "state": state} for n, state in slots.items()]
    status, answer = send_report(live_server.url, cabinet.code, secret, {"slots": rows})
    assert status == 200, answer


def turns_pass(page, live, count: int) -> None:
    """Wait until the block's script has had `count` more turns (refreshed or waited)."""
    start = live.evaluate("el => +(el.dataset.liveTurns || 0)")
    page.wait_for_function(
        "([el, n]) => +(el.dataset.liveTurns || 0) >= n", arg=[live.element_handle(), start + count]
    )


def test_a_rider_reserves_a_slot_on_a_phone(
    station_with_room, new_context, sms_codes, live_server, shots
):
    room, cabinet, secret = station_with_room
    station_page = f"/riders/stations/{room.station.pk}/"
    page = new_context(locale="en-US", width=390, height=844).new_page()
    page.goto(station_page)

    live = page.locator(f"#room-{room.public_id}")
    expect(live.locator(".charging-summary")).to_contain_text("4 slots free")
    expect(live.locator(".slot.slot-free")).to_have_count(4)
    expect(live.locator(".slot-name")).to_have_text(["Slot 1", "Slot 2", "Slot 3", "Slot 4"])
    expect(live).not_to_contain_text("cq-b1")  # the device's code is for staff
    expect(page.get_by_role("region", name=re.compile("Charging Room|充换电间"))).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    live.get_by_role("link", name="Sign in to reserve a slot").click()
    sign_in(page, sms_codes, english=True)
    expect(page).to_have_url(re.compile(re.escape(station_page) + "$"))

    first = live.locator('[data-slot="1"]')
    first.get_by_role("button", name="Reserve Slot 1").click()
    expect(page).to_have_url(re.compile(re.escape(station_page) + "$"))
    expect(page.locator(".msg.success")).to_contain_text("Slot 1 is held for you until")
    expect(live.locator(".charging-hold")).to_contain_text("You hold Slot 1 until")
    expect(first.locator(".slot-state")).to_have_text("Held for you")
    expect(live.get_by_role("button", name=re.compile("^Reserve"))).to_have_count(0)
    expect(live.locator(".charging-summary")).to_contain_text("3 slots free")
    page.screenshot(path=shots / "charging-station-en.png", full_page=True)

    # The cabinet reports slot 2 charging; the block's next refresh shows it, and says so.
    report(live_server, cabinet, secret, {2: "charging"})
    expect(live.locator('[data-slot="2"] .slot-state')).to_have_text("Charging")
    expect(live.locator(".charging-summary")).to_contain_text("2 slots free")
    expect(live.locator("[data-live-announce]")).to_have_text(
        "Slot 2 Charging; 2 slots free of 4 slots"
    )
    expect(live.locator(".charging-hold")).to_be_visible()

    # The hold is on "my bookings" too, and can be cancelled there.
    page.goto(reverse("bookings:mine"))
    held = page.locator(".charging-my-holds")
    expect(held.get_by_role("heading", name="My charging slot")).to_be_visible()
    expect(held).to_contain_text("Slot 1")
    expect(held).to_contain_text(room.name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=shots / "charging-my-bookings-en.png", full_page=True)
    held.get_by_role("button", name="Cancel my reservation").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("bookings:mine")) + "$"))
    expect(page.locator(".msg.success")).to_contain_text("cancelled")
    expect(page.locator(".charging-my-holds")).to_have_count(0)


def test_a_refresh_never_moves_focus(station_with_room, new_context, sms_codes, live_server):
    room, cabinet, secret = station_with_room
    page = new_context(locale="zh-CN", width=390, height=844).new_page()
    page.goto(reverse("charging:room", args=[room.public_id]))
    page.locator(f"#room-{room.public_id} [data-live-part=sign-in] a").click()
    sign_in(page, sms_codes, english=False)
    live = page.locator(f"#room-{room.public_id}")
    expect(live.locator(".slot-name")).to_have_text(
        ["1号充电位", "2号充电位", "3号充电位", "4号换电位"]
    )

    # Keyboard focus on slot 2's button; the cabinet then reports slot 2 charging, which
    # would take that button away. While focus is inside, the block waits: turns pass and
    # focus stays on the same button, still in the page.
    button = live.locator('[data-slot="2"] button')
    expect(button).to_have_accessible_name(re.compile("2号充电位$"))
    button.focus()
    report(live_server, cabinet, secret, {2: "charging"})
    turns_pass(page, live, 3)
    assert button.evaluate("el => el === document.activeElement && el.isConnected")
    expect(live.locator('[data-slot="2"]')).to_have_class(re.compile(r"\bslot-free\b"))

    # Focus leaves the block (to the skip link, outside it): the refresh comes, changes
    # only what changed, keeps the rest (slot 3's button is the same element) and focus
    # stays where it is.
    live.locator('[data-slot="3"] button').evaluate("el => { el.keptSince = 'before'; }")
    page.locator("a.skip").focus()
    expect(live.locator('[data-slot="2"]')).to_have_class(re.compile(r"\bslot-charging\b"))
    expect(live.locator("[data-live-announce]")).to_contain_text("2号充电位")
    assert live.locator('[data-slot="3"] button').evaluate("el => el.keptSince") == "before"
    assert page.evaluate("document.activeElement.classList.contains('skip')")

    # A pointer resting inside the block holds it still too.
    live.locator(".charging-summary").hover()
    report(live_server, cabinet, secret, {3: "charging"})
    turns_pass(page, live, 3)
    expect(live.locator('[data-slot="3"]')).to_have_class(re.compile(r"\bslot-free\b"))
    page.mouse.move(5, 5)
    page.locator("a.skip").focus()
    expect(live.locator('[data-slot="3"]')).to_have_class(re.compile(r"\bslot-charging\b"))

    # The hold shows on the riders' page as well.
    live.locator('[data-slot="1"] button').click()
    page.goto(reverse("riders:home"))
    expect(page.locator(".charging-my-holds")).to_contain_text("1号充电位")


def _too_small(page, selector: str) -> dict:
    """Texts under LEAST_TEXT_PX and targets under LEAST_TARGET_PX in what the selector finds
    (shown elements only; the visually hidden words for screen readers excepted)."""
    return page.evaluate(
        """([selector, leastText, leastTarget]) => {
          const small = [], tiny = [];
          for (const root of document.querySelectorAll(selector)) {
            for (const el of [root, ...root.querySelectorAll("*")]) {
              if (el.closest(".visually-hidden") || !el.getClientRects().length) continue;
              const style = getComputedStyle(el);
              const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
              if (text && parseFloat(style.fontSize) < leastText)
                small.push(el.outerHTML.slice(0, 60) + " " + style.fontSize);
              if (el.matches("a, button, select, textarea, input:not([type=hidden])")) {
                const box = el.getBoundingClientRect();
                if (box.width < leastTarget || box.height < leastTarget)
                  tiny.push(el.outerHTML.slice(0, 60) + ` ${box.width}x${box.height}`);
              }
            }
          }
          return {small, tiny};
        }""",
        [selector, LEAST_TEXT_PX, LEAST_TARGET_PX],
    )


@pytest.mark.parametrize("locale,english", [("zh-CN", False), ("en-US", True)])
def test_large_text_on_the_charging_room(
    station_with_room, new_context, sms_codes, live_server, shots, locale, english
):
    room, cabinet, secret = station_with_room
    report(live_server, cabinet, secret, {3: "fault"})
    context = new_context(locale=locale, width=390, height=844)
    context.add_cookies([{"name": "dq_text", "value": "large", "url": live_server.url}])
    page = context.new_page()
    lang = "en" if english else "zh"
    station_page = f"/riders/stations/{room.station.pk}/"

    page.goto(station_page)
    assert _too_small(page, ".charging") == {"small": [], "tiny": []}
    page.locator(".charging-room a.button").click()  # sign in to reserve
    sign_in(page, sms_codes, english=english)
    live = page.locator(f"#room-{room.public_id}")
    assert _too_small(page, ".charging") == {"small": [], "tiny": []}
    page.screenshot(path=shots / f"charging-station-large-{lang}.png", full_page=True)
    live.locator('[data-slot="2"] button').click()
    expect(live.locator(".charging-hold")).to_be_visible()
    assert _too_small(page, ".charging") == {"small": [], "tiny": []}
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(reverse("charging:room", args=[room.public_id]))
    assert _too_small(page, ".charging") == {"small": [], "tiny": []}
    page.screenshot(path=shots / f"charging-room-large-{lang}.png", full_page=True)
    page.goto(reverse("charging:fault", args=[room.public_id]))
    assert _too_small(page, ".charging") == {"small": [], "tiny": []}
    page.goto(reverse("bookings:mine"))
    assert _too_small(page, ".charging-my-holds") == {"small": [], "tiny": []}
    page.screenshot(path=shots / f"charging-my-bookings-large-{lang}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
