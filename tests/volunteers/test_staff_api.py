"""The staff API of volunteers over HTTP (/api/v1/staff/volunteers/): teams (set up, enrol by
mobile number, leaders, roster and its Excel file), honour hours and a ledger correction as
leaders may, the rewards catalogue, redemptions and expiring points, certificates (a service
certificate, revoking, a training's), the figures and the ledger in Excel. Scoped: Cangqian's
staff get 404 for Xianlin's teams, rewards and certificates; a volunteer gets 404; a visitor
401; refusals name the field."""

import uuid
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import load_workbook

from dangqun.core.models import AuditEntry
from dangqun.volunteers import services
from dangqun.volunteers.models import (
    Certificate,
    HonourClaim,
    HoursEntry,
    Membership,
    PointsEntry,
    Redemption,
    RewardItem,
    Team,
)
from tests import clients, factories
from tests.clients import error, page_client

from .conftest import volunteer
from .test_lead_pages import XLSX, credit, enter_honour
from .test_staff_pages import World, reward, training_with_attendance

pytestmark = pytest.mark.django_db

BASE = "/staff/volunteers"


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def world(crew):
    """Xianlin's crew, a Cangqian team with its own staff, and a team of the Xianlin street
    itself (as the staff pages' tests)."""
    tree = crew.tree
    cangqian_staff = factories.staff("street_admin", tree.cangqian, name="仓前管理员")
    cangqian_team = services.team_create(
        actor=cangqian_staff, name="小哥志愿服务队", center=tree.cangqian_center
    )
    street_team = services.team_create(actor=crew.staff, name="闲林街道巡河队", region=tree.xianlin)
    return World(crew, cangqian_staff, cangqian_team, street_team)


def Api(person=None, **kwargs):  # noqa: N802 (the shared client, here)
    return clients.Api(person, base=BASE, **kwargs)


def ok(response, status: int = 200):
    assert response.status_code == status, response.content
    return response.json()


def rows_of(response) -> list[tuple]:
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


# --- teams ------------------------------------------------------------------------------------


def test_set_up_teams_of_a_center_or_a_region(world):
    crew = world.crew
    api = Api(crew.staff)
    made = ok(
        api.post(
            "/teams",
            {
                "name": "闲林骑手队",
                "center": crew.tree.xianlin_center.slug,
                "join_rule": "approval",
                "requires_verified": True,
                "is_riders_team": True,
            },
        ),
        201,
    )
    team = Team.objects.get(public_id=made["public_id"])
    assert team.center == crew.tree.xianlin_center and team.is_riders_team
    assert team.join_rule == "approval" and team.requires_verified
    street = ok(api.post("/teams", {"name": "巡河队", "region": crew.tree.xianlin.pk}), 201)
    assert street["center"] is None and street["region"] == crew.tree.xianlin.pk
    assert error(api.post("/teams", {"name": "无主"}), 400)["field"] == "center"
    assert error(api.post("/teams", {"name": "x", "join_rule": "any"}), 422)["field"] == "join_rule"
    elsewhere = {"name": "越界", "center": crew.tree.cangqian_center.slug}
    error(api.post("/teams", elsewhere), 404)
    error(api.post("/teams", {"name": "越界", "region": crew.tree.cangqian.pk}), 404)
    error(api.post("/teams", {"name": "越界", "region": crew.tree.district.pk}), 404)
    listed = ok(api.get("/teams"))
    names = {t["name"] for t in listed}
    assert {"闲林助老志愿队", "闲林骑手队", "巡河队"} <= names and "小哥志愿服务队" not in names
    row = next(t for t in listed if t["public_id"] == str(crew.team.public_id))
    assert row["members"] == 5 and {p["name"] for p in row["leaders"]} == {"王队长", "李副队"}
    assert AuditEntry.objects.filter(action="volunteer_team.create").count() >= 4


def test_a_partners_team_names_a_partner_co_building_with_its_centers(world):
    crew, api = world.crew, Api(world.crew.staff)
    university = factories.partner(crew.tree.xianlin_center, name="浙江外国语学院")
    elsewhere = factories.partner(crew.tree.cangqian_center, name="仓前商会")
    made = ok(
        api.post(
            "/teams",
            {
                "name": "学长帮帮团",
                "region": crew.tree.xianlin.pk,
                "partner": str(university.public_id),
            },
        ),
        201,
    )
    assert made["partner"] == "浙江外国语学院"
    assert Team.objects.get(public_id=made["public_id"]).partner == university
    refused = {"name": "越界", "region": crew.tree.xianlin.pk, "partner": str(elsewhere.public_id)}
    assert error(api.post("/teams", refused), 400)["field"] == "partner"
    assert not Team.objects.filter(name="越界").exists()


