"""The volunteer's own pages in a real browser at 390 px, as residents and riders use them on
their phones: someone opens the teams, signs in with an SMS code, ticks "I register as a
volunteer" and joins a team, signs up for a shift and sees the six letters and the QR code,
then opens My volunteering; all in Chinese. In English, a member accepts a place a teammate
hands over. Every page is measured in Chinese, English and large text by the elder-friendly
rules (tests/browser/elder.py) with no sideways scrolling; screenshots go to
/tmp/shots-own2."""

import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from dangqun.volunteers import services
from tests import factories
from tests.browser import elder
from tests.browser.test_elder import measure, problems_of
from tests.volunteers.conftest import make_crew, open_shift
from tests.volunteers.test_pages import credit_hours

pytestmark = pytest.mark.browser

MOBILE = "13912347701"
SHOTS = Path("/tmp/shots-own2")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def crew(browser_db):
    """Xianlin's elder-help team with its shift tomorrow; a resident who is no volunteer yet
    (signs in by SMS); a member, 林志愿, with hours, points, a certificate, a request for a
    correction answered, a place on tomorrow's shift and a place offered by a teammate. Her
    session and every page's address are taken before the browser starts."""
    tree = factories.district_tree()
    crew = make_crew(tree, places=3)
    factories.PersonFactory(name="陈新人", mobile=MOBILE)
    member, giver = crew.members[0], crew.members[1]
    member.name = "林志愿"
    member.save()
    entry = credit_hours(crew, member, minutes=150, days_ago=5)
    credit_hours(crew, member, minutes=95, days_ago=35)
    request = services.correction_request(
        actor=member, entry=entry, minutes=180, message="签退晚了半小时没记上"
    )
    services.correction_answer(actor=crew.leader, request=request, accept=True, answer="已核实")
    today = timezone.localdate()
    services.service_certificate_issue(
        actor=member,
        team=crew.team,
        person=member,
        period_start=today - timedelta(days=90),
        period_end=today,
    )
    services.shift_sign_up(actor=member, shift=crew.shift)
    later = open_shift(crew, crew.leader, days=4, hour=14, hours=2, places=2)
    services.shift_sign_up(actor=giver, shift=later)
    swap = services.swap_offer(actor=giver, shift=later, to_person=member)
    client = Client()
    client.force_login(member, backend="dangqun.accounts.backends.PersonBackend")
    return SimpleNamespace(
        crew=crew,
        later=later,
        swap=swap,
        session=client.cookies["sessionid"].value,
        catalogue=sorted(elder.Catalogue.load().chinese - elder.data_strings()),
        pages=[
            ("teams", "/volunteers/"),
            ("team", f"/volunteers/teams/{crew.team.public_id}/"),
            ("shift", f"/volunteers/shifts/{crew.shift.public_id}/"),
            ("me", "/volunteers/me/"),
        ],
    )


def phone(new_context, live_server, *, locale="zh-CN", session=None, large=False):
    page = new_context(locale=locale, **PHONE).new_page()
    language = "en" if locale.startswith("en") else "zh-hans"
    cookies = [
        {"name": "django_language", "value": language, "url": live_server.url},
        {"name": "dq_text", "value": "large" if large else "normal", "url": live_server.url},
    ]
    if session:
        cookies.append({"name": "sessionid", "value": session, "url": live_server.url})
    page.context.add_cookies(cookies)
    return page


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_a_resident_joins_signs_up_and_sees_the_code_in_chinese(
    crew, new_context, live_server, sms_codes
):
    page = phone(new_context, live_server)
    page.goto("/volunteers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("志愿服务队")
    page.get_by_role("link", name="闲林助老志愿队").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("闲林助老志愿队")
    page.get_by_role("link", name="登录后加入").click()
    page.get_by_label("手机号").fill(MOBILE)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_label("短信验证码").fill(sms_codes(MOBILE))
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(rf"/volunteers/teams/{crew.crew.team.public_id}/$"))

    # Not registered as a volunteer: told so beside the box, then ticks it.
    page.get_by_role("button", name="加入服务队").click()
    expect(page.locator("#id_volunteer_error")).to_contain_text("请先登记为志愿者")
    shot(page, "flow-join-refused-zh")
    page.get_by_label("我登记为志愿者").check()
    page.get_by_role("button", name="加入服务队").click()
    expect(page.get_by_text("欢迎加入闲林助老志愿队！可在下方报名班次。")).to_be_visible()
    expect(page.get_by_role("heading", name="您是本队队员")).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "flow-joined-zh")

    shift = page.locator(f"#shift-{crew.crew.shift.public_id}")
    expect(shift).to_contain_text("剩余 2 个名额")  # 3 places, 林志愿 has one
    shift.get_by_role("button", name="报名").click()
    expect(page).to_have_url(re.compile(rf"/volunteers/shifts/{crew.crew.shift.public_id}/$"))
    expect(page.locator("#status")).to_have_text("已有名额")
    code = page.locator(".short-code").inner_text().strip()
    assert len(code) == 6 and code.isalnum() and code.isupper()
    expect(page.get_by_text(f"您的签到码是 {code}")).to_be_visible()
    expect(page.get_by_role("img", name="签到二维码")).to_be_visible()
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.short-code')).fontSize)"
    )
    assert size >= 28, size  # the six letters large enough to read out
    no_sideways_scroll(page)
    shot(page, "flow-shift-zh")

    page.get_by_role("link", name="我的志愿服务").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的志愿服务")
    expect(page.locator("#shifts + ul")).to_contain_text("陪老人就医")
    expect(page.locator("#teams + ul")).to_contain_text("闲林助老志愿队")
    expect(page.locator("#hours-total")).to_have_text("0")
    no_sideways_scroll(page)
    shot(page, "flow-me-zh")


