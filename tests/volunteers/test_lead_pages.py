"""A team leader's pages over HTTP: the teams I lead, the team (roster with hours and stars,
people asking to join, tasks, shifts to come, what waits, Excel downloads), opening and
calling off a shift, assigning a member, the shift's desk (check-in by short code, by the
address a personal QR code holds and by a photo of it; check-out with hours credited at
once), honour hours (entry with evidence, a second person approves, the evidence served to
leaders only), correction requests, missed check-outs, the ledger and a leader's own
correction. Refusals: a member who is not a leader, a stranger and a leader of another team
get 404 everywhere; the author cannot approve; bad input is named beside its field and
nothing is half-saved."""

import html
import re
from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
import segno
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from dangqun.activities import selectors as activity_selectors
from dangqun.activities import services as activity_services
from dangqun.activities.models import Activity, ActivitySession, CheckIn, Registration
from dangqun.core.errors import ValidationFailed
from dangqun.core.models import AuditEntry
from dangqun.volunteers import services
from dangqun.volunteers.models import (
    CorrectionRequest,
    HonourClaim,
    HoursEntry,
    Membership,
    MissedCheckOut,
    Shift,
    Task,
)
from tests import factories
from tests.clients import count_queries, page_client
from tests.pages import field_error

from .conftest import open_shift, volunteer

pytestmark = pytest.mark.django_db

LEAD = "/volunteers/lead/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- helpers --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    # Evidence files go under VAR_DIR/attachments: each test its own folder.
    settings.VAR_DIR = tmp_path


def text(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(page: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'<li class="msg[^"]*">([^<]*)</li>', page)]


def desk_result(page: str) -> tuple[str, str]:
    found = re.search(r'<div class="desk-result (\w+)"[^>]*><p>([^<]*)</p>', page)
    return (found.group(1), found.group(2).strip()) if found else ("", "")


def error_in(page: str, prefix: str, field: str) -> str:
    return field_error(page, f"{prefix}-{field}")


def team_url(crew, rest: str = "") -> str:
    return f"{LEAD}teams/{crew.team.public_id}/{rest}"


def shift_url(shift, rest: str = "") -> str:
    return f"{LEAD}shifts/{shift.public_id}/{rest}"