def test_enrol_by_mobile_name_leaders_and_the_roster(world):
    crew = world.crew
    api = Api(crew.staff, token=True)
    team = f"/teams/{crew.team.public_id}"
    newcomer = volunteer(name="新队员")
    added = ok(api.post(f"{team}/members", {"mobile": newcomer.mobile}), 201)
    assert added["status"] == "active" and added["person"]["mobile"] == newcomer.masked_mobile
    nobody = api.post(f"{team}/members", {"mobile": "13900000000"})
    assert error(nobody, 400)["field"] == "mobile"
    plain = factories.PersonFactory()
    assert error(api.post(f"{team}/members", {"mobile": plain.mobile}), 400)["field"] == "volunteer"
    made = ok(api.put(f"{team}/leaders/{newcomer.public_id}", {"leader": True}))
    assert made["role"] == "leader"
    assert (
        ok(api.put(f"{team}/leaders/{newcomer.public_id}", {"leader": False}))["role"] == "member"
    )
    roster = ok(api.get(f"{team}/roster"))
    assert str(newcomer.public_id) in {r["person"]["public_id"] for r in roster}
    rows = rows_of(api.get(f"{team}/roster.xlsx"))
    assert any(row[0] == "新队员" and row[1] == newcomer.masked_mobile for row in rows[1:])


def test_naming_a_leader_who_is_not_an_active_member_is_a_404(world):
    """The page and the API refuse someone who is not an active member (unknown, of another
    team, or still asking to join) with the 404 of a missing page, never a server error."""
    crew = world.crew
    crew.team.join_rule = "approval"
    crew.team.save()
    asking = volunteer()
    services.team_join(actor=asking, team=crew.team)
    outsider = volunteer()
    services.team_join(actor=outsider, team=world.cangqian_team)
    api, page = Api(crew.staff), page_client(crew.staff)
    for who in (str(uuid.uuid4()), str(asking.public_id), str(outsider.public_id)):
        error(api.put(f"/teams/{crew.team.public_id}/leaders/{who}", {"leader": True}), 404)
        url = f"/staff/volunteers/teams/{crew.team.public_id}/leaders/{who}/"
        assert page.post(url, {"leader": "1"}).status_code == 404
    error(api.put(f"/teams/{crew.team.public_id}/leaders/not-a-uuid", {"leader": True}), 404)
    assert not Membership.objects.filter(role="leader", person__in=[asking, outsider]).exists()


# --- honour hours and corrections as leaders may ----------------------------------------------


def test_staff_approve_honour_hours_and_correct_an_entry(world):
    crew = world.crew
    claim = enter_honour(crew, crew.members[0], minutes=90)
    own = enter_honour(crew, crew.members[1], by=crew.staff, minutes=60)
    api = Api(crew.staff)
    waiting = {c["public_id"]: c["may_decide"] for c in ok(api.get("/honour"))}
    assert waiting == {str(claim.public_id): True, str(own.public_id): False}
    refused = error(api.post(f"/honour/{own.public_id}/decision", {"approve": True}), 400)
    assert refused["field"] == "approval"
    assert ok(api.post(f"/honour/{claim.public_id}/decision", {"approve": True}))["status"] == (
        "approved"
    )
    entry = HoursEntry.objects.get(honour=claim)
    fixed = ok(
        api.post(f"/entries/{entry.public_id}/correction", {"minutes": 60, "reason": "核对"}),
        201,
    )
    assert fixed["replacement"]["minutes"] == 60
    # Cangqian's staff see none of it.
    other = Api(world.cangqian_staff)
    assert ok(other.get("/honour")) == []
    error(other.post(f"/honour/{own.public_id}/decision", {"approve": True}), 404)
    error(other.post(f"/entries/{entry.public_id}/correction", {"minutes": 1, "reason": "x"}), 404)
    assert HonourClaim.objects.get(pk=own.pk).status == "pending"


# --- rewards, redemptions, points -------------------------------------------------------------


