"""The working-day calendar in a real browser at phone width: a district admin opens a year
the package lacks, sees it estimated, types its holidays and make-up days with one mistake,
reads the error beside the lines, corrects it, and the year is official."""

import pytest
from django.db import connections
from playwright.sync_api import expect

from dangqun.people.models import StaffRole
from dangqun.workdays import selectors
from dangqun.workdays.models import OfficialDay
from tests import factories

pytestmark = pytest.mark.browser

MOBILE = "13800007777"
PASSWORD = "district-Pa55word-2026"
LACKING = max(selectors.package_years()) + 1


@pytest.fixture
def district_admin(browser_db):
    tree = factories.district_tree()
    admin = factories.staff(
        StaffRole.Role.DISTRICT_ADMIN, tree.district, name="区管理员", mobile=MOBILE
    )
    admin.set_password(PASSWORD)
    admin.save()
    return admin


def test_enter_a_year_on_a_phone(district_admin, new_context):
    page = new_context(locale="en-US", width=390, height=844).new_page()
    page.goto("/accounts/sign-in/password/")
    page.get_by_label("Mobile number").fill(MOBILE)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # On a phone, signing out is under the tab bar's "Me".
    page.get_by_role("link", name="Me", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto("/staff/")
    page.get_by_role("link", name="Working days").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Working days")
    page.get_by_role("link", name=str(LACKING), exact=True).click()
    expect(page.get_by_text("Estimated: weekdays only")).to_be_visible()

    lines = page.get_by_label("Holidays and make-up working days")
    lines.fill(f"{LACKING}-10-01 holiday 国庆节\n{LACKING}-10-32 holiday 国庆节")
    page.get_by_label("This is the year's complete official arrangement").check()
    page.get_by_role("button", name="Save the year").click()
    expect(page.locator(".field.has-error .error")).to_contain_text("Line 2:")
    # No wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    lines.fill(f"{LACKING}-10-01 holiday 国庆节\n{LACKING}-10-04 休 国庆节")
    page.get_by_role("button", name="Save the year").click()
    expect(page.get_by_text("Official (entered by the district)")).to_be_visible()
    expect(page.locator("table")).to_contain_text(f"{LACKING}-10-04")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    try:
        entered = list(OfficialDay.objects.order_by("date").values_list("date", flat=True))
    finally:
        connections.close_all()
    assert [d.isoformat() for d in entered] == [f"{LACKING}-10-01", f"{LACKING}-10-04"]
