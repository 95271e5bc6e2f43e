"""One-stop intake in a real browser at phone width (390 px): a resident signs in with an
SMS code, finds the service in the center's catalogue, fills in its extra fields and
submits; the center's staff accept and resolve it from their queue; the resident follows
the progress page and rates the service once."""

import re

import pytest
from playwright.sync_api import expect

from dangqun.people.models import StaffRole
from tests import factories
from tests.browser.conftest import browser_db, new_context, sms_codes  # noqa: F401

from .conftest import FIELDS

pytestmark = pytest.mark.browser

MOBILE = "13912345701"
STAFF_MOBILE = "13800007777"
STAFF_PASSWORD = "desk-Pa55word-2026"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def catalogue(browser_db, district):  # noqa: F811
    tree = district
    factories.service_item(
        tree.xianlin_center,
        code="party-transfer",
        name="党员组织关系转接",
        name_en="Transfer of party membership",
        fields=FIELDS,
    )
    factories.PersonFactory(name="王小明", mobile=MOBILE)
    desk = factories.staff(
        StaffRole.Role.CENTER_STAFF, tree.xianlin, tree.xianlin_center, mobile=STAFF_MOBILE
    )
    desk.set_password(STAFF_PASSWORD)
    desk.save()
    return tree


def test_submit_follow_accept_resolve_rate(catalogue, new_context, sms_codes):  # noqa: F811
    resident = new_context(locale="en-US", **PHONE).new_page()
    resident.goto("/intake/centers/xianlin/")
    resident.get_by_role("link", name="Transfer of party membership").click()
    resident.get_by_role("link", name="Sign in to request this service").click()
    resident.get_by_label("Mobile number").fill(MOBILE)
    resident.get_by_role("button", name="Send code").click()
    resident.get_by_label("Code from the SMS").fill(sms_codes(MOBILE))
    resident.get_by_role("button", name="Sign in").click()
    expect(resident).to_have_url(re.compile(r"/intake/centers/xianlin/party-transfer/$"))

    # A required field left empty is refused beside the field; then it goes through.
    resident.get_by_label("转接方向").select_option("in")
    resident.get_by_role("button", name="Submit the request").click()
    expect(resident.locator("#id_v_branch_error")).to_be_visible()
    resident.get_by_label("现所在党支部").fill("民丰村党支部")
    resident.get_by_label("省内转接").select_option("yes")
    resident.get_by_role("button", name="Submit the request").click()
    expect(resident).to_have_url(re.compile(r"/intake/mine/YH-\d{8}-0001/$"))
    number = resident.url.rstrip("/").rsplit("/", 1)[1]
    expect(resident.get_by_text(number).first).to_be_visible()
    expect(resident.locator(".req-submitted").first).to_be_visible()
    width = resident.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide at 390 px"

    # The desk: accept, then resolve, from the queue.
    staff = new_context(locale="en-US", **PHONE).new_page()
    staff.goto("/accounts/sign-in/password/")
    staff.get_by_label("Mobile number").fill(STAFF_MOBILE)
    staff.get_by_label("Password").fill(STAFF_PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    # On a phone, signing out is under the tab bar's "Me".
    staff.get_by_role("link", name="Me", exact=True).click()
    expect(staff.get_by_role("button", name="Sign out")).to_be_visible()
    staff.goto("/staff/intake/")
    staff.get_by_role("link", name="Transfer of party membership").click()
    staff.get_by_label("Note", exact=True).fill("材料齐全")
    staff.get_by_role("button", name="Accept").click()
    expect(staff.get_by_text("Accepted. The person gets a text message.")).to_be_visible()
    staff.get_by_role("button", name="Resolve").click()
    expect(staff.locator(".req-resolved").first).to_be_visible()

    # The resident sees the steps and rates the service, once.
    resident.reload()
    expect(resident.locator(".history li")).to_have_count(3)
    resident.get_by_text("4 · Good").click()
    resident.get_by_label("Comment (optional)").fill("很方便")
    resident.get_by_role("button", name="Send my rating").click()
    expect(resident.get_by_text("Thank you for your rating.")).to_be_visible()
    expect(resident.get_by_role("heading", name="Your rating")).to_be_visible()
    expect(resident.get_by_role("button", name="Send my rating")).to_have_count(0)