def pdf(name: str = "proof.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png() -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (16, 16), "blue").save(out, "PNG")
    return SimpleUploadedFile("photo.png", out.getvalue(), content_type="image/png")


def files_on_disk() -> list:
    folder = django_settings.VAR_DIR / "attachments"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def running(shift: Shift, *, started_minutes_ago: int = 10, lasting: int = 180) -> Shift:
    """Move the shift (and its activity's session) so that it runs now."""
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - timedelta(minutes=started_minutes_ago)
    end = start + timedelta(minutes=lasting)
    Shift.objects.filter(pk=shift.pk).update(start=start, end=end)
    ActivitySession.objects.filter(activity=shift.activity).update(start=start, end=end)
    Activity.objects.filter(pk=shift.activity_id).update(
        registration_opens=start - timedelta(days=1), registration_closes=end
    )
    shift.refresh_from_db()
    return shift


def signed_up(shift, person) -> Registration:
    return services.shift_sign_up(actor=person, shift=shift)


def checked_in_at(shift, registration, moment) -> CheckIn:
    session = activity_selectors.only_session(shift.activity)
    entry, _created = activity_services.check_in(
        actor=registration.person,
        session=session,
        registration=registration,
        method="short_code",
        check_window=False,
    )
    CheckIn.objects.filter(pk=entry.pk).update(checked_in_at=moment)
    return CheckIn.objects.get(pk=entry.pk)


def credit(crew, person, minutes: int) -> HoursEntry:
    """A credit-hours line for `person`: an attended shift, checked out."""
    shift = open_shift(crew, crew.leader, days=3 + HoursEntry.objects.count(), places=5)
    registration = signed_up(shift, person)
    shift = running(shift, started_minutes_ago=minutes + 5, lasting=minutes)
    checked_in_at(shift, registration, shift.start)
    entry = services.shift_check_out(actor=crew.leader, shift=shift, code=registration.short_code)
    return HoursEntry.objects.get(check_in=entry)


def scan_address(registration: Registration) -> str:
    token = activity_selectors.personal_check_in_token(registration)
    return "http://testserver" + reverse("staff_activities:scan_token", args=[token])


def qr_png(content: str) -> SimpleUploadedFile:
    buffer = BytesIO()
    segno.make(content, error="m").save(buffer, kind="png", scale=8, border=4)
    return SimpleUploadedFile("code.png", buffer.getvalue(), content_type="image/png")


def honour_form(member, **changes) -> dict:
    data = {
        "member": str(member.public_id),
        "day": timezone.localdate().isoformat(),
        "hours": "2.5",
        "minutes": "",
        "reason": "社区防汛值守",
        "evidence": pdf(),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def enter_honour(crew, person=None, *, by=None, minutes=120) -> HonourClaim:
    return services.honour_enter(
        actor=by or crew.leader,
        team=crew.team,
        person=person or crew.members[0],
        day=timezone.localdate(),
        minutes=minutes,
        reason="敬老院义演",
        evidence=pdf(),
    )


@pytest.fixture
def other(district):
    """A second team (of the Cangqian center) with its own leader."""
    staff = factories.staff("street_admin", district.cangqian)
    team = services.team_create(actor=staff, name="仓前骑手志愿队", center=district.cangqian_center)
    leader = volunteer(name="赵队长")
    services.team_join(actor=leader, team=team)
    services.leader_set(actor=staff, team=team, person=leader)
    return team, leader


# --- who may: leaders and staff of the region; everyone else 404 ----------------------------


def every_address(crew) -> list[tuple[str, str]]:
    """(method, url) of every leader's page and action of the crew's team."""
    claim = enter_honour(crew)
    entry = credit(crew, crew.members[1], 150)
    asked = services.correction_request(
        actor=crew.members[1], entry=entry, minutes=180, message="我待到了最后"
    )
    joiner = volunteer()
    crew.team.join_rule = "approval"
    crew.team.save()
    services.team_join(actor=joiner, team=crew.team)
    shift = crew.shift
    registration = signed_up(shift, crew.members[2])
    return [
        ("get", team_url(crew)),
        ("get", team_url(crew, "ledger/")),
        ("get", team_url(crew, "ledger.xlsx")),
        ("get", team_url(crew, "roster.xlsx")),
        ("post", team_url(crew, f"asking/{joiner.public_id}/")),
        ("get", team_url(crew, "tasks/new/")),
        ("post", team_url(crew, "tasks/new/")),
        ("get", team_url(crew, "honour/")),
        ("get", team_url(crew, "honour/new/")),
        ("post", team_url(crew, "honour/new/")),
        ("get", team_url(crew, "corrections/")),
        ("get", team_url(crew, "missed/")),
        ("get", f"{LEAD}tasks/{crew.task.public_id}/shifts/new/"),
        ("post", f"{LEAD}tasks/{crew.task.public_id}/shifts/new/"),
        ("get", shift_url(shift)),
        ("post", shift_url(shift, "check-in/")),
        ("post", shift_url(shift, "check-in/photo/")),
        ("post", shift_url(shift, "check-out/")),
        ("get", shift_url(shift, "call-off/")),
        ("post", shift_url(shift, "call-off/")),
        ("get", shift_url(shift, "assign/")),
        ("post", shift_url(shift, "assign/")),
        ("post", f"{LEAD}honour/{claim.public_id}/decide/"),
        ("get", f"{LEAD}honour/{claim.public_id}/evidence/"),
        ("post", f"{LEAD}corrections/{asked.public_id}/answer/"),
        ("post", f"{LEAD}missed/{registration.public_id}/confirm/"),
        ("get", f"{LEAD}entries/{entry.public_id}/correct/"),
        ("post", f"{LEAD}entries/{entry.public_id}/correct/"),
    ]


def test_a_member_a_stranger_and_another_teams_leader_get_404_everywhere(crew, other):
    addresses = every_address(crew)
    _team, other_leader = other
    for who in (
        crew.members[0],
        volunteer(),
        other_leader,
        factories.staff("center_staff", crew.tree.cangqian, crew.tree.cangqian_center),
    ):
        client = page_client(who)
        for method, url in addresses:
            response = getattr(client, method)(url, {"code": "ABCDEF", "reason": "x"})
            assert response.status_code == 404, (who, method, url, response.status_code)
    # Nothing was written by any of them.
    assert not Task.objects.exclude(pk=crew.task.pk).exists()
    assert HonourClaim.objects.filter(status="pending").count() == 1
    assert not CheckIn.objects.filter(registration__activity=crew.shift.activity).exists()


def test_a_visitor_is_sent_to_sign_in(crew):
    for url in (LEAD, team_url(crew), shift_url(crew.shift)):
        response = page_client().get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_the_leaders_and_staff_of_the_region_reach_every_page(crew):
    for person in (crew.leader, crew.leader2, crew.staff):
        client = page_client(person)
        for url in (team_url(crew), team_url(crew, "ledger/"), shift_url(crew.shift)):
            assert client.get(url).status_code == 200, (person, url)


def test_writes_are_post_only(crew):
    client = page_client(crew.leader)
    claim = enter_honour(crew, by=crew.leader2)
    for url in (
        shift_url(crew.shift, "check-in/"),
        shift_url(crew.shift, "check-out/"),
        shift_url(crew.shift, "check-in/photo/"),
        f"{LEAD}honour/{claim.public_id}/decide/",
        team_url(crew, f"asking/{crew.members[0].public_id}/"),
    ):
        assert client.get(url).status_code == 405, url


def test_unknown_ids_are_404(crew):
    client = page_client(crew.leader)
    for url in (
        f"{LEAD}teams/00000000-0000-0000-0000-000000000000/",
        f"{LEAD}shifts/00000000-0000-0000-0000-000000000000/",
        f"{LEAD}tasks/00000000-0000-0000-0000-000000000000/shifts/new/",
        f"{LEAD}entries/00000000-0000-0000-0000-000000000000/correct/",
        f"{LEAD}honour/00000000-0000-0000-0000-000000000000/evidence/",
        f"{LEAD}teams/not-a-uuid/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"{LEAD}honour/00000000-0000-0000-0000-000000000000/decide/",
        f"{LEAD}corrections/00000000-0000-0000-0000-000000000000/answer/",
        f"{LEAD}missed/00000000-0000-0000-0000-000000000000/confirm/",
        team_url(crew, "asking/00000000-0000-0000-0000-000000000000/"),
    ):
        assert client.post(url).status_code == 404, url


# --- the teams I lead -----------------------------------------------------------------------


def test_the_teams_i_lead_with_what_waits(crew, other):
    enter_honour(crew)
    page = text(page_client(crew.leader).get(LEAD))
    assert "Xianlin elder-help team" in page and "仓前骑手志愿队" not in page
    assert "1 honour entry to approve" in page
    assert "5 members" in page
    # Staff of the district see every team of it; a plain member sees none.
    district_staff = factories.staff("district_admin", crew.tree.district)
    page = text(page_client(district_staff).get(LEAD))
    assert "Xianlin elder-help team" in page and "仓前骑手志愿队" in page
    page = text(page_client(crew.members[0]).get(LEAD))
    assert "You lead no volunteer team" in page


def test_the_teams_i_lead_in_chinese(crew):
    enter_honour(crew)
    page = text(page_client(crew.leader, language="zh-hans").get(LEAD))
    assert "我带领的队伍" in page and "闲林助老志愿队" in page
    assert "1 条荣誉时待审批" in page


# --- the team page --------------------------------------------------------------------------


def test_team_page_roster_hours_stars_and_what_waits(crew, settings):
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "STAR_HOURS": [2, 5, 10, 20, 40]}
    credit(crew, crew.members[0], 150)  # 2.5 h: one star at 2 h
    enter_honour(crew)  # pending: not in the hours yet
    page = text(page_client(crew.leader).get(team_url(crew)))
    row = re.search(r"志愿者0.*?</tr>", page, re.S).group(0)
    assert ">2.5<" in row and ">0<" in row
    assert "1 star" in row
    assert "Honour hours to approve" in page and 'class="count">1<' in page
    assert "陪老人就医" in page  # the task, and its shift to come
    assert "0 of 2 places taken" in page
    assert "Roster (Excel)" in page


def test_team_page_in_chinese(crew):
    page = text(page_client(crew.leader, language="zh-hans").get(team_url(crew)))
    for words in ("待办事项", "新建任务", "开设班次", "队员及服务时长", "信用时", "荣誉时"):
        assert words in page, words


def test_team_page_and_ledger_take_a_bounded_number_of_queries(crew):
    credit(crew, crew.members[0], 120)
    client = page_client(crew.leader)
    client.get(team_url(crew))  # the session and the language are read once
    few, response = count_queries(lambda: client.get(team_url(crew)))
    assert response.status_code == 200
    ledger_few, _response = count_queries(lambda: client.get(team_url(crew, "ledger/")))
    for n in range(6):
        person = volunteer()
        services.team_join(actor=person, team=crew.team)
        credit(crew, person, 120)
        open_shift(crew, crew.leader, days=20 + n, places=3)
        services.task_create(actor=crew.leader, team=crew.team, title=f"任务{n}", address="某地")
    enter_honour(crew)
    many, response = count_queries(lambda: client.get(team_url(crew)))
    assert response.status_code == 200
    assert many == few, (few, many)
    assert few <= 16
    ledger_many, _response = count_queries(lambda: client.get(team_url(crew, "ledger/")))
    assert ledger_many == ledger_few and ledger_few <= 10


def test_people_asking_to_join_are_accepted_or_refused(crew):
    crew.team.join_rule = "approval"
    crew.team.save()
    yes, no = volunteer(name="想加入"), volunteer(name="不合适")
    services.team_join(actor=yes, team=crew.team)
    services.team_join(actor=no, team=crew.team)
    client = page_client(crew.leader)
    page = text(client.get(team_url(crew)))
    assert "People asking to join" in page and "想加入" in page
    response = client.post(team_url(crew, f"asking/{yes.public_id}/"), {"decision": "accept"})
    assert response.status_code == 302
    assert Membership.objects.get(team=crew.team, person=yes).status == "active"
    response = client.post(
        team_url(crew, f"asking/{no.public_id}/"), {"decision": "refuse"}, follow=True
    )
    assert Membership.objects.get(team=crew.team, person=no).status == "refused"
    assert "不合适 was not accepted." in messages_of(text(response))
    # Answered already: the request is gone, the same 404 as any unknown one.
    assert client.post(team_url(crew, f"asking/{no.public_id}/")).status_code == 404


def test_excel_downloads_of_ledger_and_roster(crew):
    credit(crew, crew.members[0], 150)
    client = page_client(crew.leader)
    for name, expected in (("ledger.xlsx", "志愿者0"), ("roster.xlsx", "王队长")):
        response = client.get(team_url(crew, name))
        assert response.status_code == 200 and response["Content-Type"] == XLSX
        assert "attachment" in response["Content-Disposition"]
        book = openpyxl.load_workbook(BytesIO(response.content))
        values = [c for row in book.active.iter_rows(values_only=True) for c in row]
        assert expected in values
    assert AuditEntry.objects.filter(action="volunteers.export").count() == 2


# --- tasks and shifts -----------------------------------------------------------------------


def test_new_task_at_a_space_of_the_center_then_its_first_shift(crew):
    space = factories.SpaceFactory(center=crew.tree.xianlin_center, name="助老服务站")
    client = page_client(crew.leader)
    page = text(client.get(team_url(crew, "tasks/new/")))
    assert "助老服务站" in page
    response = client.post(
        team_url(crew, "tasks/new/"),
        {
            "title": "助老配餐",
            "description": "给独居老人送午餐",
            "skills": "骑车",
            "space": space.pk,
        },
    )
    task = Task.objects.get(title="助老配餐")
    assert task.space == space and task.skills == "骑车"
    assert response["Location"] == f"{LEAD}tasks/{task.public_id}/shifts/new/"
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(
        response["Location"], {"day": day, "start": "0900", "end": "11:30", "places": "4"}
    )
    assert response.status_code == 302
    shift = Shift.objects.get(task=task)
    assert timezone.localtime(shift.start).strftime("%H:%M") == "09:00"
    assert timezone.localtime(shift.end).strftime("%H:%M") == "11:30"
    assert shift.activity.capacity == 4
    page = text(client.get(team_url(crew)))
    assert "助老配餐" in page and "0 of 4 places taken" in page


def test_new_task_refusals_name_their_field(crew):
    factories.SpaceFactory(center=crew.tree.xianlin_center, name="助老服务站")
    client = page_client(crew.leader)
    response = client.post(team_url(crew, "tasks/new/"), {"title": "", "address": ""})
    assert response.status_code == 400
    assert field_error(text(response), "title")
    response = client.post(team_url(crew, "tasks/new/"), {"title": "送餐", "address": ""})
    assert response.status_code == 400
    assert field_error(text(response), "address") == "Choose a space or give an address."
    foreign = factories.SpaceFactory(center=crew.tree.cangqian_center)
    response = client.post(team_url(crew, "tasks/new/"), {"title": "送餐", "space": foreign.pk})
    assert response.status_code == 400 and field_error(text(response), "space")
    assert Task.objects.filter(team=crew.team).count() == 1


def test_open_a_shift_refusals_name_their_field(crew):
    client = page_client(crew.leader)
    url = f"{LEAD}tasks/{crew.task.public_id}/shifts/new/"
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    cases = [
        ({"day": "9999-12-31", "start": "09:00", "end": "10:00", "places": "2"}, "day"),
        ({"day": "1000-01-01", "start": "09:00", "end": "10:00", "places": "2"}, "day"),
        ({"day": tomorrow, "start": "25:99", "end": "10:00", "places": "2"}, "start"),
        ({"day": tomorrow, "start": "10:00", "end": "09:00", "places": "2"}, "end"),
        ({"day": tomorrow, "start": "09:00", "end": "10:00", "places": "9" * 30}, "places"),
        ({"day": tomorrow, "start": "09:00", "end": "10:00", "places": "0"}, "places"),
        ({"day": "2001-01-01", "start": "09:00", "end": "10:00", "places": "2"}, "start"),
    ]
    for data, field in cases:
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert field_error(text(response), field), (data, field)
    assert Shift.objects.filter(task=crew.task).count() == 1


def test_call_off_a_shift_with_a_reason(crew, sms_outbox, django_capture_on_commit_callbacks):
    signed_up(crew.shift, crew.members[0])
    client = page_client(crew.leader)
    url = shift_url(crew.shift, "call-off/")
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400 and field_error(text(response), "reason")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "暴雨预警"})
    assert response.status_code == 302
    crew.shift.activity.refresh_from_db()
    assert crew.shift.activity.status == "cancelled"
    assert any("暴雨预警" in message for _mobile, message in sms_outbox)
    page = text(client.get(team_url(crew)))
    assert "No shift to come" in page
    # The desk says so and offers no check-in.
    page = text(client.get(shift_url(crew.shift)))
    assert "Called off" in page and "check-in/photo/" not in page