def test_rewards_catalogue_and_redeeming_points(world):
    crew = world.crew
    api = Api(crew.staff)
    center = crew.tree.xianlin_center.slug
    made = ok(
        api.post("/rewards", {"center": center, "name": "理发券", "points": "2", "stock": 1}), 201
    )
    assert made["points"] in ("2", "2.00", 2) and made["stock"] == 1 and made["offered"]
    assert (
        error(
            api.post("/rewards", {"center": center, "name": "x", "points": "0", "stock": 1}), 422
        )["field"]
        == "points"
    )
    assert (
        error(
            api.post("/rewards", {"center": center, "name": "x", "points": "1", "stock": -1}), 422
        )["field"]
        == "stock"
    )
    error(
        api.post(
            "/rewards",
            {"center": crew.tree.cangqian_center.slug, "name": "x", "points": "1", "stock": 1},
        ),
        404,
    )
    changed = ok(
        api.put(
            f"/rewards/{made['public_id']}", {"name": "理发券(新)", "points": "1.5", "stock": 2}
        )
    )
    assert changed["name"] == "理发券(新)" and changed["stock"] == 2
    assert [r["public_id"] for r in ok(api.get("/rewards", {"center": center}))] == [
        made["public_id"]
    ]
    member = crew.members[0]
    redeem = {"item": made["public_id"], "person": str(member.public_id)}
    poor = error(api.post("/redemptions", redeem), 400)
    assert poor["field"] == "person" and "Not enough points" in poor["message"]
    credit(crew, member, 180)  # three credit hours: three points
    done = ok(api.post("/redemptions", redeem), 201)
    assert Decimal(done["balance"]) == Decimal("1.5") and done["person"]["public_id"] == str(
        member.public_id
    )
    ok(api.post("/redemptions", redeem), 201)
    assert error(api.post("/redemptions", redeem), 400)["field"] == "item"  # out of stock
    assert RewardItem.objects.get(public_id=made["public_id"]).stock == 0
    assert Redemption.objects.count() == 2
    assert len(ok(api.get("/redemptions"))) == 2
    error(
        api.post("/redemptions", {"item": str(uuid.uuid4()), "person": str(member.public_id)}), 404
    )
    error(api.post("/redemptions", {"item": made["public_id"], "person": str(uuid.uuid4())}), 404)


def test_expire_points(world, settings):
    crew = world.crew
    member = crew.members[0]
    credit(crew, member, 120)
    api = Api(crew.staff)
    url = f"/people/{member.public_id}/points/expire"
    kept = ok(api.post(url))
    assert Decimal(kept["expired"]) == 0 and Decimal(kept["balance"]) == 2
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "POINTS_EXPIRE_DAYS": "30"}
    # Time passes: the points were earned 31 days ago (the ledger's own queryset refuses
    # any update, so the base class's moves the date, as the calendar would).
    earned = PointsEntry.objects.filter(account__person=member)
    QuerySet.update(earned, created_at=timezone.now() - timedelta(days=31))
    expired = ok(api.post(url))
    assert Decimal(expired["expired"]) == 2 and Decimal(expired["balance"]) == 0
    entry = AuditEntry.objects.filter(action="volunteer_points.expire").get()
    assert entry.actor_id == crew.staff.pk
    error(Api(world.cangqian_staff).post(url), 404)
    error(api.post(f"/people/{uuid.uuid4()}/points/expire"), 404)


# --- certificates -----------------------------------------------------------------------------


