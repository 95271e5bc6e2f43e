"""Keyboard only, on a phone-sized screen: Tab to move, type, Space to tick, Enter to press.
Sign in with an SMS code and sign up for an activity; book a free slot, typing the time as
digits and coming back to the field a refused form points at; submit a service request.
Every element reached shows a focus ring."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests import factories

pytestmark = pytest.mark.browser

MOBILE = "13912345611"


def tab_to(page: Page, selector: str, *, most: int = 60) -> None:
    """Press Tab until the focused element matches the selector; on the way, every stop
    shows a focus ring (an outline at least 2 px wide)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """s => { const el = document.activeElement, st = getComputedStyle(el);
                // Focus inside a date field's own calendar button leaves the field itself
                // unfocused (that button has its ring in site.css).
                const inner = el.type === 'date' && !el.matches(':focus');
                return {hit: el.matches(s), ring: el === document.body || inner ||
                        (st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2),
                        what: el.outerHTML.slice(0, 80)}; }""",
            selector,
        )
        assert state["ring"], f"no focus ring on {state['what']}"
        if state["hit"]:
            return
    raise AssertionError(f"Tab never reached {selector}")


def press_enter(page: Page) -> None:
    """Enter on a link or a form's button: wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement;
            const ids = (el.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
            return {name: el.name || '', invalid: el.getAttribute('aria-invalid'),
                    described: ids.map(i => document.getElementById(i)?.innerText || '')
                                  .join(' ')}; }"""
    )


def signed_in(context, person, live_server) -> None:
    client = Client()
    client.force_login(person)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.fixture
def activity(browser_db):
    tree = factories.district_tree()
    factories.PersonFactory(name="王小明", mobile=MOBILE)
    return factories.activity(tree.xianlin_center, capacity=5, title="婴儿抚触操培训")


def test_sign_in_with_a_code_and_sign_up_by_keyboard(activity, new_context, sms_codes):
    page = new_context(locale="zh-CN", width=390, height=844).new_page()
    page.goto(f"/activities/{activity.public_id}/")

    tab_to(page, "main a[href*='/accounts/sign-in/']")
    press_enter(page)
    tab_to(page, "input[name=mobile]")
    page.keyboard.type(MOBILE)
    tab_to(page, "main form button")
    press_enter(page)

    expect(page.locator("input[name=code]")).to_be_visible()
    tab_to(page, "input[name=code]")
    page.keyboard.type(sms_codes(MOBILE))
    if page.locator("input[name=consent]").count():
        tab_to(page, "input[name=consent]")
        page.keyboard.press("Space")
        expect(page.locator("input[name=consent]")).to_be_checked()
    tab_to(page, "main form button")
    press_enter(page)

    expect(page).to_have_url(re.compile(rf"/activities/{activity.public_id}/$"))
    tab_to(page, "main form button.button")
    press_enter(page)
    expect(page).to_have_url(re.compile(r"/activities/registrations/[0-9a-f-]{36}/$"))
    expect(page.locator(".short-code")).to_be_visible()


@pytest.fixture
def free_space(browser_db):
    center = factories.CenterFactory(opening_hours=["24h"] * 7)
    space = factories.SpaceFactory(center=center, name="创客空间", capacity=30, is_bookable=True)
    resident = factories.PersonFactory(name="王小明", mobile=MOBILE)
    return space, resident


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_book_a_free_slot_by_keyboard(free_space, new_context, live_server, locale):
    space, resident = free_space
    context = new_context(locale=locale, width=390, height=844)
    signed_in(context, resident, live_server)
    page = context.new_page()
    day = timezone.localdate() + timedelta(days=2)
    page.goto(f"/bookings/spaces/{space.pk}/calendar/?view=day&date={day.isoformat()}")

    # The first free slot of the day, then the form it opens with its date and time.
    tab_to(page, "a[href*='/new/']")
    press_enter(page)
    expect(page.locator("input[name=start_time]")).to_have_value("00:00")
    expect(page.locator("input[name=start_time]")).to_have_attribute("inputmode", "numeric")

    # The end as four digits on a phone's number pad; no purpose yet: refused, and the focus
    # is on the purpose, which says what is wrong.
    tab_to(page, "input[name=end_time]")
    page.keyboard.type("0100")
    tab_to(page, "main form button.button")
    press_enter(page)
    expect(page.locator(".error-box[role=alert]")).to_be_visible()
    now = focused(page)
    assert now["name"] == "purpose" and now["invalid"] == "true", now
    assert now["described"], now
    expect(page.locator("input[name=end_time]")).to_have_value("01:00")

    page.keyboard.type("书法练习")
    press_enter(page)
    expect(page).to_have_url(re.compile(r"/bookings/[0-9a-f-]{36}/$"))
    expect(page.locator("main")).to_contain_text("00:00")
    expect(page.locator("main")).to_contain_text("01:00")


@pytest.fixture
def service(browser_db):
    tree = factories.district_tree()
    item = factories.service_item(
        tree.xianlin_center,
        name="老年食堂助餐登记",
        fields=[{"code": "age", "label": "年龄", "datatype": "number", "required": True}],
    )
    resident = factories.PersonFactory(name="王小明", mobile=MOBILE)
    return tree.xianlin_center, item, resident


def test_submit_a_service_request_by_keyboard(service, new_context, live_server):
    center, item, resident = service
    context = new_context(locale="zh-CN", width=390, height=844)
    signed_in(context, resident, live_server)
    page = context.new_page()
    page.goto(f"/intake/centers/{center.slug}/{item.code}/")

    # Nothing typed: refused, focus on the first question with its message.
    tab_to(page, "main form button.button")
    press_enter(page)
    expect(page.locator(".error-box[role=alert]")).to_be_visible()
    now = focused(page)
    assert now["invalid"] == "true" and now["described"], now

    page.keyboard.type("72")
    tab_to(page, "textarea[name=description]")
    page.keyboard.type("每天中午在食堂用餐")
    tab_to(page, "main form button.button")
    press_enter(page)
    expect(page).to_have_url(re.compile(r"/intake/mine/[^/]+/$"))
    expect(page.locator("h1")).to_contain_text("老年食堂助餐登记")
