"""The volunteer's API over HTTP (/api/v1/volunteers/), signed in with a Bearer token (an
app) or a session (with its CSRF token): teams (list, detail, join, leave, mine), shifts
(a team's and my teams' open shifts, a shift, signing up, the waiting list, cancelling
before the cut-off, handing a place over and answering, checking out), my volunteering
(hours by kind and month, stars, points, the ledger with corrections, certificates) and
the public check of a certificate. Refusals are {code, message, field}; unknown and
others' ids are 404; the calls run the services the pages run (audited there)."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dangqun.activities import services as activity_services
from dangqun.activities.models import CheckIn, Registration
from dangqun.core.models import AuditEntry
from dangqun.people.models import PersonTag
from dangqun.volunteers import services
from dangqun.volunteers.models import (
    Certificate,
    CorrectionRequest,
    HoursEntry,
    Membership,
    SwapOffer,
    Team,
)
from tests import factories
from tests.clients import Api, count_queries, error

from .conftest import SHIFT_DAYS, open_shift, volunteer
from .test_pages import credit_hours, move, riders_team, shift_soon

pytestmark = pytest.mark.django_db

BASE = "/volunteers"


def api(person=None, **kwargs) -> Api:
    return Api(person, base=BASE, token=person is not None, **kwargs)


def audited(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


# --- teams ----------------------------------------------------------------------------------


def test_the_teams_riders_first_with_their_members_and_hours(crew):
    riders = riders_team(crew)
    credit_hours(crew, crew.members[0], minutes=100)
    answer = api().get("/teams")
    assert answer.status_code == 200, answer.content
    teams = answer.json()
    assert [t["name"] for t in teams] == [riders.name, crew.team.name]
    mine = teams[1]
    assert mine["public_id"] == str(crew.team.public_id)
    assert mine["name_en"] == "Xianlin elder-help team"
    assert mine["center"] == crew.tree.xianlin_center.slug
    assert mine["center_name"] and mine["region"]
    assert mine["join_rule"] == "open" and mine["requires_verified"] is False
    assert mine["members"] == 5  # two leaders and three members
    assert mine["hours"] == 1.5  # 100 minutes, in half hours rounded down
    assert teams[0]["is_riders_team"] is True and teams[0]["hours"] == 0


def test_the_teams_of_a_street_and_an_unknown_street(crew):
    riders_team(crew)
    of_xianlin = api().get("/teams", {"region": crew.tree.xianlin.pk}).json()
    assert [t["name"] for t in of_xianlin] == [crew.team.name]
    assert error(api().get("/teams", {"region": 999_999}), 404)["code"] == "not_found"
    assert error(api().get("/teams", {"region": "x"}), 422)["field"] == "region"


def test_the_team_list_reads_a_fixed_number_of_queries(crew):
    riders_team(crew)
    few, _ = count_queries(lambda: api().get("/teams"))
    for n in range(3):
        services.team_create(actor=crew.staff, name=f"队{n}", center=crew.tree.xianlin_center)
    credit_hours(crew, crew.members[1], minutes=60)
    more, answer = count_queries(lambda: api().get("/teams"))
    assert answer.status_code == 200 and len(answer.json()) == 5
    assert more == few


def test_a_team_s_detail_and_my_membership(crew):
    anyone = api().get(f"/teams/{crew.team.public_id}")
    assert anyone.status_code == 200, anyone.content
    body = anyone.json()
    assert body["leaders"] == ["王**", "李**"]
    assert body["mine"] is None and body["members"] == 5
    mine = api(crew.leader).get(f"/teams/{crew.team.public_id}").json()["mine"]
    assert mine == {"role": "leader", "status": "active"}


def test_unknown_teams_are_404(crew):
    for path in (f"/teams/{uuid.uuid4()}", f"/teams/{uuid.uuid4()}/shifts"):
        assert error(api().get(path), 404)["code"] == "not_found"
    outsider = api(volunteer())
    assert error(outsider.post(f"/teams/{uuid.uuid4()}/join"), 404)["code"] == "not_found"
    assert error(outsider.post(f"/teams/{uuid.uuid4()}/leave"), 404)["code"] == "not_found"
    assert error(api().get("/teams/not-a-uuid"), 422)["field"] == "public_id"


def test_joining_an_open_team_and_leaving_it(crew):
    person = volunteer(name="赵志愿")
    client = api(person)
    joined = client.post(f"/teams/{crew.team.public_id}/join")
    assert joined.status_code == 201, joined.content
    assert joined.json()["status"] == "active" and joined.json()["role"] == "member"
    assert joined.json()["team"]["public_id"] == str(crew.team.public_id)
    assert joined.json()["team"]["members"] == 6
    assert audited("volunteer_team.join") == 6  # the crew's five, and this one
    again = error(client.post(f"/teams/{crew.team.public_id}/join"), 400)
    assert again["field"] == "team" and "already" in again["message"]
    teams = client.get("/me/teams").json()
    assert [(t["team"]["name"], t["status"]) for t in teams] == [(crew.team.name, "active")]
    assert teams[0]["team"]["members"] == 6
    left = client.post(f"/teams/{crew.team.public_id}/leave")
    assert left.status_code == 200 and left.json()["status"] == "left"
    assert left.json()["team"]["members"] == 5
    assert audited("volunteer_team.leave") == 1
    assert client.get("/me/teams").json() == []
    assert error(client.post(f"/teams/{crew.team.public_id}/leave"), 404)["code"] == "not_found"


def test_joining_needs_the_volunteer_group_or_the_box_ticked(crew):
    person = factories.PersonFactory()
    client = api(person)
    refused = error(client.post(f"/teams/{crew.team.public_id}/join"), 400)
    assert refused["field"] == "volunteer" and "Register as a volunteer" in refused["message"]
    assert not Membership.objects.filter(person=person).exists()
    joined = client.post(f"/teams/{crew.team.public_id}/join", {"volunteer": True})
    assert joined.status_code == 201, joined.content
    assert PersonTag.objects.filter(person=person, tag="volunteer").exists()


def test_an_approval_team_leaves_me_waiting_and_a_verified_only_team_refuses(crew):
    Team.objects.filter(pk=crew.team.pk).update(join_rule="approval")
    asked = api(volunteer()).post(f"/teams/{crew.team.public_id}/join")
    assert asked.status_code == 201 and asked.json()["status"] == "pending"
    Team.objects.filter(pk=crew.team.pk).update(requires_verified=True)
    refused = error(api(volunteer()).post(f"/teams/{crew.team.public_id}/join"), 400)
    assert refused["field"] == "volunteer" and "verified" in refused["message"]


def test_the_refusal_is_in_the_caller_s_language(crew):
    chinese = Api(factories.PersonFactory(), base=BASE, token=True, language="zh-hans")
    refused = error(chinese.post(f"/teams/{crew.team.public_id}/join"), 400)
    assert refused["field"] == "volunteer"
    assert "志愿者" in refused["message"]


# --- shifts ---------------------------------------------------------------------------------


def test_a_team_s_open_shifts_with_their_places(crew):
    member = crew.members[0]
    services.shift_sign_up(actor=member, shift=crew.shift)
    later = open_shift(crew, crew.leader, days=3, places=4)
    cancelled = open_shift(crew, crew.leader, days=4)
    services.shift_cancel(actor=crew.leader, shift=cancelled, reason="下雨")
    shifts = api().get(f"/teams/{crew.team.public_id}/shifts").json()
    assert [s["public_id"] for s in shifts] == [str(crew.shift.public_id), str(later.public_id)]
    first = shifts[0]
    assert first["places"] == 2 and first["taken"] == 1 and first["places_left"] == 1
    assert first["waiting"] == 0 and first["task"] == "陪老人就医"
    assert first["where"] == "闲林街道社区卫生服务中心"
    assert first["team"] == str(crew.team.public_id)
    assert first["signed_up"] is False  # nobody signed in
    assert first["start"].endswith("+08:00")
    as_member = api(member).get(f"/teams/{crew.team.public_id}/shifts").json()
    assert [s["signed_up"] for s in as_member] == [True, False]


def test_the_open_shifts_of_my_teams(crew):
    other_team = services.team_create(
        actor=crew.staff, name="另一队", center=crew.tree.xianlin_center
    )
    member = crew.members[0]
    leader = volunteer(name="周队长")
    services.team_join(actor=leader, team=other_team)
    services.leader_set(actor=crew.staff, team=other_team, person=leader)
    task = services.task_create(actor=leader, team=other_team, title="另一任务", address="某处")
    open_shift(task, leader, days=2)
    mine = api(member).get("/me/open-shifts").json()
    assert [s["public_id"] for s in mine] == [str(crew.shift.public_id)]
    assert error(api().get("/me/open-shifts"), 401)["code"] == "unauthenticated"


def test_a_shift_s_detail(crew):
    body = api().get(f"/shifts/{crew.shift.public_id}").json()
    assert body["public_id"] == str(crew.shift.public_id)
    assert body["cancelled"] is False and body["skills"] == ""
    cutoff = timezone.localtime(crew.shift.start - timedelta(hours=12))
    assert body["cancel_until"].startswith(f"{cutoff:%Y-%m-%dT%H:%M}")
    assert error(api().get(f"/shifts/{uuid.uuid4()}"), 404)["code"] == "not_found"


def test_signing_up_gives_a_place_then_the_waiting_list(crew):
    first, second, third = crew.members
    placed = api(first).post(f"/shifts/{crew.shift.public_id}/sign-up")
    assert placed.status_code == 201, placed.content
    assert placed.json()["status"] == "confirmed" and len(placed.json()["short_code"]) >= 4
    assert placed.json()["waiting_position"] is None
    assert audited("volunteer_shift.sign_up") == 1
    api(second).post(f"/shifts/{crew.shift.public_id}/sign-up")
    waiting = api(third).post(f"/shifts/{crew.shift.public_id}/sign-up")
    assert waiting.status_code == 201
    assert waiting.json() == {
        "shift": str(crew.shift.public_id),
        "status": "waitlisted",
        "short_code": None,
        "waiting_position": 1,
    }
    again = error(api(first).post(f"/shifts/{crew.shift.public_id}/sign-up"), 409)
    assert again["code"] == "already_registered" and again["field"] == "shift"


def test_a_non_member_and_an_overlapping_shift_are_refused_naming_the_shift(crew):
    outsider = volunteer()
    refused = error(api(outsider).post(f"/shifts/{crew.shift.public_id}/sign-up"), 403)
    assert refused["code"] == "not_eligible" and refused["field"] == "shift"
    assert "Only members of 闲林助老志愿队" in refused["message"]
    member = crew.members[0]
    api(member).post(f"/shifts/{crew.shift.public_id}/sign-up")
    overlapping = open_shift(crew, crew.leader, days=SHIFT_DAYS, hour=10, hours=2)
    refused = error(api(member).post(f"/shifts/{overlapping.public_id}/sign-up"), 403)
    assert refused["field"] == "shift" and "another shift at that time" in refused["message"]
    assert not Registration.objects.filter(activity=overlapping.activity).exists()


def test_sign_up_needs_signing_in_and_a_real_shift(crew):
    assert error(api().post(f"/shifts/{crew.shift.public_id}/sign-up"), 401)["code"] == (
        "unauthenticated"
    )
    assert error(api(crew.members[0]).post(f"/shifts/{uuid.uuid4()}/sign-up"), 404)
    assert not Registration.objects.exists()


def test_a_session_needs_its_csrf_token(crew):
    member = crew.members[0]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member, backend="dangqun.accounts.backends.PersonBackend")
    path = f"/api/v1/volunteers/shifts/{crew.shift.public_id}/sign-up"
    refused = error(browser.post(path, {}, content_type="application/json"), 403)
    assert refused["code"] == "forbidden"
    assert not Registration.objects.filter(person=member).exists()
    browser.get("/volunteers/")  # the page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    placed = browser.post(path, {}, content_type="application/json", headers={"X-CSRFToken": token})
    assert placed.status_code == 201, placed.content
    assert browser.get("/api/v1/volunteers/me/shifts").status_code == 200


def test_my_shifts_and_one_of_them(crew):
    member = crew.members[0]
    client = api(member)
    client.post(f"/shifts/{crew.shift.public_id}/sign-up")
    shifts = client.get("/me/shifts").json()
    assert len(shifts) == 1
    mine = client.get(f"/me/shifts/{crew.shift.public_id}").json()
    assert mine == shifts[0]
    assert mine["status"] == "confirmed" and mine["short_code"]
    assert mine["can_cancel"] is True and mine["can_hand_over"] is True
    assert mine["can_check_out"] is False and mine["checked_in_at"] is None
    assert mine["handing_over_to"] is None
    assert mine["shift"]["signed_up"] is True
    # Another's shift and an unknown one look alike.
    assert error(api(crew.members[1]).get(f"/me/shifts/{crew.shift.public_id}"), 404)
    assert error(client.get(f"/me/shifts/{uuid.uuid4()}"), 404)


def test_my_shifts_read_a_fixed_number_of_queries(crew):
    member = crew.members[0]
    client = api(member)
    client.post(f"/shifts/{crew.shift.public_id}/sign-up")
    few, _ = count_queries(lambda: client.get("/me/shifts"))
    for days in (3, 4, 5):
        shift = open_shift(crew, crew.leader, days=days)
        services.shift_sign_up(actor=member, shift=shift)
        services.swap_offer(actor=member, shift=shift, to_person=crew.members[1])
    more, answer = count_queries(lambda: client.get("/me/shifts"))
    assert len(answer.json()) == 4
    assert answer.json()[1]["handing_over_to"]["to_name"] == crew.members[1].name
    assert more <= few + 1  # the swaps' query, once


def test_cancelling_before_the_cut_off_and_refused_after_it(crew):
    member = crew.members[0]
    client = api(member)
    client.post(f"/shifts/{crew.shift.public_id}/sign-up")
    cancelled = client.post(f"/shifts/{crew.shift.public_id}/cancel")
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["short_code"] is None
    assert audited("registration.cancel") == 1
    assert error(client.post(f"/shifts/{crew.shift.public_id}/cancel"), 404)

    soon = shift_soon(crew)
    client.post(f"/shifts/{soon.public_id}/sign-up")
    assert client.get(f"/me/shifts/{soon.public_id}").json()["can_cancel"] is False
    late = error(client.post(f"/shifts/{soon.public_id}/cancel"), 400)
    assert late["field"] == "shift" and "too late to cancel online" in late["message"]
    assert Registration.objects.get(person=member, activity=soon.activity).status == "confirmed"


def test_a_place_in_line_can_always_go(crew):
    for member in crew.members[:2]:
        services.shift_sign_up(actor=member, shift=crew.shift)
    soon = shift_soon(crew, places=1)
    services.shift_sign_up(actor=crew.members[0], shift=soon)
    client = api(crew.members[1])
    assert client.post(f"/shifts/{soon.public_id}/sign-up").json()["status"] == "waitlisted"
    left = client.post(f"/shifts/{soon.public_id}/cancel")
    assert left.status_code == 200 and left.json()["status"] == "cancelled"


def test_handing_my_place_over_and_the_other_accepts(crew):
    giver, taker = crew.members[0], crew.members[1]
    api(giver).post(f"/shifts/{crew.shift.public_id}/sign-up")
    members = api(giver).get(f"/me/shifts/{crew.shift.public_id}/members").json()
    assert {m["name"] for m in members} == {"王队长", "李副队", "志愿者1", "志愿者2"}
    offered = api(giver).post(
        f"/shifts/{crew.shift.public_id}/hand-over", {"to_person": str(taker.public_id)}
    )
    assert offered.status_code == 201, offered.content
    swap = offered.json()
    assert swap["status"] == "offered" and swap["to_name"] == "志愿者1"
    assert audited("volunteer_swap.offer") == 1
    waiting = api(taker).get("/me/swaps").json()
    assert [s["public_id"] for s in waiting] == [swap["public_id"]]
    assert waiting[0]["from_name"] == "志愿者0"
    # Only the person asked answers; the giver's own answer is 404.
    assert error(api(giver).post(f"/swaps/{swap['public_id']}/answer", {"answer": "accept"}), 404)
    accepted = api(taker).post(f"/swaps/{swap['public_id']}/answer", {"answer": "accept"})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    assert (
        Registration.objects.get(activity=crew.shift.activity, status="confirmed").person == taker
    )
    assert api(taker).get(f"/me/shifts/{crew.shift.public_id}").json()["status"] == "confirmed"
    assert error(api(giver).get(f"/me/shifts/{crew.shift.public_id}"), 404)
    twice = error(api(taker).post(f"/swaps/{swap['public_id']}/answer", {"answer": "decline"}), 400)
    assert twice["field"] == "status"


def test_a_declined_swap_keeps_the_place(crew):
    giver, taker = crew.members[0], crew.members[1]
    services.shift_sign_up(actor=giver, shift=crew.shift)
    swap = services.swap_offer(actor=giver, shift=crew.shift, to_person=taker)
    declined = api(taker).post(f"/swaps/{swap.public_id}/answer", {"answer": "decline"})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert Registration.objects.get(activity=crew.shift.activity).person == giver
    bad = error(api(taker).post(f"/swaps/{swap.public_id}/answer", {"answer": "maybe"}), 422)
    assert bad["field"] == "answer"
    assert error(api(taker).post(f"/swaps/{uuid.uuid4()}/answer", {"answer": "accept"}), 404)


def test_a_swap_to_a_non_member_or_to_myself_is_refused_naming_the_field(crew):
    giver = crew.members[0]
    services.shift_sign_up(actor=giver, shift=crew.shift)
    client = api(giver)
    path = f"/shifts/{crew.shift.public_id}/hand-over"
    for someone in (volunteer(name="外人"), giver):
        refused = error(client.post(path, {"to_person": str(someone.public_id)}), 400)
        assert refused["field"] == "to_person", refused
    assert error(client.post(path, {"to_person": str(uuid.uuid4())}), 400)["field"] == "to_person"
    assert error(client.post(path, {"to_person": "nobody"}), 422)["field"] == "to_person"
    assert error(client.post(path, {}), 422)["field"] == "to_person"
    assert not SwapOffer.objects.exists()
    # Not on the shift: 404, as for another's shift.
    other = api(crew.members[1]).post(path, {"to_person": str(giver.public_id)})
    assert error(other, 404)


def test_a_place_in_line_cannot_be_handed_over(crew):
    for member in crew.members[:2]:
        services.shift_sign_up(actor=member, shift=crew.shift)
    late = crew.members[2]
    services.shift_sign_up(actor=late, shift=crew.shift)
    refused = api(late).post(
        f"/shifts/{crew.shift.public_id}/hand-over", {"to_person": str(crew.leader.public_id)}
    )
    assert error(refused, 400)["field"] == "shift"


def test_checking_out_on_leaving_while_the_shift_runs(crew):
    member = crew.members[0]
    registration = services.shift_sign_up(actor=member, shift=crew.shift)
    client = api(member)
    early = error(client.post(f"/shifts/{crew.shift.public_id}/check-out"), 400)
    assert early["field"] == "shift" and "while the shift runs" in early["message"]
    activity_services.check_in(
        actor=crew.leader,
        session=crew.shift.activity.sessions.get(),
        registration=registration,
        method="short_code",
        check_window=False,
    )
    shift = move(crew.shift, -int((crew.shift.start - timezone.now()).total_seconds() // 60) - 170)
    CheckIn.objects.filter(registration=registration).update(checked_in_at=shift.start)
    assert client.get(f"/me/shifts/{shift.public_id}").json()["can_check_out"] is True
    out = client.post(f"/shifts/{shift.public_id}/check-out")
    assert out.status_code == 200, out.content
    assert 2.5 <= out.json()["credited_hours"] <= 3
    assert out.json()["checked_out_at"]
    assert audited("volunteer_shift.check_out") == 1
    assert HoursEntry.objects.get(person=member).kind == "credit"
    assert client.get(f"/me/shifts/{shift.public_id}").json()["can_check_out"] is False


# --- my volunteering ------------------------------------------------------------------------


def test_my_hours_by_kind_and_month_and_my_stars(crew, settings):
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "STAR_HOURS": [2, 5, 10, 20, 40]}
    member = crew.members[0]
    entry = credit_hours(crew, member, minutes=100)
    from .test_staff_pages import approved_honour

    approved_honour(crew.team, member, by=crew.leader, second=crew.leader2, minutes=45)
    hours = api(member).get("/me/hours").json()
    assert hours["credit_hours"] == 1.5 and hours["honour_hours"] == 0.5
    assert hours["credit_minutes"] == 100 and hours["honour_minutes"] == 45
    assert hours["total_hours"] == 2
    assert hours["stars"] == 1 and hours["star_name"] == "One star"
    assert hours["next_star_hours"] == 5 and hours["hours_to_next_star"] == 3
    months = {m["month"]: m for m in hours["months"]}
    assert months[f"{entry.date:%Y-%m}"]["credit_hours"] >= 1.5
    assert sum(m["honour_hours"] for m in months.values()) == 0.5
    chinese = Api(member, base=BASE, token=True, language="zh-hans").get("/me/hours").json()
    assert chinese["star_name"] == "一星"


def test_nothing_yet_and_signing_in_first(crew):
    client = api(crew.members[0])
    assert client.get("/me/hours").json()["stars"] == 0
    assert client.get("/me/points").json() == {"balance": "0", "entries": []}
    assert client.get("/me/ledger").json() == []
    assert client.get("/me/certificates").json() == []
    for path in (
        "/me/teams",
        "/me/shifts",
        "/me/swaps",
        "/me/hours",
        "/me/points",
        "/me/ledger",
        "/me/corrections",
        "/me/certificates",
    ):
        assert error(api().get(path), 401)["code"] == "unauthenticated", path


def test_my_points_and_their_ledger(crew):
    member = crew.members[0]
    entry = credit_hours(crew, member, minutes=100)
    points = api(member).get("/me/points").json()
    assert points["balance"] == "1.67"
    assert points["entries"] == [
        {
            "kind": "earn",
            "kind_label": "Earned by volunteer hours",
            "points": "1.67",
            "reward": None,
            "hours_entry": str(entry.public_id),
            "created_at": points["entries"][0]["created_at"],
        }
    ]
    assert error(api(member).get("/me/points", {"limit": 0}), 422)["field"] == "limit"


def test_my_ledger_with_its_sources_and_a_correction(crew):
    member = crew.members[0]
    entry = credit_hours(crew, member, minutes=120)
    client = api(member)
    (line,) = client.get("/me/ledger").json()
    assert line["public_id"] == str(entry.public_id)
    assert line["kind"] == "credit" and line["source"] == "attendance"
    assert line["source_label"] == "Check-in and check-out at a shift"
    assert line["minutes"] == 120 and line["hours"] == 2
    assert line["task"] == "陪老人就医" and line["shift"] == str(entry.shift.public_id)
    assert line["correctable"] is True and line["request"] is None
    asked = client.post(
        f"/me/ledger/{entry.public_id}/correction", {"minutes": 180, "message": "我待了三小时"}
    )
    assert asked.status_code == 201, asked.content
    assert asked.json()["status"] == "open" and asked.json()["minutes"] == 180
    assert audited("volunteer_hours.ask_correction") == 1
    (line,) = client.get("/me/ledger").json()
    assert line["correctable"] is False and line["request"]["status"] == "open"
    again = client.post(
        f"/me/ledger/{entry.public_id}/correction", {"minutes": 150, "message": "再问"}
    )
    assert error(again, 400)["field"] == "entry"
    request = CorrectionRequest.objects.get()
    services.correction_answer(actor=crew.leader, request=request, accept=True)
    (corrected,) = client.get("/me/corrections").json()
    assert corrected["status"] == "accepted" and corrected["answered_at"]
    lines = client.get("/me/ledger").json()
    assert {ln["source"] for ln in lines} == {"attendance", "reversal", "correction"}
    reversal = next(ln for ln in lines if ln["source"] == "reversal")
    assert reversal["minutes"] == -120 and reversal["reverses"] == str(entry.public_id)
    assert client.get("/me/hours").json()["credit_minutes"] == 180


@pytest.mark.parametrize(
    "payload, status, field",
    [
        ({"minutes": 60}, 422, "message"),
        ({"minutes": 60, "message": "   "}, 422, "message"),
        ({"minutes": -1, "message": "x"}, 422, "minutes"),
        ({"minutes": 24 * 60 + 1, "message": "x"}, 422, "minutes"),
        ({"minutes": 60, "message": "x" * 301}, 422, "message"),
    ],
)
def test_a_refused_correction_names_the_field_and_saves_nothing(crew, payload, status, field):
    member = crew.members[0]
    entry = credit_hours(crew, member, minutes=120)
    refused = api(member).post(f"/me/ledger/{entry.public_id}/correction", payload)
    assert error(refused, status)["field"] == field
    assert not CorrectionRequest.objects.exists()


def test_another_s_ledger_line_and_an_unknown_one_are_404(crew):
    entry = credit_hours(crew, crew.members[0], minutes=120)
    other = api(crew.members[1])
    payload = {"minutes": 60, "message": "不对"}
    assert error(other.post(f"/me/ledger/{entry.public_id}/correction", payload), 404)
    assert error(other.post(f"/me/ledger/{uuid.uuid4()}/correction", payload), 404)
    assert not CorrectionRequest.objects.exists()


def test_my_certificates_and_asking_for_one(crew):
    member = crew.members[0]
    credit_hours(crew, member, minutes=120, days_ago=3)
    client = api(member)
    today = timezone.localdate()
    payload = {
        "team": str(crew.team.public_id),
        "period_start": f"{today.replace(month=1, day=1) - timedelta(days=400):%Y-%m-%d}",
        "period_end": f"{today:%Y-%m-%d}",
    }
    issued = client.post("/me/certificates", payload)
    assert issued.status_code == 201, issued.content
    serial = issued.json()["serial"]
    (mine,) = client.get("/me/certificates").json()
    assert mine["serial"] == serial and mine["state"] == "valid"
    assert mine["kind"] == "service" and mine["credit_hours"] == 2
    assert mine["pdf_url"].endswith(f"/verify/{serial}/pdf/")
    assert mine["verify_url"].endswith(f"/verify/{serial}/")
    pdf_path = mine["pdf_url"].split("testserver", 1)[1]
    assert client.client.get(pdf_path).status_code == 302  # the PDF page: signed in first
    services.certificate_revoke(
        actor=crew.staff, certificate=Certificate.objects.get(serial=serial), reason="重复出具"
    )
    (revoked,) = client.get("/me/certificates").json()
    assert revoked["state"] == "revoked" and revoked["revoked_at"]


def test_a_refused_certificate_names_the_field(crew):
    member = crew.members[0]
    client = api(member)
    today = f"{timezone.localdate():%Y-%m-%d}"
    payload = {"team": str(crew.team.public_id), "period_start": today, "period_end": today}
    assert error(client.post("/me/certificates", payload), 400)["field"] == "period_start"
    unknown = {**payload, "team": str(uuid.uuid4())}
    assert error(client.post("/me/certificates", unknown), 404)
    bad_day = {**payload, "period_end": "2026-02-30"}
    assert error(client.post("/me/certificates", bad_day), 422)["field"] == "period_end"
    assert not Certificate.objects.exists()


# --- the public check of a certificate ------------------------------------------------------


def _certificate(crew):
    member = crew.members[0]
    credit_hours(crew, member, minutes=150, days_ago=3)
    today = timezone.localdate()
    return services.service_certificate_issue(
        actor=member,
        team=crew.team,
        person=member,
        period_start=today - timedelta(days=400),
        period_end=today,
    )


def test_checking_a_valid_certificate_without_signing_in(crew):
    certificate = _certificate(crew)
    answer = api().get(f"/certificates/{certificate.serial}")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["valid"] is True and body["revoked_on"] is None
    assert body["serial"] == certificate.serial
    assert body["holder"] == certificate.name_masked and "*" in body["holder"]
    assert body["credit_hours"] == 2.5 and body["honour_hours"] == 0
    assert body["training"] is None and body["issuer"]
    assert body["kind"] == "service" and body["kind_label"] == "Volunteer service certificate"
    # Nothing beyond what the page shows: no ids, no full name, no resident id.
    assert set(body) == {
        "serial",
        "kind",
        "kind_label",
        "valid",
        "revoked_on",
        "holder",
        "period_start",
        "period_end",
        "credit_hours",
        "honour_hours",
        "training",
        "requirement_met",
        "issuer",
        "issued_on",
    }
    assert crew.members[0].name not in answer.content.decode()
    lower = api().get(f"/certificates/{certificate.serial.lower()}")
    assert lower.json()["serial"] == certificate.serial


def test_checking_a_revoked_and_a_forged_certificate(crew):
    certificate = _certificate(crew)
    services.certificate_revoke(actor=crew.staff, certificate=certificate, reason="重复出具")
    body = api().get(f"/certificates/{certificate.serial}").json()
    assert body["valid"] is False
    assert body["revoked_on"] == f"{timezone.localdate():%Y-%m-%d}"
    forged = certificate.serial[:-1] + ("0" if certificate.serial[-1] != "0" else "1")
    for serial in (forged, "X" * 30, "YH-V-2026-证书", "YH_V.2026"):
        assert error(api().get(f"/certificates/{serial}"), 404)["code"] == "not_found"


# --- the document -----------------------------------------------------------------------------


def test_the_openapi_document_lists_the_volunteer_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    expected = {
        "/api/v1/volunteers/teams": {"get"},
        "/api/v1/volunteers/teams/{public_id}": {"get"},
        "/api/v1/volunteers/teams/{public_id}/join": {"post"},
        "/api/v1/volunteers/teams/{public_id}/leave": {"post"},
        "/api/v1/volunteers/teams/{public_id}/shifts": {"get"},
        "/api/v1/volunteers/me/teams": {"get"},
        "/api/v1/volunteers/me/open-shifts": {"get"},
        "/api/v1/volunteers/shifts/{public_id}": {"get"},
        "/api/v1/volunteers/shifts/{public_id}/sign-up": {"post"},
        "/api/v1/volunteers/shifts/{public_id}/cancel": {"post"},
        "/api/v1/volunteers/shifts/{public_id}/hand-over": {"post"},
        "/api/v1/volunteers/shifts/{public_id}/check-out": {"post"},
        "/api/v1/volunteers/me/shifts": {"get"},
        "/api/v1/volunteers/me/shifts/{public_id}": {"get"},
        "/api/v1/volunteers/me/shifts/{public_id}/members": {"get"},
        "/api/v1/volunteers/me/swaps": {"get"},
        "/api/v1/volunteers/swaps/{public_id}/answer": {"post"},
        "/api/v1/volunteers/me/hours": {"get"},
        "/api/v1/volunteers/me/points": {"get"},
        "/api/v1/volunteers/me/ledger": {"get"},
        "/api/v1/volunteers/me/ledger/{public_id}/correction": {"post"},
        "/api/v1/volunteers/me/corrections": {"get"},
        "/api/v1/volunteers/me/certificates": {"get", "post"},
        "/api/v1/volunteers/certificates/{serial}": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert set(paths[path]) >= methods, path
    sign_up = paths["/api/v1/volunteers/shifts/{public_id}/sign-up"]["post"]
    assert "MyPlaceOut" in str(sign_up["responses"]["201"])
    assert sign_up["security"]  # signed in
    check = paths["/api/v1/volunteers/certificates/{serial}"]["get"]
    assert not check.get("security")  # anyone
