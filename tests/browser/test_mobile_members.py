"""Mobile party members in a real browser at 390 px: a member signs in on their phone,
reads what is collected and why, and reports in; then the street's staff open the
register and see the member with the name and mobile masked, and the member's page. Every
page fits the phone (no sideways scrolling) in each language and in large text, with no
serious axe finding when axe-core is available; screenshots go to /tmp/shots-mobile."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangqun.partners import mobile
from tests import factories

from . import elder

pytestmark = pytest.mark.browser

MEMBER_MOBILE = "13912345678"
STAFF_MOBILE = "13800008888"
PASSWORD = "mob-Pa55word-2026"
SHOTS = Path("/tmp/shots-mobile")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(browser_db):
    tree = factories.district_tree()
    staff = factories.staff("street_admin", tree.xianlin, mobile=STAFF_MOBILE, name="闲林管理员")
    staff.set_password(PASSWORD)
    staff.save()
    member = factories.PersonFactory(mobile=MEMBER_MOBILE, name="王小明")
    member.set_password(PASSWORD)
    member.save()
    org = mobile.organisation_create(
        actor=staff, name="闲林街道流动党员党支部", kind="branch", region=tree.xianlin
    )
    # Another member already on the register, with a notice and a project.
    other = factories.PersonFactory(mobile="13700001111", name="李四")
    other.set_password(PASSWORD)
    other.save()
    mobile.mobile_report_in(
        actor=other,
        person=other,
        home_branch="江西省上饶市某社区党支部",
        arrived_on=timezone.localdate() - timedelta(days=40),
        organisation=org,
    )
    mobile.notice_send(actor=staff, title="学习通知", body="周五学习", organisation=org)
    project = mobile.project_create(actor=staff, name="红色代办", region=tree.xianlin)
    return {"tree": tree, "org": org, "project": project}


def signed_in(new_context, locale, mobile_number, *, large=False, live_server=None):
    page = new_context(locale=locale, **PHONE).new_page()
    if large:
        page.context.add_cookies([{"name": "dq_text", "value": "large", "url": live_server.url}])
    page.goto("/accounts/sign-in/password/")
    page.locator("#id_mobile").fill(mobile_number)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit], main form button").last.click()
    expect(page.locator("form[action$='/accounts/sign-out/'] button")).to_be_attached()
    return page


def fits(page, name):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    axe_file = elder.axe_path()
    if axe_file:
        page.add_script_tag(content=Path(axe_file).read_text(encoding="utf-8"))
        found = page.evaluate(
            # base.html's flash messages (ul role=status) are base.html's business.
            "async () => (await axe.run({exclude: [['.messages']]})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)"
        )
        assert found == [], (name, found)


def test_a_member_reports_in_and_staff_see_the_masked_register(world, new_context):
    page = signed_in(new_context, "en-US", MEMBER_MOBILE)
    page.goto("/mobile-members/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mobile party members: report in")
    expect(page.get_by_text("What we collect and why")).to_be_visible()
    fits(page, "member-empty-en")
    page.get_by_role("button", name="Report in").click()  # nothing filled: refused
    expect(page.locator("#id_home_branch_error")).to_be_visible()
    page.get_by_label("Home party branch").fill("安徽省阜阳市某村党支部")
    page.get_by_label("Contact person at the home branch").fill("李书记")
    page.get_by_label("Their phone").fill("0558-1234567")
    page.get_by_label("Current employer").fill("某快递公司")
    page.get_by_label("Where you work in the district").fill("闲林街道某路")
    page.get_by_label("Temporary party organisation").select_option(label="闲林街道流动党员党支部")
    page.get_by_label("Arrived in the district on").fill(
        (timezone.localdate() - timedelta(days=3)).isoformat()
    )
    page.get_by_role("button", name="Report in").click()
    expect(page.get_by_text("You have reported in. Thank you.")).to_be_visible()
    expect(page.locator("#record")).to_contain_text("安徽省阜阳市某村党支部")
    expect(page.locator("#record")).to_contain_text("闲林街道流动党员党支部")
    fits(page, "member-reported-en")

    staff = signed_in(new_context, "en-US", STAFF_MOBILE)
    staff.goto("/staff/mobile-members/")
    register = staff.locator("#register")
    expect(register).to_contain_text("王**")
    expect(register).to_contain_text("139****5678")
    expect(register).not_to_contain_text("王小明")
    expect(register).not_to_contain_text(MEMBER_MOBILE)
    expect(staff.locator("#fig-registered")).to_have_text("2")
    fits(staff, "register-en")
    register.get_by_role("link", name="王**").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("王**")
    expect(staff.locator("#mobile")).to_have_text("139****5678")
    fits(staff, "member-staff-en")


@pytest.mark.parametrize(("locale", "large"), [("zh-CN", False), ("zh-CN", True), ("en-US", True)])
def test_every_page_fits_a_phone(world, new_context, live_server, locale, large):
    tag = f"{'en' if locale.startswith('en') else 'zh'}{'-large' if large else ''}"
    page = signed_in(new_context, locale, "13700001111", large=large, live_server=live_server)
    page.goto("/mobile-members/")
    expect(page.locator("#notices")).to_be_visible()
    fits(page, f"member-{tag}")
    staff = signed_in(new_context, locale, STAFF_MOBILE, large=large, live_server=live_server)
    for name, url in [
        ("register", "/staff/mobile-members/"),
        ("counter", "/staff/mobile-members/counter/"),
        ("organisations", "/staff/mobile-members/organisations/"),
        ("notices", "/staff/mobile-members/notices/"),
        ("projects", "/staff/mobile-members/projects/"),
        ("project", f"/staff/mobile-members/projects/{world['project'].public_id}/"),
    ]:
        staff.goto(url)
        expect(staff.locator("h1")).to_be_visible()
        fits(staff, f"{name}-{tag}")
