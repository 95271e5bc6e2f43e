"""The volunteers' back office in a real browser at 390 px, as center staff use it on a
phone: a volunteer at the counter gives their mobile number, staff see their points and
the center's rewards in stock and redeem one; then they read the figures of the street for
a period. Every page of /staff/volunteers/ is also opened in English and in large text,
with no sideways scrolling; screenshots go to /tmp/shots-staff."""

from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangqun.activities import services as activity_services
from dangqun.volunteers import services
from tests import factories
from tests.browser import phone
from tests.volunteers.conftest import make_crew, open_shift
from tests.volunteers.test_services import attend, evidence

pytestmark = pytest.mark.browser

STAFF_MOBILE = "13800007777"
STAFF_PASSWORD = "vol-Pa55word-2026"
SHOTS = Path("/tmp/shots-staff")
PHONE = phone.PHONE


@pytest.fixture
def crew(browser_db):
    """Xianlin's elder-help team; a member with 3 credit hours (3 points) and an approved
    hour of honour yesterday; two rewards of the Xianlin center; a training with a
    certificate; the street's admin with a password."""
    tree = factories.district_tree()
    crew = make_crew(tree)
    crew.staff.mobile, crew.staff.name = STAFF_MOBILE, "闲林街道管理员"
    crew.staff.set_password(STAFF_PASSWORD)
    crew.staff.save()
    member = crew.members[0]
    member.mobile, member.name = "13955556666", "陈志愿"
    member.save()
    shift = open_shift(crew, crew.leader, days=2, hour=9, hours=3, places=3)
    _registration, check_in = attend(shift, member, leave_after=180)
    services.ledger.credit_check_in(shift=shift, check_in=check_in)
    claim = services.honour_enter(
        actor=crew.leader,
        team=crew.team,
        person=member,
        day=timezone.localdate() - timedelta(days=1),
        minutes=60,
        reason="防汛值守",
        evidence=evidence(),
    )
    services.honour_decide(actor=crew.leader2, claim=claim, approve=True)
    catalogue = (("理发券", "Haircut voucher", "2"), ("体检套餐", "Health check", "8"))
    rewards = [
        services.reward_item_save(
            actor=crew.staff,
            center=tree.xianlin_center,
            name=name,
            name_en=name_en,
            points=points,
            stock=3,
        )
        for name, name_en, points in catalogue
    ]
    training = factories.activity(tree.xianlin_center, kind="training", title="急救培训")
    registration = activity_services.registration_create(actor=member, activity=training)
    activity_services.check_in(
        actor=crew.staff,
        session=training.sessions.get(),
        registration=registration,
        method="short_code",
        check_window=False,
    )
    (certificate,) = services.training_certificates_issue(actor=crew.staff, activity=training)
    crew.training, crew.certificate, crew.reward = training, certificate, rewards[0]
    return crew


def signed_in(new_context, locale):
    return phone.signed_in(new_context, STAFF_MOBILE, STAFF_PASSWORD, locale)


shot = partial(phone.shot, SHOTS)


def tiles(page) -> list[str]:
    return [t.strip() for t in page.locator("#figures li strong").all_inner_texts()]