def test_service_certificates_issue_list_and_revoke(world):
    crew = world.crew
    member = crew.members[0]
    credit(crew, member, 150)
    api = Api(crew.staff)
    today = timezone.localdate()
    body = {
        "team": str(crew.team.public_id),
        "person": str(member.public_id),
        "period_start": (today - timedelta(days=30)).isoformat(),
        "period_end": today.isoformat(),
    }
    issued = ok(api.post("/certificates", body), 201)
    assert issued["credit_minutes"] == 150 and issued["kind"] == "service" and issued["valid"]
    assert issued["verify_url"] == f"/verify/{issued['serial']}/"
    nothing = {**body, "person": str(crew.members[1].public_id)}
    assert error(api.post("/certificates", nothing), 400)["field"] == "period_start"
    backwards = {**body, "period_end": (today - timedelta(days=40)).isoformat()}
    assert error(api.post("/certificates", backwards), 400)["field"] == "period_end"
    error(api.post("/certificates", {**body, "person": str(volunteer().public_id)}), 404)
    error(api.post("/certificates", {**body, "team": str(world.cangqian_team.public_id)}), 404)
    listed = ok(api.get("/certificates", {"serial": issued["serial"][-4:].lower()}))
    assert [c["serial"] for c in listed] == [issued["serial"]]
    url = f"/certificates/{issued['serial']}/revoke"
    assert error(api.post(url, {"reason": ""}), 422)["field"] == "reason"
    revoked = ok(api.post(url, {"reason": "信息有误"}))
    assert revoked["valid"] is False and revoked["revoked_reason"] == "信息有误"
    assert error(api.post(url, {"reason": "再次"}), 400)["field"] == "status"
    error(api.post(f"/certificates/{'X' * 30}/revoke", {"reason": "x"}), 404)
    error(Api(world.cangqian_staff).post(url, {"reason": "越权"}), 404)
    assert ok(Api(world.cangqian_staff).get("/certificates")) == []


def test_training_certificates_by_the_rule(world):
    crew = world.crew
    training, (all_three, two) = training_with_attendance(crew.tree, crew.staff)
    api = Api(crew.staff)
    url = f"/trainings/{training.public_id}/certificates"
    first = ok(api.post(url, {}))
    assert [c["person"]["public_id"] for c in first] == [str(all_three.public_id)]
    assert first[0]["kind"] == "training" and first[0]["activity"] == str(training.public_id)
    second = ok(api.post(url, {"min_sessions": 2}))
    assert [c["person"]["public_id"] for c in second] == [str(two.public_id)]
    assert ok(api.post(url, {"min_sessions": 2})) == []
    assert error(api.post(url, {"min_sessions": 4}), 400)["field"] == "min_sessions"
    not_training = factories.activity(crew.tree.xianlin_center, kind="lecture")
    error(api.post(f"/trainings/{not_training.public_id}/certificates", {}), 404)
    error(Api(world.cangqian_staff).post(url, {}), 404)
    assert Certificate.objects.filter(kind="training").count() == 2


# --- figures and the ledger -------------------------------------------------------------------


def test_figures_of_a_center_a_street_and_the_district(world):
    crew = world.crew
    credit(crew, crew.members[0], 150)
    claim = enter_honour(crew, crew.members[1], minutes=60)
    services.honour_decide(actor=crew.leader2, claim=claim, approve=True)
    api = Api(crew.staff)
    center = ok(api.get("/figures", {"center": crew.tree.xianlin_center.slug}))
    assert center["volunteers_active"] == 2 and center["credit_minutes"] == 150
    assert center["honour_minutes"] == 60 and center["credit_hours"] == 2.5
    street = ok(api.get("/figures", {"region": crew.tree.xianlin.pk}))
    assert street["credit_minutes"] == 150 and street["center"] is None
    widest = ok(api.get("/figures"))
    assert widest["region"] == crew.tree.xianlin.pk
    # A day before anything was done (the credited shift started 155 minutes ago, which
    # shortly after midnight is yesterday).
    before = (timezone.localdate() - timedelta(days=7)).isoformat()
    empty = ok(
        api.get("/figures", {"region": crew.tree.xianlin.pk, "end": before, "start": before})
    )
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert empty["credit_minutes"] == 0 and empty["no_show_rate"] is None
    backwards = {"start": timezone.localdate().isoformat(), "end": yesterday}
    assert error(api.get("/figures", backwards), 400)["field"] == "end"
    error(api.get("/figures", {"center": crew.tree.cangqian_center.slug}), 404)
    error(api.get("/figures", {"region": crew.tree.district.pk}), 404)
    boss = factories.staff("district_admin", crew.tree.district)
    district = ok(Api(boss).get("/figures", {"region": crew.tree.district.pk}))
    assert district["credit_minutes"] == 150


def test_the_ledger_in_excel(world):
    crew = world.crew
    credit(crew, crew.members[0], 150)
    api = Api(crew.staff)
    rows = rows_of(api.get("/ledger.xlsx", {"center": crew.tree.xianlin_center.slug}))
    assert rows[1][1] == "志愿者0" and rows[1][6] == 150
    assert rows[1][2] == crew.members[0].masked_mobile
    assert len(rows_of(api.get("/ledger.xlsx", {"region": crew.tree.xianlin.pk}))) == 2
    entry = AuditEntry.objects.filter(action="volunteers.export").latest("id")
    assert entry.data["what"] == "ledger" and entry.data["rows"] == 1
    error(api.get("/ledger.xlsx", {"center": crew.tree.cangqian_center.slug}), 404)


