"""Booking in a real browser on a phone-sized screen (390 px), in Chinese and English:
the week calendar opens at today; a search carries its time and headcount into the form;
cancelling a booking, a weekly series or an activity sign-up asks on a page first; staff
at the counter book for the person they serve and come back to that person; the center's
day view says free and taken in words and symbols, and is readable in large text."""

import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import Page, expect

from dangqun.activities import services as activity_services
from dangqun.bookings import services as booking_services
from dangqun.bookings.models import Booking
from dangqun.people.models import StaffRole
from tests import factories

pytestmark = pytest.mark.browser

MOBILE = "13912345611"
STAFF_MOBILE = "13800008811"
STAFF_PASSWORD = "desk-Pa55word-2026"
PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/shots-c")


def shot(page: Page, name: str) -> None:
    """Keep a picture of the page to look at, and check nothing sticks out sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name


def ahead(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def at(days: int, hour: int):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def world(browser_db):
    """Xianlin open 08:00-20:00 every day, its maker space (20 people), a resident who
    lives in Xianlin, the center's desk staff with a password, and an activity."""
    tree = factories.district_tree()
    center = tree.xianlin_center
    center.opening_hours = ["08:00-20:00"] * 7
    center.save()
    space = factories.SpaceFactory(
        center=center, name="创客空间", name_en="Maker Space", capacity=20, is_bookable=True
    )
    resident = factories.PersonFactory(name="王小明", mobile=MOBILE, home_region=tree.xianlin)
    desk = factories.staff(
        StaffRole.Role.CENTER_STAFF, tree.xianlin, center, name="前台小李", mobile=STAFF_MOBILE
    )
    desk.set_password(STAFF_PASSWORD)
    desk.save()
    return {"tree": tree, "center": center, "space": space, "resident": resident, "desk": desk}


def sign_in_by_sms(page: Page, sms_codes, *, chinese: bool) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("手机号" if chinese else "Mobile number").fill(MOBILE)
    page.get_by_role("button", name="获取验证码" if chinese else "Send code").click()
    page.get_by_label("短信验证码" if chinese else "Code from the SMS").fill(sms_codes(MOBILE))
    page.get_by_role("button", name="登录" if chinese else "Sign in").click()
    # Signed in: the sign-out button is in the page (under "Me" on a phone).
    expect(page.locator("form[action$='/accounts/sign-out/']")).to_be_attached()


def sign_in_desk(page: Page) -> None:
    page.goto("/accounts/sign-in/password/")
    page.get_by_label("Mobile number").fill(STAFF_MOBILE)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("form[action$='/accounts/sign-out/']")).to_be_attached()


def test_search_book_and_cancel_after_asking_in_english(world, new_context, sms_codes):
    space = world["space"]
    page = new_context(locale="en-US", **PHONE).new_page()
    sign_in_by_sms(page, sms_codes, chinese=False)

    # The week calendar opens at today, not at Monday.
    page.goto(f"/bookings/spaces/{space.pk}/calendar/")
    first_day = page.locator("section.day-column h2").first
    expect(first_day).to_contain_text(f"{timezone.localdate():%m-%d}")
    expect(page.locator("section.day-column")).to_have_count(7)
    shot(page, "space-week-en")

    # A search for a time and a headcount, then "Book": the form has both.
    page.goto("/bookings/search/")
    page.get_by_label("Date").fill(ahead(3))
    page.get_by_label("From").fill("10:00")
    page.get_by_label("Until").fill("11:30")
    page.get_by_label("People").fill("6")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Maker Space")).to_be_visible()
    shot(page, "search-results-en")
    page.get_by_role("link", name="Book", exact=True).click()
    expect(page.get_by_label("Date")).to_have_value(ahead(3))
    expect(page.get_by_label("From")).to_have_value("10:00")
    expect(page.get_by_label("Until")).to_have_value("11:30")
    expect(page.get_by_label("How many people")).to_have_value("6")

    # More people than the space holds: told beside the field.
    page.get_by_label("What for").fill("Reading group")
    page.get_by_label("How many people").fill("21")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.locator("#id_headcount_error")).to_have_text(
        "How many people: at most 20 people fit this space."
    )
    shot(page, "over-capacity-en")
    page.get_by_label("How many people").fill("6")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_text("Your booking is saved.")).to_be_visible()

    # Cancelling asks on a page; going back keeps the booking.
    page.get_by_role("link", name="Cancel booking").click()
    expect(page.get_by_role("heading", name="Cancel this booking?")).to_be_visible()
    shot(page, "cancel-ask-en")
    page.get_by_role("link", name="No, keep the booking").click()
    expect(page.locator(".badge.confirmed")).to_have_text("Confirmed")
    page.get_by_role("link", name="Cancel booking").click()
    page.get_by_label("Reason (optional)").fill("Changed plans")
    page.get_by_role("button", name="Yes, cancel the booking").click()
    expect(page.get_by_text("The booking is cancelled.")).to_be_visible()
    expect(page.locator(".badge.cancelled")).to_have_text("Cancelled")
    shot(page, "cancelled-en")