def test_assign_a_member_then_the_waiting_list(crew, sms_outbox):
    client = page_client(crew.leader)
    url = shift_url(crew.shift, "assign/")
    page = text(client.get(url))
    assert "志愿者0" in page
    for person in crew.members[:2]:
        assert client.post(url, {"member": str(person.public_id)}).status_code == 302
    response = client.post(url, {"member": str(crew.members[2].public_id)}, follow=True)
    assert "志愿者2 is on the waiting list of the shift." in messages_of(text(response))
    statuses = {
        r.person_id: r.status for r in Registration.objects.filter(activity=crew.shift.activity)
    }
    assert list(statuses.values()).count("confirmed") == 2
    assert statuses[crew.members[2].pk] == "waitlisted"
    # The desk lists the places, then the waiting list.
    page = text(client.get(shift_url(crew.shift)))
    assert page.index("志愿者0") < page.index("志愿者1") < page.index("waiting, no. 1")
    assert page.index("waiting, no. 1") < page.index("志愿者2")


def test_assign_refuses_a_stranger_and_a_second_place(crew):
    client = page_client(crew.leader)
    url = shift_url(crew.shift, "assign/")
    response = client.post(url, {"member": str(volunteer().public_id)})
    assert response.status_code == 400
    assert field_error(text(response), "member") == "Choose a member of the team from the list."
    client.post(url, {"member": str(crew.members[0].public_id)})
    response = client.post(url, {"member": str(crew.members[0].public_id)})
    assert response.status_code == 400 and field_error(text(response), "member")
    assert Registration.objects.filter(activity=crew.shift.activity).count() == 1


