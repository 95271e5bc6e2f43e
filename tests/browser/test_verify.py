"""The public verification of a certificate in a real browser at 390 px, as someone who
scanned a certificate's QR code on their phone (no sign-in): a valid one, a revoked one,
and a serial typed wrong. Screenshots in Chinese, English and large text go to
/tmp/shots-verify."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangqun.volunteers import services
from tests import factories
from tests.volunteers.conftest import make_crew
from tests.volunteers.test_services import evidence

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-verify")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def certificate(browser_db):
    crew = make_crew(factories.district_tree())
    member = crew.members[0]
    claim = services.honour_enter(
        actor=crew.leader,
        team=crew.team,
        person=member,
        day=timezone.localdate() - timedelta(days=1),
        minutes=150,
        reason="防汛值守",
        evidence=evidence(),
    )
    services.honour_decide(actor=crew.leader2, claim=claim, approve=True)
    today = timezone.localdate()
    made = services.service_certificate_issue(
        actor=member,
        team=crew.team,
        person=member,
        period_start=today - timedelta(days=30),
        period_end=today,
    )
    return crew, made


def _page(new_context, live_server, lang: str, large: bool = False):
    context = new_context(locale="zh-CN" if lang == "zh-hans" else "en-US", **PHONE)
    context.add_cookies(
        [{"name": "django_language", "value": lang, "url": live_server.url}]
        + ([{"name": "dq_text", "value": "large", "url": live_server.url}] if large else [])
    )
    return context.new_page()


def test_someone_who_scanned_the_code_sees_it_valid_then_revoked(
    certificate, new_context, live_server
):
    crew, made = certificate
    SHOTS.mkdir(exist_ok=True)
    for lang, large in (("zh-hans", False), ("en", False), ("zh-hans", True)):
        page = _page(new_context, live_server, lang, large)
        page.goto(f"/verify/{made.serial}/")
        verdict = page.locator(".verdict")
        expect(verdict).to_contain_text("有效" if lang == "zh-hans" else "Valid")
        expect(page.locator("dd", has_text=made.name_masked)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(SHOTS / f"valid-{lang}-{'large' if large else 'normal'}.png"))
    services.certificate_revoke(actor=crew.staff, certificate=made, reason="重复开具")
    page = _page(new_context, live_server, "zh-hans")
    page.goto(f"/verify/{made.serial}/")
    expect(page.locator(".verdict")).to_contain_text("已于")
    expect(page.locator(".verdict")).to_contain_text("撤销")
    page.screenshot(path=str(SHOTS / "revoked-zh-hans.png"))


def test_a_serial_typed_wrong_is_said_plainly(certificate, new_context, live_server):
    _crew, made = certificate
    page = _page(new_context, live_server, "zh-hans")
    page.goto("/verify/")
    page.get_by_label("证明编号").fill(made.serial[:-1] + "Z")
    page.get_by_role("button", name="核验").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("查无此证明")
    page.get_by_label("证明编号").fill(made.serial.lower())
    page.get_by_role("button", name="核验").click()
    expect(page.locator(".verdict")).to_contain_text("有效")
    page.screenshot(path=str(SHOTS / "typed-zh-hans.png"))
