"""Staff add a catalogue item with extra fields in a real browser at phone width (390 px),
without any JavaScript of ours: a refusal shows beside the field, then it is saved; then
from the counter they sign the person at the desk up for an activity and open the booking
form for them."""

import os
import re

import pytest
from playwright.sync_api import expect

from dangqun.people.models import StaffRole
from tests import factories
from tests.browser.conftest import browser_db, new_context, sms_codes  # noqa: F401

pytestmark = pytest.mark.browser

STAFF_MOBILE = "13800007778"
STAFF_PASSWORD = "desk-Pa55word-2026"
PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("DANGQUN_SHOTS")  # a folder to keep screenshots in


@pytest.fixture
def desk(browser_db, district):  # noqa: F811
    tree = district
    tree.xianlin_center.opening_hours = ["08:00-20:00"] * 7
    tree.xianlin_center.save()
    factories.SpaceFactory(center=tree.xianlin_center, name="创客空间", is_bookable=True)
    factories.activity(tree.xianlin_center, title="智能手机课")
    person = factories.PersonFactory(name="王小明", mobile="13912345702", home_region=tree.minfeng)
    staff = factories.staff(
        StaffRole.Role.CENTER_STAFF, tree.xianlin, tree.xianlin_center, mobile=STAFF_MOBILE
    )
    staff.set_password(STAFF_PASSWORD)
    staff.save()
    return person


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_add_an_item_on_a_phone_then_serve_the_person_at_the_desk(desk, new_context):  # noqa: F811
    page = new_context(locale="en-US", **PHONE).new_page()
    page.goto("/accounts/sign-in/password/")
    page.get_by_label("Mobile number").fill(STAFF_MOBILE)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/staff/intake/catalogue/")
    page.get_by_role("link", name="Add a service item").click()
    expect(page).to_have_url(re.compile(r"/staff/intake/catalogue/new/$"))
    page.locator("#id_owner").select_option("center:xianlin")
    page.locator("#id_kind").select_option("convenience")
    page.locator("#id_name").fill("托育报名")
    page.locator("#id_unit").fill("林下小芽托育中心")
    page.locator("#id_materials").fill("户口本")
    page.locator("#id_fields-0-label").fill("孩子月龄")
    page.locator("#id_fields-0-datatype").select_option("number")
    page.locator("#id_fields-0-required").check()
    page.locator("#id_fields-1-label").fill("时段")
    page.locator("#id_fields-1-datatype").select_option("choice")
    page.get_by_role("button", name="Add to the catalogue").click()
    expect(page.locator("#id_fields-1-choices_error")).to_be_visible()  # no options given
    shot(page, "item-form-error")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide at 390 px"
    page.locator("#id_fields-1-choices").fill("am = 上午\npm = 下午")
    page.get_by_role("button", name="Add to the catalogue").click()
    expect(page).to_have_url(re.compile(r"/staff/intake/catalogue/$"))
    expect(page.get_by_text("托育报名 is in the catalogue.")).to_be_visible()
    # (Read on the page: a query from this thread while the browser runs would open a
    # connection of its own that outlives the test.)
    expect(page.get_by_text("孩子月龄 (Number, required) · 时段 (Choice)")).to_be_visible()

    page.goto(f"/staff/intake/counter/{desk.public_id}/")
    shot(page, "counter")
    page.get_by_role("link", name="智能手机课").click()
    page.get_by_role("button", name="Sign them up").click()
    expect(page.get_by_text("王小明 has a place.")).to_be_visible()
    shot(page, "signed-up")
    page.goto(f"/staff/intake/counter/{desk.public_id}/")
    page.get_by_role("link", name="创客空间").click()
    expect(page.get_by_text("Booking for 王小明 (139****5702)")).to_be_visible()
    shot(page, "booking-for")