# --- who may ----------------------------------------------------------------------------------


def test_scoping_and_who_may(world):
    crew = world.crew
    item = reward(crew)
    team = f"/teams/{crew.team.public_id}"
    member = crew.members[0]
    reads = [
        "/teams",
        f"{team}/roster",
        f"{team}/roster.xlsx",
        "/honour",
        "/rewards",
        "/redemptions",
        "/certificates",
        "/figures",
        "/ledger.xlsx",
    ]
    writes = [
        ("post", f"{team}/members", {"mobile": member.mobile}),
        ("put", f"{team}/leaders/{member.public_id}", {"leader": True}),
        ("put", f"/rewards/{item.public_id}", {"name": "改", "points": "1", "stock": 1}),
        ("post", "/redemptions", {"item": str(item.public_id), "person": str(member.public_id)}),
        ("post", f"/people/{member.public_id}/points/expire", {}),
    ]
    # A volunteer, a team leader: not staff, 404 everywhere.
    for who in (member, crew.leader):
        api = Api(who)
        for url in reads:
            error(api.get(url), 404)
        for method, url, data in writes:
            error(api.send(method, url, data), 404)
    # Cangqian's staff: Xianlin's team, reward and person are not theirs.
    other = Api(world.cangqian_staff)
    for url in (f"{team}/roster", f"{team}/roster.xlsx"):
        error(other.get(url), 404)
    for method, url, data in writes:
        error(other.send(method, url, data), 404)
    assert [t["name"] for t in ok(other.get("/teams"))] == ["小哥志愿服务队"]
    assert ok(other.get("/rewards")) == []
    # A visitor signs in first.
    visitor = Api()
    for url in reads:
        error(visitor.get(url), 401)
    for method, url, data in writes:
        error(visitor.send(method, url, data), 401)
    assert Membership.objects.get(team=crew.team, person=member, status="active").role == "member"
    assert RewardItem.objects.get(pk=item.pk).name == "理发券"


def test_unknown_ids_are_404(world):
    api = Api(world.crew.staff)
    for bad in (str(uuid.uuid4()), "not-a-uuid"):
        error(api.get(f"/teams/{bad}/roster"), 404)
        error(api.post(f"/teams/{bad}/members", {"mobile": "13900000000"}), 404)
        error(api.put(f"/rewards/{bad}", {"name": "x", "points": "1", "stock": 1}), 404)
        error(api.post(f"/honour/{bad}/decision", {"approve": True}), 404)
        error(api.post(f"/entries/{bad}/correction", {"minutes": 1, "reason": "x"}), 404)
        error(api.post(f"/trainings/{bad}/certificates", {}), 404)
        error(api.post(f"/people/{bad}/points/expire"), 404)
    error(api.post("/certificates/YH-V-2026-NOPE0000/revoke", {"reason": "x"}), 404)
    error(api.get("/figures", {"region": 999999}), 404)
    error(api.get("/figures", {"center": "nowhere"}), 404)


def test_staff_lists_cost_the_same_queries_however_many_rows(world):
    crew = world.crew
    api = Api(crew.staff)
    lists = ["/teams", "/honour", "/rewards", "/redemptions", "/certificates"]

    def counts():
        return [clients.count_queries(lambda url=url: ok(api.get(url)))[0] for url in lists]

    def add_rows(n):
        member = crew.members[n]
        credit(crew, member, 180)
        enter_honour(crew, member, minutes=30)
        item = reward(crew, points="1", name=f"奖品{n}")
        services.redeem(actor=crew.staff, item=item, person=member)
        services.team_create(actor=crew.staff, name=f"新队{n}", center=crew.tree.xianlin_center)
        services.service_certificate_issue(
            actor=crew.staff,
            team=crew.team,
            person=member,
            period_start=timezone.localdate() - timedelta(days=3),
            period_end=timezone.localdate(),
        )

    add_rows(0)
    few = counts()
    add_rows(1)
    add_rows(2)
    assert counts() == few