# --- the shift's desk -----------------------------------------------------------------------


def test_check_in_by_short_code_then_out_with_hours_credited(crew):
    shift = running(crew.shift, started_minutes_ago=10)
    registration = signed_up(shift, crew.members[0])
    client = page_client(crew.leader)
    response = client.post(shift_url(shift, "check-in/"), {"code": registration.short_code.lower()})
    assert response.status_code == 200
    assert desk_result(text(response)) == ("ok", "✔ 志愿者0 checked in")
    again = client.post(shift_url(shift, "check-in/"), {"code": registration.short_code})
    assert desk_result(text(again))[0] == "again"
    assert CheckIn.objects.filter(registration=registration).count() == 1
    # Left near the end: the attendance covers most of the shift.
    CheckIn.objects.filter(registration=registration).update(checked_in_at=shift.start)
    Shift.objects.filter(pk=shift.pk).update(end=timezone.now() + timedelta(minutes=5))
    response = client.post(shift_url(shift, "check-out/"), {"code": registration.short_code})
    kind, said = desk_result(text(response))
    assert kind == "ok" and "h credited" in said
    entry = HoursEntry.objects.get(person=crew.members[0])
    assert entry.source == "attendance" and entry.minutes >= 10
    page = text(client.get(shift_url(shift)))
    assert "1 checked in" in page and "out" in page