def test_staff_redeem_a_reward_and_read_the_figures_in_chinese(crew, new_context):
    page = signed_in(new_context, "zh-CN")
    page.goto("/staff/")
    page.get_by_role("link", name="志愿服务").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("志愿服务队")
    page.get_by_role("link", name="积分兑换").click()
    page.get_by_label("手机号").fill("139 5555 6666")
    page.get_by_role("button", name="查找").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("陈志愿")
    expect(page.locator("#balance")).to_have_text("3")
    phone.no_sideways_scroll(page)
    shot(page, "counter-person-zh")
    dear = page.locator(".rewards li", has_text="体检套餐")
    expect(dear).to_contain_text("所需积分超过余额。")
    dear.get_by_role("button", name="兑换").click()  # refused, said in staff's words
    expect(page.get_by_text("积分不足：现有3.00，需要8.00。")).to_be_visible()
    expect(page.locator("#balance")).to_have_text("3")
    page.locator(".rewards li", has_text="理发券").get_by_role("button", name="兑换").click()
    expect(page.get_by_text("陈志愿 用 2 积分兑换了理发券。剩余积分：1。")).to_be_visible()
    expect(page.locator("#balance")).to_have_text("1")
    expect(page.locator(".entries")).to_contain_text("理发券")
    phone.no_sideways_scroll(page)
    shot(page, "counter-redeemed-zh")

    page.get_by_role("link", name="积分兑换").first.click()
    expect(page.locator("#redemptions + table")).to_contain_text("陈志愿")
    page.goto("/staff/volunteers/figures/")
    today = timezone.localdate()
    page.get_by_label("统计范围").select_option(label="闲林街道")
    page.get_by_label("时段").select_option(label="自定起止日期")
    page.get_by_label("开始日期").fill((today - timedelta(days=7)).isoformat())
    page.get_by_label("结束日期").fill(today.isoformat())
    page.get_by_role("button", name="查看", exact=True).click()
    # One volunteer with hours; the shift is still to come (not held); 3 credit hours
    # (dated the shift's day, in two days: outside the period), 1 honour hour.
    expect(page.locator("#figures")).to_be_visible()
    assert tiles(page) == ["1", "0", "0", "0", "1", "—"]
    expect(page.get_by_role("link", name="时长台账（Excel）")).to_be_visible()
    phone.no_sideways_scroll(page)
    shot(page, "figures-zh")
    page.get_by_label("结束日期").fill("9999-12-31")
    page.get_by_role("button", name="查看", exact=True).click()
    expect(page.locator("#id_end_error")).to_contain_text("2100-12-31")
    shot(page, "figures-bad-date-zh")


def pages_of(crew) -> list[tuple[str, str]]:
    """Every page, from the fixture's rows (nothing is read once the browser runs)."""
    reward, certificate = crew.reward, crew.certificate
    return [
        ("teams", "/staff/volunteers/"),
        ("team", f"/staff/volunteers/teams/{crew.team.public_id}/"),
        ("team-new", "/staff/volunteers/teams/new/"),
        ("rewards", "/staff/volunteers/rewards/"),
        ("reward-edit", f"/staff/volunteers/rewards/{reward.public_id}/edit/"),
        ("counter", "/staff/volunteers/counter/?mobile=13955556666"),
        ("certificates", "/staff/volunteers/certificates/"),
        ("revoke", f"/staff/volunteers/certificates/{certificate.serial}/revoke/"),
        ("training", f"/staff/volunteers/trainings/{crew.training.public_id}/"),
        ("figures", "/staff/volunteers/figures/?where=center%3Axianlin&period=this_year"),
    ]


@pytest.mark.parametrize(
    "locale, large", [("zh-CN", False), ("zh-CN", True), ("en-US", False), ("en-US", True)]
)
def test_every_page_fits_a_phone_in_each_mode(crew, new_context, live_server, locale, large):
    page = signed_in(new_context, locale)
    if large:
        page.context.add_cookies([{"name": "dq_text", "value": "large", "url": live_server.url}])
    english = locale.startswith("en")
    for name, url in pages_of(crew):
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        if large:
            size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert size >= 18, (url, size)
        phone.no_sideways_scroll(page)
        shot(page, f"{name}-{'en' if english else 'zh'}{'-large' if large else ''}")
    if english:
        page.goto(f"/staff/volunteers/counter/{crew.members[0].public_id}/")
        expect(page.get_by_text("points to spend")).to_be_visible()
        page.locator(".rewards li", has_text="Haircut voucher").get_by_role(
            "button", name="Redeem"
        ).click()
        expect(page.get_by_text("Points left: 1.")).to_be_visible()
