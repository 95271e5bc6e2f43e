"""The team leader's API over HTTP (/api/v1/volunteers/lead/): the teams I lead, the roster
(hours, masked mobile numbers), people asking to join, tasks, shifts and their desk (check
in and out by short code, close, call off, assign), honour hours (multipart evidence, a
second person approves), corrections, missed check-outs, the ledger, a leader's own
correction and the Excel files. Refusals are {code, message, field} naming the field; a
member, a stranger and another team's leader get 404; a visitor 401; a session without
its CSRF token 403."""

import uuid
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

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
from tests import clients, factories
from tests.clients import error

from .conftest import volunteer
from .test_lead_pages import (
    PDF,
    XLSX,
    checked_in_at,
    credit,
    enter_honour,
    png,
    running,
    signed_up,
)

pytestmark = pytest.mark.django_db

BASE = "/volunteers/lead"


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # evidence files: each test its own folder


def Api(person=None, **kwargs):  # noqa: N802 (the shared client, here)
    return clients.Api(person, base=BASE, **kwargs)


def ok(response, status: int = 200):
    assert response.status_code == status, response.content
    return response.json()


def pdf(name: str = "proof.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def honour_data(person, **changes) -> dict:
    data = {
        "person": str(person.public_id),
        "date": timezone.localdate().isoformat(),
        "minutes": "150",
        "reason": "社区防汛值守",
        "evidence": pdf(),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def other(district):
    """A second team (of the Cangqian center) with its own leader."""
    staff = factories.staff("street_admin", district.cangqian)
    team = services.team_create(actor=staff, name="仓前骑手志愿队", center=district.cangqian_center)
    leader = volunteer(name="赵队长")
    services.team_join(actor=leader, team=team)
    services.leader_set(actor=staff, team=team, person=leader)
    return team, leader


# --- teams, roster, people asking to join ---------------------------------------------------


def test_my_teams_and_the_roster_with_hours_and_masked_mobiles(crew):
    credit(crew, crew.members[1], 150)
    api = Api(crew.leader)
    teams = ok(api.get("/teams"))
    assert [t["public_id"] for t in teams] == [str(crew.team.public_id)]
    assert teams[0]["members"] == 5 and teams[0]["center"] == crew.tree.xianlin_center.slug
    roster = ok(api.get(f"/teams/{crew.team.public_id}/roster"))
    people = [r["person"]["public_id"] for r in roster]
    assert people == [str(p.public_id) for p in (crew.leader, crew.leader2, *crew.members)]
    row = roster[people.index(str(crew.members[1].public_id))]
    assert row["credit_minutes"] == 150 and row["credit_hours"] == 2.5
    assert row["role"] == "member" and row["stars"] == 0
    assert row["person"]["mobile"] == crew.members[1].masked_mobile
    assert (
        crew.members[1].mobile
        not in api.get(f"/teams/{crew.team.public_id}/roster").content.decode()
    )


def test_people_asking_to_join_and_the_decision(crew):
    crew.team.join_rule = "approval"
    crew.team.save()
    joiner, other = volunteer(name="新人"), volunteer(name="另一位")
    services.team_join(actor=joiner, team=crew.team)
    services.team_join(actor=other, team=crew.team)
    api = Api(crew.leader, token=True)
    asking = ok(api.get(f"/teams/{crew.team.public_id}/asking"))
    assert [a["person"]["public_id"] for a in asking] == [
        str(joiner.public_id),
        str(other.public_id),
    ]
    url = f"/teams/{crew.team.public_id}/asking/{joiner.public_id}/decision"
    done = ok(api.post(url, {"approve": True}))
    assert done["status"] == "active" and done["person"]["name"] == "新人"
    refused = ok(
        api.post(
            f"/teams/{crew.team.public_id}/asking/{other.public_id}/decision", {"approve": False}
        )
    )
    assert refused["status"] == "refused"
    # Decided already: no longer asking, the same 404 as an unknown person.
    error(api.post(url, {"approve": True}), 404)
    error(
        api.post(f"/teams/{crew.team.public_id}/asking/{uuid.uuid4()}/decision", {"approve": True}),
        404,
    )
    assert AuditEntry.objects.filter(action="volunteer_team.decide").count() == 2


# --- tasks and shifts -------------------------------------------------------------------------


def test_tasks_where_and_refusals_naming_the_field(crew):
    api = Api(crew.leader)
    url = f"/teams/{crew.team.public_id}/tasks"
    space = factories.SpaceFactory(center=crew.tree.xianlin_center)
    elsewhere = factories.SpaceFactory(center=crew.tree.cangqian_center)
    made = ok(api.post(url, {"title": "助老理发", "space": space.pk, "skills": "理发"}), 201)
    assert made["venue"] == "space" and made["space"] == space.pk and made["skills"] == "理发"
    outside = ok(api.post(url, {"title": "上门探访", "address": "闲林街道某小区3幢"}), 201)
    assert outside["venue"] == "address" and outside["center"] == crew.tree.xianlin_center.slug
    assert error(api.post(url, {"title": "别处", "space": elsewhere.pk}), 400)["field"] == "space"
    assert error(api.post(url, {"title": "无处"}), 400)["field"] == "address"
    assert error(api.post(url, {"title": " ", "address": "某处"}), 422)["field"] == "title"
    titles = [t["title"] for t in ok(api.get(url))]
    assert {"助老理发", "上门探访", "陪老人就医"} <= set(titles)


def test_open_list_and_assign_shifts(crew):
    api = Api(crew.leader)
    start = (timezone.localtime() + timedelta(days=2)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    url = f"/tasks/{crew.task.public_id}/shifts"
    shift = ok(
        api.post(
            url,
            {
                "start": start.isoformat(),
                "end": (start + timedelta(hours=2)).isoformat(),
                "places": 1,
            },
        ),
        201,
    )
    assert shift["places"] == 1 and shift["taken"] == 0 and shift["status"] == "published"
    backwards = api.post(url, {"start": start.isoformat(), "end": start.isoformat(), "places": 1})
    assert error(backwards, 400)["field"] == "end"
    assert (
        error(
            api.post(url, {"start": start.isoformat(), "end": start.isoformat(), "places": 0}), 422
        )["field"]
        == "places"
    )
    assign = f"/shifts/{shift['public_id']}/assignments"
    first = ok(api.post(assign, {"person": str(crew.members[0].public_id)}), 201)
    assert first["status"] == "confirmed"
    second = ok(api.post(assign, {"person": str(crew.members[1].public_id)}), 201)
    assert second["status"] == "waitlisted"
    stranger = volunteer()
    assert error(api.post(assign, {"person": str(stranger.public_id)}), 400)["field"] == "person"
    listed = {s["public_id"]: s for s in ok(api.get(f"/teams/{crew.team.public_id}/shifts"))}
    assert listed[shift["public_id"]]["taken"] == 1 and listed[shift["public_id"]]["waiting"] == 1
    assert str(crew.shift.public_id) in listed
    desk = ok(api.get(f"/shifts/{shift['public_id']}"))
    assert [(p["person"]["public_id"], p["line"]) for p in desk["people"]] == [
        (str(crew.members[0].public_id), None),
        (str(crew.members[1].public_id), 1),
    ]


def test_the_desk_checks_in_and_out_by_short_code(crew):
    registration = signed_up(crew.shift, crew.members[0])
    shift = running(crew.shift, started_minutes_ago=10, lasting=180)
    api = Api(crew.leader2)
    url = f"/shifts/{shift.public_id}"
    first = ok(api.post(f"{url}/check-ins", {"code": registration.short_code}), 201)
    assert first["created"] and first["person"]["public_id"] == str(crew.members[0].public_id)
    again = ok(api.post(f"{url}/check-ins", {"code": registration.short_code.lower()}), 200)
    assert again["created"] is False
    assert error(api.post(f"{url}/check-ins", {"code": "ZZZZZZ"}), 400)["field"] == "code"
    assert error(api.post(f"{url}/check-ins", {"code": ""}), 422)["field"] == "code"
    desk = ok(api.get(url))
    assert desk["check_in_open"] and desk["people"][0]["checked_in_at"]
    # Ten minutes is under the minimum share of a three-hour shift: no hours.
    out = ok(api.post(f"{url}/check-outs", {"code": registration.short_code}))
    assert out["checked_out_at"] and out["credited_minutes"] is None
    assert AuditEntry.objects.filter(action="volunteer_shift.check_out").count() == 1
    stranger = signed_up(crew.shift, crew.members[1])
    assert (
        error(api.post(f"{url}/check-outs", {"code": stranger.short_code}), 400)["field"] == "code"
    )


def test_check_out_credits_hours(crew):
    registration = signed_up(crew.shift, crew.members[0])
    shift = running(crew.shift, started_minutes_ago=100, lasting=90)
    checked_in_at(shift, registration, shift.start)
    out = ok(
        Api(crew.leader).post(
            f"/shifts/{shift.public_id}/check-outs", {"code": registration.short_code}
        )
    )
    assert out["credited_minutes"] == 90
    assert HoursEntry.objects.get(person=crew.members[0]).minutes == 90


def test_close_an_ended_shift_and_confirm_the_missed_check_out(crew):
    registration = signed_up(crew.shift, crew.members[0])
    api = Api(crew.leader)
    url = f"/shifts/{crew.shift.public_id}/close"
    assert error(api.post(url), 400)["field"] == "shift"  # not ended yet
    shift = running(crew.shift, started_minutes_ago=200, lasting=180)
    checked_in_at(shift, registration, shift.start)
    closed = ok(api.post(url))
    assert closed["missed_check_outs"] == 1 and closed["shift"]["closed"]
    assert error(api.post(url), 400)["field"] == "status"  # closed once
    missed = ok(api.get(f"/teams/{crew.team.public_id}/missed"))
    assert [m["registration"] for m in missed] == [str(registration.public_id)]
    confirm = f"/missed/{registration.public_id}/confirm"
    late = (shift.end + timedelta(minutes=5)).isoformat()
    assert error(api.post(confirm, {"left": late}), 400)["field"] == "left"
    left = (shift.start + timedelta(minutes=150)).isoformat()
    assert ok(api.post(confirm, {"left": left}))["credited_minutes"] == 150
    assert error(api.post(confirm, {}), 400)["field"] == "status"
    assert MissedCheckOut.objects.get().status == "confirmed"
    assert AuditEntry.objects.filter(action="volunteer_shift.close").count() == 1
    error(api.post(f"/missed/{uuid.uuid4()}/confirm", {}), 404)


def test_call_off_a_shift_with_a_reason(crew):
    api = Api(crew.leader)
    url = f"/shifts/{crew.shift.public_id}/call-off"
    assert error(api.post(url, {"reason": ""}), 422)["field"] == "reason"
    assert ok(api.post(url, {"reason": "暴雨预警"}))["status"] == "cancelled"


# --- honour hours -----------------------------------------------------------------------------


def test_honour_hours_with_evidence_approved_by_a_second_person(crew):
    leader, second = Api(crew.leader), Api(crew.leader2)
    url = f"/teams/{crew.team.public_id}/honour"
    made = ok(leader.post_multipart(url, honour_data(crew.members[0])), 201)
    assert (
        made["minutes"] == 150
        and made["hours"] == 2.5
        and made["evidence_type"] == "application/pdf"
    )
    assert made["status"] == "pending" and made["entered_by"]["public_id"] == str(
        crew.leader.public_id
    )
    waiting = ok(leader.get(url))
    assert [(c["public_id"], c["may_decide"]) for c in waiting] == [(made["public_id"], False)]
    assert ok(second.get(url))[0]["may_decide"] is True
    decide = f"/honour/{made['public_id']}/decision"
    own = error(leader.post(decide, {"approve": True}), 400)
    assert own["field"] == "approval" and "someone else" in own["message"]
    evidence = leader.get(f"/honour/{made['public_id']}/evidence")
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == PDF
    approved = ok(second.post(decide, {"approve": True}))
    assert approved["status"] == "approved"
    assert HoursEntry.objects.get(honour__public_id=made["public_id"]).minutes == 150
    assert error(second.post(decide, {"approve": False, "note": "重复"}), 400)["field"] == "status"
    photo = ok(leader.post_multipart(url, honour_data(crew.members[1], evidence=png())), 201)
    refused = second.post(f"/honour/{photo['public_id']}/decision", {"approve": False})
    assert error(refused, 400)["field"] == "note"  # a refusal says why
    done = ok(
        second.post(
            f"/honour/{photo['public_id']}/decision", {"approve": False, "note": "证明不清"}
        )
    )
    assert done["status"] == "refused" and done["decision_note"] == "证明不清"


def test_honour_refusals_name_the_field_and_keep_nothing(crew):
    api = Api(crew.leader)
    url = f"/teams/{crew.team.public_id}/honour"
    member = crew.members[0]
    assert (
        error(api.post_multipart(url, honour_data(member, evidence=None)), 400)["field"]
        == "evidence"
    )
    disguised = SimpleUploadedFile("proof.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    assert (
        error(api.post_multipart(url, honour_data(member, evidence=disguised)), 400)["field"]
        == "evidence"
    )
    assert error(api.post_multipart(url, honour_data(volunteer())), 400)["field"] == "person"
    assert (
        error(api.post_multipart(url, honour_data(member, minutes="0")), 400)["field"] == "minutes"
    )
    assert (
        error(api.post_multipart(url, honour_data(member, minutes="1441")), 422)["field"]
        == "minutes"
    )
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert error(api.post_multipart(url, honour_data(member, date=future)), 400)["field"] == "date"
    assert error(api.post_multipart(url, honour_data(member, reason="")), 422)["field"] == "reason"
    # Over 24 hours in one day, counting what the ledger holds already.
    claim = enter_honour(crew, member, minutes=1000)
    services.honour_decide(actor=crew.leader2, claim=claim, approve=True)
    over = error(api.post_multipart(url, honour_data(member, minutes="500")), 400)
    assert over["field"] == "minutes" and "24 hours" in over["message"]
    assert HonourClaim.objects.count() == 1


def test_honour_messages_in_the_users_language(crew):
    api = Api(crew.leader, language="zh-hans")
    url = f"/teams/{crew.team.public_id}/honour"
    refused = error(api.post_multipart(url, honour_data(crew.members[0], evidence=None)), 400)
    assert refused["field"] == "evidence" and "evidence" not in refused["message"]


# --- corrections, the ledger, a leader's correction --------------------------------------------


def test_correction_requests_and_the_answer(crew):
    entry = credit(crew, crew.members[1], 150)
    asked = services.correction_request(
        actor=crew.members[1], entry=entry, minutes=180, message="我待到了最后"
    )
    api = Api(crew.leader)
    listed = ok(api.get(f"/teams/{crew.team.public_id}/corrections"))
    assert [(c["public_id"], c["minutes"], c["entry"]["minutes"]) for c in listed] == [
        (str(asked.public_id), 180, 150)
    ]
    url = f"/corrections/{asked.public_id}/answer"
    assert error(api.post(url, {"accept": False}), 400)["field"] == "answer"
    answered = ok(api.post(url, {"accept": True}))
    assert answered["status"] == "accepted"
    assert sorted(
        HoursEntry.objects.filter(person=crew.members[1]).values_list("minutes", flat=True)
    ) == [-150, 150, 180]
    assert error(api.post(url, {"accept": True}), 400)["field"] == "status"
    assert CorrectionRequest.objects.get().status == "accepted"


def test_the_ledger_and_a_leaders_correction(crew):
    entry = credit(crew, crew.members[0], 120)
    api = Api(crew.leader)
    lines = ok(api.get(f"/teams/{crew.team.public_id}/ledger"))
    assert [(line["public_id"], line["minutes"], line["source"]) for line in lines] == [
        (str(entry.public_id), 120, "attendance")
    ]
    url = f"/entries/{entry.public_id}/correction"
    assert error(api.post(url, {"minutes": 90, "reason": ""}), 422)["field"] == "reason"
    fixed = ok(api.post(url, {"minutes": 90, "reason": "提前离开"}), 201)
    assert fixed["replacement"]["minutes"] == 90 and fixed["replacement"]["reason"] == "提前离开"
    assert error(api.post(url, {"minutes": 60, "reason": "再改"}), 400)["field"] == "entry"
    gone = ok(
        api.post(
            f"/entries/{fixed['replacement']['public_id']}/correction",
            {"minutes": 0, "reason": "未到"},
        ),
        201,
    )
    assert gone["replacement"] is None
    assert (
        sum(HoursEntry.objects.filter(person=crew.members[0]).values_list("minutes", flat=True))
        == 0
    )
    assert len(ok(api.get(f"/teams/{crew.team.public_id}/ledger", {"limit": 2}))) == 2


def test_excel_of_the_ledger_and_the_roster(crew):
    credit(crew, crew.members[0], 120)
    api = Api(crew.leader)
    for what, name in (("ledger", "志愿者0"), ("roster", "志愿者0")):
        response = api.get(f"/teams/{crew.team.public_id}/{what}.xlsx")
        assert response.status_code == 200 and response["Content-Type"] == XLSX
        sheet = load_workbook(BytesIO(response.content)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert any(name in row for row in rows[1:]), (what, rows)
    ledger = load_workbook(
        BytesIO(api.get(f"/teams/{crew.team.public_id}/ledger.xlsx").content)
    ).active
    row = list(ledger.iter_rows(values_only=True))[1]
    assert row[1] == "志愿者0" and row[6] == 120 and row[2] == crew.members[0].masked_mobile
    assert AuditEntry.objects.filter(action="volunteers.export").count() == 3


# --- who may ----------------------------------------------------------------------------------


def every_address(crew) -> list[tuple[str, str, dict]]:
    claim = enter_honour(crew)
    entry = credit(crew, crew.members[1], 150)
    asked = services.correction_request(
        actor=crew.members[1], entry=entry, minutes=180, message="我待到了最后"
    )
    joiner = volunteer()
    crew.team.join_rule = "approval"
    crew.team.save()
    services.team_join(actor=joiner, team=crew.team)
    registration = signed_up(crew.shift, crew.members[2])
    team, shift = f"/teams/{crew.team.public_id}", f"/shifts/{crew.shift.public_id}"
    start = timezone.localtime() + timedelta(days=3)
    return [
        ("get", f"{team}/roster", {}),
        ("get", f"{team}/asking", {}),
        ("post", f"{team}/asking/{joiner.public_id}/decision", {"approve": True}),
        ("get", f"{team}/tasks", {}),
        ("post", f"{team}/tasks", {"title": "越权", "address": "某处"}),
        ("get", f"{team}/shifts", {}),
        (
            "post",
            f"/tasks/{crew.task.public_id}/shifts",
            {
                "start": start.isoformat(),
                "end": (start + timedelta(hours=1)).isoformat(),
                "places": 1,
            },
        ),
        ("get", shift, {}),
        ("post", f"{shift}/assignments", {"person": str(crew.members[0].public_id)}),
        ("post", f"{shift}/check-ins", {"code": registration.short_code}),
        ("post", f"{shift}/check-outs", {"code": registration.short_code}),
        ("post", f"{shift}/close", {}),
        ("post", f"{shift}/call-off", {"reason": "越权"}),
        ("get", f"{team}/honour", {}),
        ("post", f"/honour/{claim.public_id}/decision", {"approve": True}),
        ("get", f"/honour/{claim.public_id}/evidence", {}),
        ("get", f"{team}/corrections", {}),
        ("post", f"/corrections/{asked.public_id}/answer", {"accept": True}),
        ("get", f"{team}/missed", {}),
        ("post", f"/missed/{registration.public_id}/confirm", {}),
        ("get", f"{team}/ledger", {}),
        ("post", f"/entries/{entry.public_id}/correction", {"minutes": 1, "reason": "越权"}),
        ("get", f"{team}/ledger.xlsx", {}),
        ("get", f"{team}/roster.xlsx", {}),
    ]


def _call(api, method, url, data):
    return api.get(url) if method == "get" else api.post(url, data)


def test_a_member_a_stranger_and_another_teams_leader_get_404(crew, other):
    addresses = every_address(crew)
    _team, other_leader = other
    for who in (
        crew.members[0],
        volunteer(),
        other_leader,
        factories.staff("center_staff", crew.tree.cangqian, crew.tree.cangqian_center),
    ):
        api = Api(who)
        for method, url, data in addresses:
            assert error(_call(api, method, url, data), 404)["code"] == "not_found", (who, url)
    assert not Task.objects.exclude(pk=crew.task.pk).exists()
    assert HonourClaim.objects.filter(status="pending").count() == 1
    assert Membership.objects.filter(status="pending").count() == 1
    assert ok(Api(crew.members[0]).get("/teams")) == []
    # The team's street staff may do what its leaders do.
    assert ok(Api(crew.staff).get(f"/teams/{crew.team.public_id}/roster"))


def test_a_visitor_gets_401_and_a_session_without_csrf_403(crew):
    addresses = every_address(crew)
    visitor = Api()
    for method, url, data in addresses:
        assert error(_call(visitor, method, url, data), 401)["code"] == "unauthenticated", url
    error(visitor.get("/teams"), 401)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(crew.leader, backend=clients.BACKEND)
    refused = browser.post(
        f"/api/v1{BASE}/teams/{crew.team.public_id}/tasks",
        {"title": "无令牌", "address": "某处"},
        content_type="application/json",
    )
    assert error(refused, 403)["code"] == "forbidden"
    assert browser.get(f"/api/v1{BASE}/teams/{crew.team.public_id}/roster").status_code == 200


def test_unknown_ids_are_404_never_500(crew):
    api = Api(crew.leader)
    for bad in (str(uuid.uuid4()), "not-a-uuid", "1"):
        error(api.get(f"/teams/{bad}/roster"), 404)
        error(api.get(f"/shifts/{bad}"), 404)
        error(
            api.post(
                f"/tasks/{bad}/shifts",
                {
                    "start": "2030-01-01T09:00:00+08:00",
                    "end": "2030-01-01T10:00:00+08:00",
                    "places": 1,
                },
            ),
            404,
        )
        error(api.post(f"/honour/{bad}/decision", {"approve": True}), 404)
        error(api.get(f"/honour/{bad}/evidence"), 404)
        error(api.post(f"/corrections/{bad}/answer", {"accept": True}), 404)
        error(api.post(f"/missed/{bad}/confirm", {}), 404)
        error(api.post(f"/entries/{bad}/correction", {"minutes": 1, "reason": "x"}), 404)
    assert (
        error(api.post(f"/shifts/{crew.shift.public_id}/assignments", {"person": "x"}), 422)[
            "field"
        ]
        == "person"
    )


def test_the_document_lists_the_leaders_endpoints(crew):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/volunteers/lead/teams",
        "/api/v1/volunteers/lead/teams/{public_id}/roster",
        "/api/v1/volunteers/lead/shifts/{public_id}/check-ins",
        "/api/v1/volunteers/lead/teams/{public_id}/honour",
        "/api/v1/volunteers/lead/teams/{public_id}/ledger.xlsx",
    ):
        assert path in paths, path
    honour = paths["/api/v1/volunteers/lead/teams/{public_id}/honour"]["post"]
    assert "multipart/form-data" in honour["requestBody"]["content"]
    assert Shift.objects.exists()


def test_lists_cost_the_same_queries_however_many_rows(crew):
    """No query per row: the leader's lists with one row, then with more."""
    api = Api(crew.leader2)
    team = f"/teams/{crew.team.public_id}"
    lists = [
        f"{team}/roster",
        f"{team}/honour",
        f"{team}/ledger",
        f"{team}/shifts",
        f"{team}/tasks",
    ]
    lists += [f"{team}/corrections", "/teams"]

    def counts():
        return [clients.count_queries(lambda url=url: ok(api.get(url)))[0] for url in lists]

    def add_rows():
        person = crew.members[len(HonourClaim.objects.all()) % 3]
        enter_honour(crew, person)
        entry = credit(crew, person, 120)
        services.correction_request(actor=person, entry=entry, minutes=150, message="多待了")
        services.task_create(actor=crew.leader, team=crew.team, title="新任务", address="某处")

    add_rows()
    few = counts()
    add_rows()
    add_rows()
    assert counts() == few
