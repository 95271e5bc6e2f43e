"""A team leader's pages in a real browser, on a phone (390 px), in Chinese: the leader
opens the team, opens a shift for a task, checks a volunteer in at the desk of the shift
running now by the six-letter code, enters honour hours with a PDF as evidence; a second
leader approves them and finds them in the ledger. Then every leader's page in Chinese,
English and large text: nothing wider than the phone (screenshots kept with DANGQUN_SHOTS)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from dangqun.activities import selectors as activity_selectors
from dangqun.activities import services as activity_services
from dangqun.activities.models import ActivitySession, CheckIn
from dangqun.volunteers import services
from dangqun.volunteers.models import Shift
from tests import factories
from tests.volunteers.conftest import make_crew, open_shift, volunteer

pytestmark = pytest.mark.browser

BACKEND = "dangqun.accounts.backends.PersonBackend"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go (DANGQUN_SHOTS to keep them for a look)."""
    folder = Path(os.environ.get("DANGQUN_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def now_running(crew) -> tuple[Shift, object]:
    """A second shift of the task that began ten minutes ago, with a member signed up (the
    sign-up closes at the start: signed up first, then moved to now)."""
    shift = open_shift(crew, crew.leader, days=2, places=3)
    registration = services.shift_sign_up(actor=crew.members[0], shift=shift)
    start = timezone.now() - timedelta(minutes=10)
    end = start + timedelta(hours=3)
    Shift.objects.filter(pk=shift.pk).update(start=start, end=end)
    ActivitySession.objects.filter(activity=shift.activity).update(start=start, end=end)
    shift.refresh_from_db()
    return shift, registration


@pytest.fixture
def team(browser_db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    crew = make_crew(factories.district_tree())
    shift, registration = now_running(crew)
    return crew, shift, registration


def session_of(person) -> str:
    """A signed-in session for `person`, made before the browser starts (once Playwright
    runs, this thread would get database connections of its own, left open)."""
    client = Client()
    client.force_login(person, backend=BACKEND)
    return client.cookies["sessionid"].value


def phone(new_context, live_server, session: str, *, lang="zh-hans", large=False):
    """A phone's page, signed in with `session`, in `lang` and text size."""
    context = new_context(locale="zh-CN" if lang != "en" else "en-US", **PHONE)
    context.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": live_server.url},
            {"name": "django_language", "value": lang, "url": live_server.url},
            {"name": "dq_text", "value": "large" if large else "normal", "url": live_server.url},
        ]
    )
    return context.new_page()


def test_a_leader_runs_a_shift_and_a_second_leader_approves_honour_hours(
    team, new_context, live_server, shots, tmp_path
):
    crew, shift, registration = team
    first, second_leader = session_of(crew.leader), session_of(crew.leader2)
    page = phone(new_context, live_server, first)

    # The teams I lead, then the team.
    page.goto("/volunteers/lead/")
    expect(page.get_by_role("heading", level=1)).to_have_text("我带领的队伍")
    page.get_by_role("link", name="闲林助老志愿队").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("闲林助老志愿队")
    page.screenshot(path=shots / "lead-flow-team.png", full_page=True)

    # Open a shift for the task, the day after tomorrow.
    page.get_by_role("link", name="开设班次").first.click()
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    page.get_by_label("日期").fill(day)
    page.get_by_label("开始时间").fill("0900")
    page.get_by_label("结束时间").fill("11:30")
    page.get_by_label("名额").fill("4")
    page.get_by_role("button", name="开设此班次").click()
    expect(page.locator(".msg").first).to_contain_text("班次已开设")
    expect(page.locator(".lead-shift").filter(has_text="09:00–11:30")).to_contain_text(
        "名额 4 个，已报 0 个"
    )

    # The desk of the shift running now: check the volunteer in by their code.
    page.locator(".lead-shift").first.get_by_role("link", name="签到台").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("班次签到台")
    page.get_by_label("六位签到码").fill(registration.short_code.lower())
    page.get_by_role("button", name="签到", exact=True).click()
    expect(page.locator(".desk-result.ok")).to_have_text("✔ 志愿者0 签到成功")
    expect(page.locator(".entries")).to_contain_text("签到")
    page.screenshot(path=shots / "lead-flow-desk.png", full_page=True)

    # Honour hours with a PDF as evidence.
    evidence = tmp_path / "感谢信.pdf"
    evidence.write_bytes(PDF)
    page.goto(f"/volunteers/lead/teams/{crew.team.public_id}/")
    page.get_by_role("link", name="录入荣誉时").click()
    page.get_by_label("队员").select_option(label=f"志愿者1 · {crew.members[1].masked_mobile}")
    page.get_by_label("服务日期").fill(timezone.localdate().isoformat())
    page.get_by_label("时长（小时）").fill("2")
    page.get_by_label("服务内容").fill("重阳节敬老院义演")
    page.get_by_label("证明材料（照片或 PDF）").set_input_files(str(evidence))
    page.get_by_role("button", name="提交审批").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("待审批的荣誉时")
    claim = page.locator(".lead-claim")
    expect(claim).to_contain_text("重阳节敬老院义演")
    # Its author is told plainly that someone else approves, and has no button for it.
    expect(claim.locator(".notice-line")).to_contain_text("须由他人审批")
    expect(claim.get_by_role("button", name="通过")).to_have_count(0)

    # The second leader approves on their phone.
    second = phone(new_context, live_server, second_leader)
    second.goto(f"/volunteers/lead/teams/{crew.team.public_id}/honour/")
    second.get_by_role("button", name="通过").click()
    expect(second.locator(".msg").first).to_contain_text(
        "已通过：志愿者1 的 2 小时荣誉时已记入台账。"
    )
    second.goto(f"/volunteers/lead/teams/{crew.team.public_id}/ledger/")
    expect(second.locator(".lead-ledger")).to_contain_text("荣誉时，王队长 录入，李副队 审批")
    second.screenshot(path=shots / "lead-flow-ledger.png", full_page=True)


@pytest.fixture
def busy_team(team):
    """The team with something on every page: a check-in, honour hours entered by the
    second leader, a volunteer's correction request, a missed check-out, a person asking."""
    crew, shift, registration = team
    services.shift_check_in(actor=crew.leader, shift=shift, code=registration.short_code)
    services.honour_enter(
        actor=crew.leader2,
        team=crew.team,
        person=crew.members[1],
        day=timezone.localdate(),
        minutes=90,
        reason="社区防汛值守",
        evidence=_pdf(),
    )
    ended = open_shift(crew, crew.leader, days=3, places=3)
    first = services.shift_sign_up(actor=crew.members[1], shift=ended)
    second = services.shift_sign_up(actor=crew.members[2], shift=ended)
    start = timezone.now() - timedelta(hours=4)
    Shift.objects.filter(pk=ended.pk).update(start=start, end=start + timedelta(hours=3))
    ActivitySession.objects.filter(activity=ended.activity).update(
        start=start, end=start + timedelta(hours=3)
    )
    ended.refresh_from_db()
    session = activity_selectors.only_session(ended.activity)
    for one in (first, second):  # came, when check-in was open
        activity_services.check_in(
            actor=crew.leader, session=session, registration=one, method="scan", check_window=False
        )
    CheckIn.objects.filter(registration__in=[first, second]).update(checked_in_at=start)
    CheckIn.objects.filter(registration=first).update(checked_out_at=start + timedelta(hours=3))
    services.shift_close(shift=ended)
    entry = crew.members[1].volunteer_hours.get()
    services.correction_request(
        actor=crew.members[1], entry=entry, minutes=200, message="活动结束后我又帮忙收拾了场地"
    )
    crew.team.join_rule = "approval"
    crew.team.save()
    services.team_join(actor=volunteer(name="新志愿者"), team=crew.team)
    return crew, shift, entry


def _pdf():
    return SimpleUploadedFile("proof.pdf", PDF, content_type="application/pdf")


MODES = [("zh-hans", False), ("en", False), ("zh-hans", True)]


def test_every_leader_page_fits_a_phone_in_every_mode(busy_team, new_context, live_server, shots):
    crew, shift, entry = busy_team
    team_path = f"/volunteers/lead/teams/{crew.team.public_id}/"
    pages = {
        "index": "/volunteers/lead/",
        "team": team_path,
        "task-new": f"{team_path}tasks/new/",
        "shift-new": f"/volunteers/lead/tasks/{crew.task.public_id}/shifts/new/",
        "desk": f"/volunteers/lead/shifts/{shift.public_id}/",
        "assign": f"/volunteers/lead/shifts/{shift.public_id}/assign/",
        "call-off": f"/volunteers/lead/shifts/{shift.public_id}/call-off/",
        "honour": f"{team_path}honour/",
        "honour-new": f"{team_path}honour/new/",
        "corrections": f"{team_path}corrections/",
        "missed": f"{team_path}missed/",
        "ledger": f"{team_path}ledger/",
        "correct": f"/volunteers/lead/entries/{entry.public_id}/correct/",
    }
    too_wide = []
    session = session_of(crew.leader)
    for lang, large in MODES:
        page = phone(new_context, live_server, session, lang=lang, large=large)
        mode = f"{lang}{'-large' if large else ''}"
        for name, path in pages.items():
            response = page.goto(path)
            assert response.status == 200, (name, mode, response.status)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append((name, mode, width))
            page.screenshot(path=shots / f"lead-{name}-{mode}.png", full_page=True)
    assert too_wide == []
