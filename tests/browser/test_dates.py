"""Date inputs carry ISO values in Chinese too: saving the profile twice keeps the birth
date (it used to be rendered as 1985/03/10, which the browser shows as empty, so the second
save erased it)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser

MOBILE = "13912345601"


@pytest.fixture
def resident(browser_db):
    return factories.PersonFactory(name="罗涛", mobile=MOBILE, birth_date=date(1985, 3, 10))


def sign_in_in_chinese(page, sms_codes):
    page.goto("/accounts/sign-in/")
    page.locator("input[name=mobile]").fill(MOBILE)
    page.locator("main form button").click()
    page.locator("input[name=code]").fill(sms_codes(MOBILE))
    consent = page.locator("input[name=consent]")
    if consent.count():
        consent.check()
    page.locator("main form button").click()
    # On a phone, signing out is under the tab bar's "我的".
    page.get_by_role("link", name="我的", exact=True).click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def test_the_birth_date_survives_two_saves_in_chinese(resident, new_context, sms_codes):
    page = new_context(locale="zh-CN", width=390, height=844).new_page()
    sign_in_in_chinese(page, sms_codes)
    for _save in range(2):
        page.goto("/accounts/me/")
        birth_date = page.locator("input[name=birth_date]")
        expect(birth_date).to_have_value("1985-03-10")
        page.locator("main form button.wide").click()
    page.goto("/accounts/me/")
    expect(page.locator("input[name=birth_date]")).to_have_value("1985-03-10")