@pytest.fixture
def weekly(world):
    """Four weeks of the resident's reading group, from three days ahead."""
    return booking_services.booking_series_create(
        actor=world["resident"],
        space=world["space"],
        start=at(3, 10),
        end=at(3, 11),
        purpose="读书会",
        headcount=5,
        weeks=4,
    )


def test_a_weekly_series_is_downloaded_and_cancelled_at_once_in_chinese(
    world, weekly, new_context, sms_codes
):
    page = new_context(locale="zh-CN", **PHONE).new_page()
    sign_in_by_sms(page, sms_codes, chinese=True)
    page.goto("/bookings/")
    page.get_by_role("link", name="创客空间").first.click()
    expect(page.get_by_role("heading", name="每周一次，共 4 周")).to_be_visible()
    shot(page, "series-detail-zh")

    # One file with every week.
    link = page.get_by_role("link", name="全部场次加入日历（.ics）")
    ics = page.request.get(link.get_attribute("href"))
    assert ics.ok and ics.headers["content-type"].startswith("text/calendar")
    assert ics.text().count("BEGIN:VEVENT") == 4

    # Cancel all weeks: asked first, on a page listing them.
    page.get_by_role("link", name="取消全部场次").click()
    expect(page.get_by_role("heading", name="取消全部场次吗？")).to_be_visible()
    expect(page.locator("main li")).to_have_count(4)
    shot(page, "series-cancel-ask-zh")
    page.get_by_role("button", name="确定取消全部场次").click()
    expect(page.get_by_text("已取消 4 周。")).to_be_visible()
    shot(page, "series-cancelled-zh")
    try:
        assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}
    finally:
        connections.close_all()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_cancelling_an_activity_sign_up_asks_first(world, new_context, sms_codes, locale):
    activity = factories.activity(world["center"], title="书法体验课")
    registration = activity_services.registration_create(actor=world["resident"], activity=activity)
    chinese = locale == "zh-CN"
    page = new_context(locale=locale, **PHONE).new_page()
    sign_in_by_sms(page, sms_codes, chinese=chinese)
    page.goto(f"/activities/registrations/{registration.public_id}/")
    page.get_by_role("button", name="取消报名" if chinese else "Cancel my sign-up").click()
    expect(page).to_have_url(re.compile(r"/cancel/\??$"))
    expect(
        page.get_by_role("heading", name="取消报名吗？" if chinese else "Cancel your sign-up?")
    ).to_be_visible()
    shot(page, f"activity-cancel-ask-{locale}")
    # Nothing is cancelled by the first tap.
    page.get_by_role("link", name="不取消，保留名额" if chinese else "No, keep my place").click()
    expect(page.locator(".badge.confirmed").first).to_be_visible()
    page.get_by_role("button", name="取消报名" if chinese else "Cancel my sign-up").click()
    page.get_by_role("button", name="确定取消报名" if chinese else "Yes, cancel my sign-up").click()
    expect(page.locator(".badge.cancelled").first).to_be_visible()