def test_check_out_too_early_credits_nothing_and_says_why(crew):
    shift = running(crew.shift, started_minutes_ago=10)
    registration = signed_up(shift, crew.members[0])
    client = page_client(crew.leader)
    client.post(shift_url(shift, "check-in/"), {"code": registration.short_code})
    response = client.post(shift_url(shift, "check-out/"), {"code": registration.short_code})
    kind, said = desk_result(text(response))
    assert kind == "again" and "under 60% of the shift, no hours credited" in said
    assert not HoursEntry.objects.exists()


def test_a_shift_that_ended_keeps_its_desk_for_checking_out(crew):
    registration = signed_up(crew.shift, crew.members[0])
    shift = running(crew.shift, started_minutes_ago=200, lasting=180)  # ended 20 min ago
    checked_in_at(shift, registration, shift.start)
    client = page_client(crew.leader)
    page = text(client.get(team_url(crew)))
    assert "Shifts of the last seven days" in page and shift_url(shift) in page
    assert "No shift to come" in page
    response = client.post(shift_url(shift, "check-out/"), {"code": registration.short_code})
    kind, said = desk_result(text(response))
    assert kind == "ok" and said.startswith("✔ 志愿者0 checked out at ")
    assert said.endswith(": 3 h credited.")
    assert HoursEntry.objects.get().minutes == 180


def test_check_in_by_the_scanned_address_and_by_a_photo(crew):
    shift = running(crew.shift)
    first, second = (signed_up(shift, p) for p in crew.members[:2])
    client = page_client(crew.leader)
    response = client.post(shift_url(shift, "check-in/"), {"code": scan_address(first)})
    assert desk_result(text(response)) == ("ok", "✔ 志愿者0 checked in")
    assert CheckIn.objects.get(registration=first).method == "scan"
    response = client.post(
        shift_url(shift, "check-in/photo/"), {"photo": qr_png(scan_address(second))}
    )
    assert desk_result(text(response)) == ("ok", "✔ 志愿者1 checked in")


def test_bad_codes_and_photos_are_refused(crew, other):
    shift = running(crew.shift)
    client = page_client(crew.leader)
    response = client.post(shift_url(shift, "check-in/"), {"code": "ZZZZZZ"})
    assert response.status_code == 400
    assert desk_result(text(response)) == ("error", "No one on this shift has this code.")
    response = client.post(shift_url(shift, "check-in/"), {"code": ""})
    assert response.status_code == 400 and field_error(text(response), "code")
    response = client.post(shift_url(shift, "check-in/"), {"code": "x" * 5000})
    assert response.status_code == 400 and field_error(text(response), "code")
    # Someone waiting has no place to check in with.
    for person in crew.members:
        signed_up(shift, person)
    waiting = Registration.objects.get(activity=shift.activity, status="waitlisted")
    response = client.post(shift_url(shift, "check-in/"), {"code": waiting.short_code})
    assert desk_result(text(response))[0] == "error"
    # A code of another shift of the team is not this shift's.
    later = open_shift(crew, crew.leader, days=4)
    elsewhere = signed_up(later, crew.members[2])
    response = client.post(shift_url(shift, "check-in/"), {"code": scan_address(elsewhere)})
    assert desk_result(text(response))[0] == "error"
    response = client.post(shift_url(shift, "check-in/photo/"), {"photo": png()})
    assert desk_result(text(response))[0] == "error"
    response = client.post(shift_url(shift, "check-in/photo/"), {})
    assert desk_result(text(response)) == ("error", "Take or choose a photo of the QR code.")
    response = client.post(
        shift_url(shift, "check-out/"), {"code": Registration.objects.first().short_code}
    )
    assert desk_result(text(response))[0] == "error"
    assert not CheckIn.objects.filter(session__activity=shift.activity).exists()


def test_check_in_is_refused_outside_its_hours(crew):
    registration = signed_up(crew.shift, crew.members[0])  # tomorrow
    client = page_client(crew.leader)
    page = text(client.get(shift_url(crew.shift)))
    assert "Check-in is open from 30 minutes before the shift" in page
    response = client.post(shift_url(crew.shift, "check-in/"), {"code": registration.short_code})
    assert desk_result(text(response))[0] == "error"
    assert not CheckIn.objects.exists()


def test_the_desk_in_chinese(crew):
    shift = running(crew.shift)
    registration = signed_up(shift, crew.members[0])
    client = page_client(crew.leader, language="zh-hans")
    page = text(client.get(shift_url(shift)))
    for words in ("班次签到台", "签到", "签退", "扫描个人二维码"):
        assert words in page, words
    response = client.post(shift_url(shift, "check-in/"), {"code": registration.short_code})
    assert desk_result(text(response)) == ("ok", "✔ 志愿者0 签到成功")


