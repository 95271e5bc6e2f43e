"""The partners' figures page in Chromium at 390 px, as street staff read it on a phone: in
Chinese, in English and in large text, with no sideways scrolling, the pledges' states in
words, no axe violation (WCAG 2.2 AA); screenshots go to /tmp/shots-partner-figures."""

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangqun.partners.models import Brand
from tests import factories
from tests.browser import elder
from tests.browser.conftest import browser_db, new_context  # noqa: F401 (fixtures)

from . import figures_world as w

pytestmark = pytest.mark.browser

MOBILE, PASSWORD = "13800008888", "pf-Pa55word-2026"
SHOTS = Path("/tmp/shots-partner-figures")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def street(browser_db):  # noqa: F811
    tree = factories.district_tree()
    staff = factories.staff("street_admin", tree.xianlin, mobile=MOBILE, name="闲林街道管理员")
    staff.set_password(PASSWORD)
    staff.save()
    center = tree.xianlin_center
    brand = Brand.objects.create(name="红暖闲林", name_en="Warm Xianlin", region=tree.xianlin)
    yesterday = timezone.localdate() - timedelta(days=1)
    first = date(yesterday.year, 1, 1)
    for n, (name, name_en) in enumerate(
        (
            ("浙江外国语学院", "Zhejiang International Studies University"),
            ("闲富门诊", "Xianfu Clinic"),
        )
    ):
        partner = factories.partner(center, name=name, name_en=name_en)
        sub = factories.sub_brand(
            partner, center, name=f"学长帮帮团{n}", name_en=f"Seniors Help {n}", brand=brand
        )
        w.agreement(
            partner, first, date(yesterday.year, 12, 31), sessions=12 * (n + 1), money="3650"
        )
        _activity, sessions = w.activity_with_sessions(
            center, [yesterday], partner=partner, sub_brand=sub
        )
        w.check_in(sessions[0], factories.PersonFactory())
        w.receipt(partner, yesterday, "12345.6")
    return {"start": first.isoformat(), "end": timezone.localdate().isoformat()}


def _signed_in(new_context, locale):  # noqa: F811
    page = new_context(locale=locale, **PHONE).new_page()
    page.goto("/accounts/sign-in/password/")
    page.locator("#id_mobile").fill(MOBILE)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit], main form button").last.click()
    expect(page.locator("form[action$='/accounts/sign-out/'] button")).to_be_attached()
    return page


@pytest.mark.parametrize(
    "locale, large", [("zh-CN", False), ("en-US", False), ("en-US", True), ("zh-CN", True)]
)
def test_the_page_fits_a_phone(street, new_context, live_server, locale, large):  # noqa: F811
    page = _signed_in(new_context, locale)
    if large:
        page.context.add_cookies([{"name": "dq_text", "value": "large", "url": live_server.url}])
    page.goto(f"/staff/partners/figures/?start={street['start']}&end={street['end']}")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("#partners tbody tr")).to_have_count(2)
    expect(page.locator("#sub-brands tbody tr")).to_have_count(2)
    expect(page.locator("#brands tbody tr")).to_have_count(1)
    if locale.startswith("en"):
        expect(page.locator("#partners .pledge[data-metric=money]").first).to_contain_text(
            "On track"
        )
    if large:
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert size >= 18
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SHOTS.mkdir(exist_ok=True)
    name = f"figures-{locale[:2]}{'-large' if large else ''}"
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    axe_js = os.environ.get("DANGQUN_AXE_JS")
    if axe_js and Path(axe_js).is_file():
        page.add_script_tag(path=axe_js)
        violations = page.evaluate(
            """async tags => {
                const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return r.violations.map(v => v.id + ' ' + v.nodes[0].target.join(' '));
            }""",
            elder.AXE_TAGS,
        )
        assert violations == []