def test_a_member_accepts_a_place_handed_over_in_english(crew, new_context, live_server):
    page = phone(new_context, live_server, locale="en-US", session=crew.session)
    page.goto("/volunteers/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My volunteering")
    offer = page.locator(f"#swap-{crew.swap.public_id}")
    expect(offer).to_contain_text("offers you their place: 陪老人就医")
    expect(page.locator("#hours-credit")).to_have_text("4.5")  # 180 + 95 minutes
    expect(page.locator("#stars")).to_contain_text("95.5 more hours to One star.")
    offer.get_by_role("button", name="Accept").click()
    expect(page).to_have_url(re.compile(rf"/volunteers/shifts/{crew.later.public_id}/$"))
    expect(page.get_by_text("The place is yours: 陪老人就医.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your check-in code")).to_be_visible()
    expect(page.get_by_role("img", name="QR code to check in")).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "flow-swap-accepted-en")


@pytest.mark.parametrize(
    "locale, large",
    [("zh-CN", False), ("en-US", False), ("zh-CN", True), ("en-US", True)],
    ids=["zh", "en", "zh-large", "en-large"],
)
def test_every_page_fits_a_phone_and_the_elder_rules(crew, new_context, live_server, locale, large):
    axe_file = elder.axe_path()
    assert axe_file, "axe-core is missing: set DANGQUN_AXE_JS to axe.min.js"
    axe_js = Path(axe_file).read_text(encoding="utf-8")
    lang = "en" if locale.startswith("en") else "zh-hans"
    page = phone(new_context, live_server, locale=locale, session=crew.session, large=large)
    mode = f"{'en' if lang == 'en' else 'zh'}{'-large' if large else ''}"
    failures = []
    for name, url in crew.pages:
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        no_sideways_scroll(page)
        shot(page, f"{name}-{mode}")
        got = measure(page, large, lang, crew.catalogue, axe_js)
        failures += [f"{url} [{mode}]: {p}" for p in problems_of(got, large)]
    # A request for a correction sent without the right time: the form stays open, the
    # field in error says why and has the focus.
    page.goto("/volunteers/me/")
    line = page.locator("#ledger li").filter(has=page.locator("details")).first
    line.locator("summary").click()
    line.get_by_role("button").click()
    expect(page.locator("details[open] .error").first).to_be_visible()
    assert page.evaluate("document.activeElement.name") == "hours"
    no_sideways_scroll(page)
    page.locator("details[open]").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"me-correction-refused-{mode}.png")
    got = measure(page, large, lang, crew.catalogue, axe_js)
    failures += [f"correction refused [{mode}]: {p}" for p in problems_of(got, large)]
    # The riders' page and the Me menu, whose links lead here.
    for name, url in (("riders", "/riders/"), ("menu", "/menu/")):
        page.goto(url)
        no_sideways_scroll(page)
        shot(page, f"{name}-{mode}")
    assert not failures, "\n".join(failures)