# --- honour hours ---------------------------------------------------------------------------


def test_enter_honour_hours_then_a_second_leader_approves(crew):
    client = page_client(crew.leader)
    page = text(client.get(team_url(crew, "honour/new/")))
    assert 'enctype="multipart/form-data"' in page and "志愿者0" in page
    response = client.post(
        team_url(crew, "honour/new/"), honour_form(crew.members[0], hours="1.5", minutes="20")
    )
    assert response.status_code == 302
    claim = HonourClaim.objects.get()
    assert claim.minutes == 110 and claim.entered_by == crew.leader and claim.status == "pending"
    # The author sees it plainly, with no button that would fail.
    page = text(client.get(team_url(crew, "honour/")))
    assert "You entered these hours, so someone else approves them" in page
    assert f"/volunteers/lead/honour/{claim.public_id}/decide/" not in page
    # And if they post anyway, the service refuses.
    prefix = f"d{claim.public_id.hex}"
    response = client.post(
        f"{LEAD}honour/{claim.public_id}/decide/", {"decision": "approve", f"{prefix}-note": ""}
    )
    assert response.status_code == 400
    assert "Hours you entered are approved by someone else." in text(response)
    assert not HoursEntry.objects.exists()
    # The second leader approves.
    second = page_client(crew.leader2)
    page = text(second.get(team_url(crew, "honour/")))
    assert f"/volunteers/lead/honour/{claim.public_id}/decide/" in page
    response = second.post(
        f"{LEAD}honour/{claim.public_id}/decide/", {"decision": "approve"}, follow=True
    )
    assert "Approved: 1.5 honour hours for 志愿者0 are in the ledger." in messages_of(
        text(response)
    )
    entry = HoursEntry.objects.get()
    assert entry.kind == "honour" and entry.minutes == 110 and entry.entered_by == crew.leader2