def test_from_the_counter_to_a_booking_and_back(world, new_context):
    person = world["resident"]
    page = new_context(locale="en-US", **PHONE).new_page()
    sign_in_desk(page)
    page.goto(f"/staff/intake/counter/{person.public_id}/")
    page.get_by_role("link", name="Find a free space elsewhere").click()
    expect(page.get_by_text("Booking for 王小明 (139****5611)")).to_be_visible()
    page.get_by_label("Date").fill(ahead(2))
    page.get_by_label("From").fill("14:00")
    page.get_by_label("Until").fill("15:00")
    page.get_by_label("People").fill("3")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Booking for 王小明 (139****5611)")).to_be_visible()
    shot(page, "counter-search-en")

    # Another time from the space's calendar: the person is still the one booked for.
    page.get_by_role("link", name="Other times").click()
    expect(page.get_by_text("Booking for 王小明 (139****5611)")).to_be_visible()
    page.get_by_role("link", name="free · book").nth(4).click()
    expect(page.get_by_text("Booking for 王小明 (139****5611)")).to_be_visible()
    expect(page.get_by_label("How many people")).to_have_value("3")
    start = page.get_by_label("From").input_value()
    hour, minute = map(int, start.split(":"))
    end = f"{hour + 1:02d}:{minute:02d}"
    page.get_by_label("Until").fill(end)
    page.get_by_label("What for").fill("Mediation")
    shot(page, "counter-form-en")
    page.get_by_role("button", name="Book", exact=True).click()

    # Back at the person's counter page, with the booking listed.
    expect(page).to_have_url(re.compile(rf"/staff/intake/counter/{person.public_id}/$"))
    expect(page.get_by_text("The booking for 王小明 is saved.")).to_be_visible()
    expect(page.get_by_text(f"{ahead(2)} {start}")).to_be_visible()
    shot(page, "counter-back-en")


def font_sizes_below(page: Page, smallest: float) -> list[str]:
    """The visible texts whose computed size is under `smallest` px."""
    return page.evaluate(
        """(smallest) => {
          const small = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode;
            const text = node.textContent.trim();
            const el = node.parentElement;
            if (!text || !el) continue;
            const box = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            if (box.width <= 1 || box.height <= 1 || style.visibility === 'hidden') continue;
            if (el.closest('.visually-hidden, .skip')) continue;
            const size = parseFloat(style.fontSize);
            if (size < smallest) small.push(`${text.slice(0, 30)} (${size}px)`);
          }
          return small;
        }""",
        smallest,
    )


def boxes(page: Page, selector: str) -> list[dict]:
    return [b for b in (e.bounding_box() for e in page.locator(selector).all()) if b]


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_center_day_view_in_words_symbols_and_large_text(world, new_context, locale):
    booking_services.booking_create(
        actor=world["resident"],
        space=world["space"],
        start=at(1, 10),
        end=at(1, 11),
        purpose="读书会",
        headcount=4,
    )
    chinese = locale == "zh-CN"
    context = new_context(locale=locale, **PHONE)
    page = context.new_page()
    url = f"/bookings/centers/xianlin/calendar/?date={ahead(1)}"
    page.goto(url)

    # The legend says what the marks mean; taken and free slots differ in mark and word.
    legend = page.locator("#slot-legend")
    expect(legend).to_contain_text("✓")
    expect(legend).to_contain_text("已约" if chinese else "taken")
    expect(legend).to_contain_text("空闲 · 预约" if chinese else "free · book")
    taken = page.locator(".center-day li.slot.taken").first
    expect(taken).to_contain_text("10:00")
    expect(taken).to_contain_text("✕")
    free = page.locator(".center-day li.slot.free a").first
    expect(free).to_contain_text("✓")
    expect(page.locator(".center-day li.slot.taken .visually-hidden").first).to_have_text(
        "已约" if chinese else "taken"
    )

    # Normal text: the pager's links are at least 24 × 24 px.
    for box in boxes(page, ".cal-pager a"):
        assert box["width"] >= 24 and box["height"] >= 24, box
    shot(page, f"center-day-{locale}")

    # Large text: every text at least 18 px, slot links and pager links at least 44 px.
    page.get_by_role("button", name="大字模式" if chinese else "Large text").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\btext-large\b"))
    assert font_sizes_below(page, 18) == []
    slot_links = boxes(page, ".center-day li.slot a")
    assert slot_links
    assert all(b["height"] >= 44 for b in slot_links), min(b["height"] for b in slot_links)
    for box in boxes(page, ".cal-pager a"):
        assert box["width"] >= 44 and box["height"] >= 44, box
    shot(page, f"center-day-large-{locale}")