def test_staff_of_the_region_approve_and_refusing_needs_a_note(crew):
    claim = enter_honour(crew)
    client = page_client(crew.staff)
    prefix = f"d{claim.public_id.hex}"
    url = f"{LEAD}honour/{claim.public_id}/decide/"
    response = client.post(url, {"decision": "refuse", f"{prefix}-note": ""})
    assert response.status_code == 400
    assert error_in(text(response), prefix, "note") == "This field is required."
    response = client.post(url, {"decision": "refuse", f"{prefix}-note": "证明材料不清楚"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "refused" and claim.decision_note == "证明材料不清楚"
    assert not HoursEntry.objects.exists()


def test_honour_refusals_name_their_field_and_save_nothing(crew):
    client = page_client(crew.leader)
    url = team_url(crew, "honour/new/")
    member = crew.members[0]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    cases = [
        (honour_form(member, evidence=None), "evidence", "Attach a photo or a PDF as evidence."),
        (honour_form(member, hours="25"), "hours", None),
        (honour_form(member, hours="20", minutes="300"), "minutes", None),
        (
            honour_form(member, hours="", minutes=""),
            "hours",
            "Give the hours, the minutes or both.",
        ),
        (honour_form(member, minutes="9" * 30, hours=""), "minutes", None),
        (honour_form(member, day=tomorrow), "day", "Give a day that has passed (or today)."),
        (honour_form(member, day="9999-12-31"), "day", None),
        (honour_form(member, reason=""), "reason", None),
        (honour_form(volunteer()), "member", "Choose a member of the team from the list."),
        (
            honour_form(member, evidence=SimpleUploadedFile("a.pdf", b"MZ not a pdf")),
            "evidence",
            "Attach photos (JPEG, PNG, WebP) or PDF documents only.",
        ),
    ]
    for data, field, message in cases:
        response = client.post(url, data)
        assert response.status_code == 400, (field, data)
        said = field_error(text(response), field)
        assert said, (field, data)
        if message:
            assert said == message, said
    assert not HonourClaim.objects.exists()
    assert files_on_disk() == []


def test_honour_over_24_hours_in_a_day_with_the_ledger_is_refused(crew):
    credit(crew, crew.members[0], 60 * 23)
    day = HoursEntry.objects.get().date.isoformat()
    response = page_client(crew.leader).post(
        team_url(crew, "honour/new/"), honour_form(crew.members[0], day=day, hours="2")
    )
    assert response.status_code == 400
    assert "more than 24 hours" in field_error(text(response), "minutes")
    assert not HonourClaim.objects.exists() and files_on_disk() == []


def test_evidence_is_served_to_leaders_and_staff_only(crew, other):
    claim = services.honour_enter(
        actor=crew.leader,
        team=crew.team,
        person=crew.members[0],
        day=timezone.localdate(),
        minutes=60,
        reason="义诊",
        evidence=png(),
    )
    url = f"{LEAD}honour/{claim.public_id}/evidence/"
    for person in (crew.leader, crew.leader2, crew.staff):
        response = page_client(person).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    for person in (crew.members[0], other[1]):
        assert page_client(person).get(url).status_code == 404
    claim = enter_honour(crew)
    response = page_client(crew.leader2).get(f"{LEAD}honour/{claim.public_id}/evidence/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_honour_pages_in_chinese(crew):
    enter_honour(crew, by=crew.leader2)
    client = page_client(crew.leader, language="zh-hans")
    page = text(client.get(team_url(crew, "honour/")))
    assert "待审批的荣誉时" in page and "通过" in page and "不予批准" in page
    page = text(client.get(team_url(crew, "honour/new/")))
    assert "录入荣誉时" in page and "证明材料" in page


# --- corrections, missed check-outs, the ledger ---------------------------------------------


def test_a_correction_request_accepted_and_one_refused(crew):
    first = credit(crew, crew.members[0], 120)
    second = credit(crew, crew.members[1], 120)
    yes = services.correction_request(
        actor=crew.members[0], entry=first, minutes=150, message="我一直待到结束"
    )
    no = services.correction_request(
        actor=crew.members[1], entry=second, minutes=300, message="应该更多"
    )
    client = page_client(crew.leader)
    page = text(client.get(team_url(crew, "corrections/")))
    assert "我一直待到结束" in page and "150 min" in page
    response = client.post(f"{LEAD}corrections/{yes.public_id}/answer/", {"decision": "accept"})
    assert response.status_code == 302
    yes.refresh_from_db()
    assert yes.status == "accepted"
    assert HoursEntry.objects.filter(replaces=first, minutes=150).exists()
    prefix = f"d{no.public_id.hex}"
    url = f"{LEAD}corrections/{no.public_id}/answer/"
    response = client.post(url, {"decision": "refuse"})
    assert response.status_code == 400
    assert error_in(text(response), prefix, "note") == "This field is required."
    client.post(url, {"decision": "refuse", f"{prefix}-note": "签到记录显示只有两小时"})
    no.refresh_from_db()
    assert no.status == "refused" and no.answer == "签到记录显示只有两小时"
    assert not CorrectionRequest.objects.filter(status="open").exists()


def test_missed_check_outs_confirmed_at_the_end_or_at_a_time(crew):
    first, second = (signed_up(crew.shift, p) for p in crew.members[:2])
    shift = running(crew.shift, started_minutes_ago=200, lasting=180)  # ended 20 min ago
    checked_in_at(shift, first, shift.start)
    checked_in_at(shift, second, shift.start)
    services.shift_close(shift=shift)
    assert MissedCheckOut.objects.count() == 2
    client = page_client(crew.leader)
    page = text(client.get(team_url(crew)))
    assert "Missed check-outs" in page
    page = text(client.get(team_url(crew, "missed/")))
    assert "志愿者0" in page and "志愿者1" in page
    response = client.post(f"{LEAD}missed/{first.public_id}/confirm/")
    assert response.status_code == 302
    assert HoursEntry.objects.get(person=crew.members[0]).minutes == 180
    prefix = f"m{CheckIn.objects.get(registration=second).pk}"
    url = f"{LEAD}missed/{second.public_id}/confirm/"
    response = client.post(url, {f"{prefix}-left": "99:99"})
    assert response.status_code == 400 and error_in(text(response), prefix, "left")
    too_late = timezone.localtime(shift.end + timedelta(minutes=10)).strftime("%H:%M")
    response = client.post(url, {f"{prefix}-left": too_late})
    assert response.status_code == 400
    assert "between the check-in and the end" in error_in(text(response), prefix, "left")
    left = timezone.localtime(shift.start + timedelta(minutes=150)).strftime("%H:%M")
    response = client.post(url, {f"{prefix}-left": left}, follow=True)
    assert "Confirmed: 2.5 h credited to 志愿者1." in messages_of(text(response))
    entry = HoursEntry.objects.get(person=crew.members[1])
    assert entry.minutes == 150 and entry.source == "missed_check_out"
    assert client.post(url).status_code == 400  # confirmed already


def test_the_ledger_says_where_every_line_came_from_and_a_leader_corrects_one(crew):
    first = credit(crew, crew.members[0], 120)
    claim = enter_honour(crew, crew.members[1])
    services.honour_decide(actor=crew.leader2, claim=claim, approve=True)
    client = page_client(crew.leader)
    url = f"{LEAD}entries/{first.public_id}/correct/"
    page = text(client.get(url))
    assert f"Correct line #{first.pk}" in page
    response = client.post(url, {"minutes": "abc", "reason": ""})
    assert response.status_code == 400
    assert field_error(text(response), "minutes") and field_error(text(response), "reason")
    response = client.post(url, {"minutes": "90", "reason": "提前离开"})
    assert response.status_code == 302
    page = text(client.get(team_url(crew, "ledger/")))
    assert "Check-in" in page
    assert "Honour hours entered by 王队长, approved by 李副队: 敬老院义演" in page
    assert f"Reversal of #{first.pk} by 王队长: 提前离开" in page
    assert f"Correction of #{first.pk} by 王队长: 提前离开" in page
    # Newest first: the correction above the line it corrects; a corrected line and a
    # reversal offer no second correction.
    assert page.index(f"Correction of #{first.pk}") < page.index(f'id="entry-{first.pk}"')
    assert f"/entries/{first.public_id}/correct/" not in page
    response = client.post(url, {"minutes": "60", "reason": "再改"})
    assert response.status_code == 400
    assert "This entry was corrected already." in text(response)


def test_the_ledger_is_paginated(crew):
    for _n in range(31):
        credit(crew, crew.members[0], 60)
    client = page_client(crew.leader)
    page = text(client.get(team_url(crew, "ledger/")))
    assert "1 / 2" in page and page.count('id="entry-') == 30
    page = text(client.get(team_url(crew, "ledger/"), {"page": "2"}))
    assert page.count('id="entry-') == 1
    for bad in ("x", "9" * 30, "-1"):
        assert client.get(team_url(crew, "ledger/"), {"page": bad}).status_code == 200


def test_ledger_and_corrections_in_chinese(crew):
    entry = credit(crew, crew.members[0], 120)
    services.correction_request(actor=crew.members[0], entry=entry, minutes=150, message="晚走")
    client = page_client(crew.leader, language="zh-hans")
    page = text(client.get(team_url(crew, "ledger/")))
    assert "服务时长台账" in page and "更正" in page
    page = text(client.get(team_url(crew, "corrections/")))
    assert "更正申请" in page and "同意并更正" in page


# --- the service fix: nothing half-saved ----------------------------------------------------


class DiskFull(SimpleUploadedFile):
    """An upload that passes every check but cannot be written: the disk fills up."""

    def chunks(self, chunk_size=None):
        yield self.read(8)
        raise OSError(28, "No space left on device")


def test_honour_evidence_failing_half_way_leaves_no_file(crew):
    full = DiskFull("proof.pdf", b"%PDF-1.7\n" + b"0" * 64 + b"\n%%EOF\n", "application/pdf")
    with pytest.raises(OSError):
        services.honour_enter(
            actor=crew.leader,
            team=crew.team,
            person=crew.members[0],
            day=timezone.localdate(),
            minutes=60,
            reason="义诊",
            evidence=full,
        )
    assert not HonourClaim.objects.exists() and files_on_disk() == []
    # The same entry with a file that can be written is kept: the check above can fail.
    enter_honour(crew)
    assert len(files_on_disk()) == 1


def test_honour_refused_by_the_service_after_the_form_leaves_no_file(crew):
    with pytest.raises(ValidationFailed):
        services.honour_enter(
            actor=crew.leader,
            team=crew.team,
            person=volunteer(),  # not a member
            day=timezone.localdate(),
            minutes=60,
            reason="义诊",
            evidence=pdf(),
        )
    assert files_on_disk() == []


# --- any input: a page answers with itself and its messages, never a server error -----------

NASTY = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["", "\x00", "a\x01b", "\ud800", "9999-12-31", "0001-01-01", "9" * 30, "-9" * 15,
         "\u200b\u200b", "x" * 5000, "25:99", "2.55", "-1"]
    ),
)  # fmt: skip
RUNS = hypothesis_settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _encodable(data: dict) -> dict:
    return {
        k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for k, v in data.items()
    }


def _posted(client, url: str, data: dict, *, shown: str, form_page: bool = True) -> None:
    response = client.post(url, _encodable(data))
    assert response.status_code < 500, (url, data, response.status_code)
    for page in (shown, url) if form_page else (shown,):
        again = client.get(page)
        assert again.status_code == 200, (page, "shown again", again.status_code)


@RUNS
@given(
    data=st.fixed_dictionaries(dict.fromkeys(["title", "description", "skills", "address"], NASTY))
)
def test_the_task_form_takes_anything(crew, data):
    _posted(page_client(crew.leader), team_url(crew, "tasks/new/"), data, shown=team_url(crew))


@RUNS
@given(data=st.fixed_dictionaries(dict.fromkeys(["day", "start", "end", "places"], NASTY)))
def test_the_shift_form_takes_anything(crew, data):
    url = f"{LEAD}tasks/{crew.task.public_id}/shifts/new/"
    _posted(page_client(crew.leader), url, data, shown=team_url(crew))


@RUNS
@given(data=st.fixed_dictionaries(dict.fromkeys(["day", "hours", "minutes", "reason"], NASTY)))
def test_the_honour_form_takes_anything(crew, data):
    data = {**data, "member": str(crew.members[0].public_id)}
    client = page_client(crew.leader)
    response = client.post(team_url(crew, "honour/new/"), {**_encodable(data), "evidence": pdf()})
    assert response.status_code < 500, (data, response.status_code)
    assert client.get(team_url(crew, "honour/")).status_code == 200


@RUNS
@given(code=NASTY, reason=NASTY)
def test_the_desk_and_call_off_take_anything(crew, code, reason):
    client = page_client(crew.leader)
    for action in ("check-in/", "check-out/"):
        url = shift_url(crew.shift, action)
        _posted(client, url, {"code": code}, shown=shift_url(crew.shift), form_page=False)
    _posted(client, shift_url(crew.shift, "call-off/"), {"reason": reason}, shown=team_url(crew))


@RUNS
@given(minutes=NASTY, reason=NASTY, note=NASTY)
def test_corrections_and_decisions_take_anything(crew, minutes, reason, note):
    entry = HoursEntry.objects.filter(minutes__gt=0, reversed_by__isnull=True).first() or credit(
        crew, crew.members[0], 120
    )
    client = page_client(crew.leader)
    _posted(
        client,
        f"{LEAD}entries/{entry.public_id}/correct/",
        {"minutes": minutes, "reason": reason},
        shown=team_url(crew, "ledger/"),
    )
    claim = HonourClaim.objects.filter(status="pending").first() or enter_honour(
        crew, by=crew.leader2
    )
    response = client.post(
        f"{LEAD}honour/{claim.public_id}/decide/",
        _encodable({"decision": "refuse", f"d{claim.public_id.hex}-note": note}),
    )
    assert response.status_code < 500
    assert client.get(team_url(crew, "honour/")).status_code == 200
