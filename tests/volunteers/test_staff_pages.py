"""The volunteers' back office over HTTP (/staff/volunteers/): teams (a new one, members,
leaders, enrolling by mobile number, the roster in Excel), rewards and redeeming points at
the counter, certificates (revoking, a training's), the figures of a known history and the
ledger in Excel; scoping (Cangqian's staff cannot see or change Xianlin's: 404), refusals,
and bad input (named fields, 404 for unknown ids, POST only for writes, never a 500)."""

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.db.models import F
from django.utils import timezone
from openpyxl import load_workbook

from dangqun.activities import services as activity_services
from dangqun.activities.models import ActivitySession, CheckIn
from dangqun.core.models import AuditEntry
from dangqun.volunteers import selectors, services
from dangqun.volunteers.models import (
    Certificate,
    HoursEntry,
    Membership,
    Redemption,
    RewardItem,
    Shift,
    Team,
)
from tests import factories
from tests.clients import count_queries, page_client

from .conftest import make_crew, open_shift, volunteer
from .test_services import attend, evidence

pytestmark = pytest.mark.django_db

BASE = "/staff/volunteers"


def text(response) -> str:
    return response.content.decode()


def figures_shown(response) -> list[str]:
    """The numbers of the figures' tiles, in their order."""
    tiles = re.search(r'<ul class="figures" id="figures">(.*?)</ul>', text(response), re.S)
    assert tiles, "no figures on the page"
    return re.findall(r"<strong>([^<]*)</strong>", tiles.group(1))


def move(shift, days: int):
    """The shift (its session and check-ins with it) `days` later (earlier when negative)."""
    delta = timedelta(days=days)
    Shift.objects.filter(pk=shift.pk).update(start=F("start") + delta, end=F("end") + delta)
    ActivitySession.objects.filter(activity=shift.activity).update(
        start=F("start") + delta, end=F("end") + delta
    )
    CheckIn.objects.filter(session__activity=shift.activity).update(
        checked_in_at=F("checked_in_at") + delta, checked_out_at=F("checked_out_at") + delta
    )
    shift.refresh_from_db()
    return shift


def credit(shift, check_in):
    return services.ledger.credit_check_in(
        shift=shift, check_in=CheckIn.objects.get(pk=check_in.pk)
    )


def approved_honour(team, person, *, by, second, minutes: int, days_ago: int = 1):
    claim = services.honour_enter(
        actor=by,
        team=team,
        person=person,
        day=timezone.localdate() - timedelta(days=days_ago),
        minutes=minutes,
        reason="防汛值守",
        evidence=evidence(),
    )
    return services.honour_decide(actor=second, claim=claim, approve=True)


@dataclass
class World:
    crew: object
    cangqian_staff: object
    cangqian_team: object
    street_team: object


@pytest.fixture
def world(crew):
    """Xianlin's crew, a Cangqian team with its own staff, and a team of the Xianlin street
    itself (no center)."""
    tree = crew.tree
    cangqian_staff = factories.staff("street_admin", tree.cangqian, name="仓前管理员")
    cangqian_team = services.team_create(
        actor=cangqian_staff, name="小哥志愿服务队", center=tree.cangqian_center
    )
    street_team = services.team_create(actor=crew.staff, name="闲林街道巡河队", region=tree.xianlin)
    return World(crew, cangqian_staff, cangqian_team, street_team)


def staff_client(crew):
    return page_client(crew.staff)


# --- who may come in ------------------------------------------------------------------------


def test_the_back_office_is_for_staff_who_run_centers(world):
    crew = world.crew
    resident = factories.PersonFactory()
    partner = factories.staff("partner_staff", crew.tree.xianlin)
    assert page_client().get(f"{BASE}/").status_code == 302  # to sign in
    for person in (resident, partner):
        client = page_client(person)
        for url in ("/", "/rewards/", "/counter/", "/certificates/", "/figures/"):
            assert client.get(f"{BASE}{url}").status_code == 404, url


def test_staff_home_links_the_volunteers(world):
    page = staff_client(world.crew).get("/staff/")
    assert f'href="{BASE}/"' in text(page)


# --- teams ------------------------------------------------------------------------------------


def test_team_list_shows_members_leaders_and_this_months_hours(world):
    crew = world.crew
    approved_honour(
        crew.team, crew.members[0], by=crew.leader, second=crew.leader2, minutes=90, days_ago=0
    )
    client = staff_client(crew)
    page = client.get(f"{BASE}/")
    assert page.status_code == 200
    row = re.search(rf'<tr id="team-{crew.team.public_id}">(.*?)</tr>', text(page), re.S).group(1)
    assert "Xianlin elder-help team" in row and "王队长 · 李副队" in row
    assert 'data-label="Members">5<' in row  # two leaders and three members
    assert ">1.5</td>" in row  # 90 minutes this month
    assert "闲林街道巡河队" in text(page) and "小哥志愿服务队" not in text(page)
    few, _page = count_queries(lambda: client.get(f"{BASE}/"))
    for n in range(3):
        services.team_create(actor=crew.staff, name=f"队{n}", center=crew.tree.xianlin_center)
    many, _page = count_queries(lambda: client.get(f"{BASE}/"))
    assert many == few


def test_staff_set_up_a_team_and_every_field_is_checked(world):
    crew = world.crew
    client = staff_client(crew)
    assert client.get(f"{BASE}/teams/new/").status_code == 200
    bad = client.post(
        f"{BASE}/teams/new/",
        {"owner": f"center:{crew.tree.cangqian_center.slug}", "name": "", "join_rule": "x"},
    )
    assert bad.status_code == 400
    form = bad.context["form"]
    assert {"owner", "name", "join_rule"} <= set(form.errors)
    huge = client.post(
        f"{BASE}/teams/new/",
        {"owner": "center:xianlin", "name": "x" * 3_000_000, "join_rule": "open"},
    )
    assert huge.status_code == 400 and "name" in huge.context["form"].errors
    before = Team.objects.count()
    made = client.post(
        f"{BASE}/teams/new/",
        {
            "owner": "center:xianlin",
            "name": "闲林助餐志愿队",
            "name_en": "Xianlin meal helpers",
            "join_rule": "approval",
            "requires_verified": "on",
            "description": "为老年食堂送餐",
        },
    )
    team = Team.objects.get(name="闲林助餐志愿队")
    assert made.status_code == 302 and made["Location"] == f"{BASE}/teams/{team.public_id}/"
    assert Team.objects.count() == before + 1
    assert team.center == crew.tree.xianlin_center and team.region == crew.tree.xianlin
    assert team.join_rule == "approval" and team.requires_verified
    assert AuditEntry.objects.filter(action="volunteer_team.create", object_id=team.pk).exists()
    street = client.post(
        f"{BASE}/teams/new/",
        {"owner": f"region:{crew.tree.xianlin.pk}", "name": "闲林街道应急队", "join_rule": "open"},
    )
    assert street.status_code == 302
    assert Team.objects.get(name="闲林街道应急队").center is None


def test_team_page_lists_members_with_hours_and_links(world):
    crew = world.crew
    approved_honour(crew.team, crew.members[1], by=crew.leader, second=crew.leader2, minutes=60)
    page = staff_client(crew).get(f"{BASE}/teams/{crew.team.public_id}/")
    assert page.status_code == 200
    html = text(page)
    assert f'href="/volunteers/lead/teams/{crew.team.public_id}/"' in html
    assert f"{BASE}/teams/{crew.team.public_id}/roster.xlsx" in html
    row = re.search(
        rf'<li class="card" id="member-{crew.members[1].public_id}">(.*?)</li>', html, re.S
    )
    assert "志愿者1" in row.group(1) and "0 h credit, 1 h honour" in row.group(1)
    # Leaders first, then the members in the order they joined.
    order = [m.group(1) for m in re.finditer(r'id="member-([0-9a-f-]+)"', html)]
    expected = [crew.leader, crew.leader2, *crew.members]
    assert order == [str(p.public_id) for p in expected]
    assert f"/staff/people/{crew.members[1].public_id}/" in row.group(1)


def test_staff_make_and_unmake_a_leader(world):
    crew = world.crew
    client = staff_client(crew)
    url = f"{BASE}/teams/{crew.team.public_id}/leaders/{crew.members[0].public_id}/"
    assert client.get(url).status_code == 405
    assert client.post(url, {"leader": "1"}).status_code == 302
    membership = Membership.objects.get(team=crew.team, person=crew.members[0], status="active")
    assert membership.role == "leader"
    client.post(url, {"leader": "0"})
    membership.refresh_from_db()
    assert membership.role == "member"
    outsider = factories.PersonFactory()
    gone = client.post(
        f"{BASE}/teams/{crew.team.public_id}/leaders/{outsider.public_id}/", {"leader": "1"}
    )
    assert gone.status_code == 404


def test_enrol_by_mobile_number_as_people_type_it(world):
    crew = world.crew
    client = staff_client(crew)
    url = f"{BASE}/teams/{crew.team.public_id}/members/"
    newcomer = volunteer(mobile="13912345678", name="赵新人")
    assert client.get(url).status_code == 405
    done = client.post(url, {"mobile": "+86 139-1234-5678"})
    assert done.status_code == 302
    assert Membership.objects.filter(team=crew.team, person=newcomer, status="active").exists()
    again = client.post(url, {"mobile": "13912345678"})  # already a member: nothing doubles
    assert again.status_code == 302
    assert Membership.objects.filter(team=crew.team, person=newcomer).count() == 1


@pytest.mark.parametrize(
    "mobile, wording",
    [
        ("", "required"),
        ("abc", "11 digits"),
        ("1" * 30, "11 digits"),
        ("1" * 31, "at most 30"),
        ("13700000000", "Nobody has signed up"),
    ],
)
def test_enrol_names_the_mobile_field(world, mobile, wording):
    crew = world.crew
    response = staff_client(crew).post(
        f"{BASE}/teams/{crew.team.public_id}/members/", {"mobile": mobile}
    )
    assert response.status_code == 400
    errors = response.context["add_form"].errors["mobile"]
    assert any(wording in e for e in errors), errors


def test_enrol_without_the_volunteer_group_links_the_persons_page(world):
    crew = world.crew
    plain = factories.PersonFactory(mobile="13911112222", name="钱居民")
    response = staff_client(crew).post(
        f"{BASE}/teams/{crew.team.public_id}/members/", {"mobile": "13911112222"}
    )
    assert response.status_code == 400
    assert "volunteer" in " ".join(response.context["add_form"].errors["mobile"]).lower()
    assert f"/staff/people/{plain.public_id}/" in text(response)
    assert not Membership.objects.filter(person=plain).exists()


def test_enrolling_someone_who_asked_to_join_accepts_them(world):
    """The service's bug: a pending request and staff's enrolment made two current
    memberships (the database refused it: a 500)."""
    crew = world.crew
    crew.team.join_rule = "approval"
    crew.team.save()
    asking = volunteer(mobile="13922223333")
    services.team_join(actor=asking, team=crew.team)
    response = staff_client(crew).post(
        f"{BASE}/teams/{crew.team.public_id}/members/", {"mobile": "13922223333"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(team=crew.team, person=asking)
    assert membership.status == "active" and membership.decided_by == crew.staff
    assert services.member_add(actor=crew.staff, team=crew.team, person=asking) == membership


def test_roster_in_excel(world):
    crew = world.crew
    approved_honour(crew.team, crew.members[2], by=crew.leader, second=crew.leader2, minutes=150)
    response = staff_client(crew).get(f"{BASE}/teams/{crew.team.public_id}/roster.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Volunteer", "Mobile number", "Role")
    assert len(rows) == 1 + 5
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["志愿者2"][6] == 2.5 and by_name["王队长"][2] == "Leader"
    assert [r[2] for r in rows[1:]] == ["Leader", "Leader", "Member", "Member", "Member"]
    assert "13800" not in str(rows)  # mobile numbers masked
    assert AuditEntry.objects.filter(action="volunteers.export").exists()


# --- rewards and the counter ------------------------------------------------------------------


def reward(crew, *, points="2", stock=3, name="理发券", center=None):
    staff = factories.staff("center_staff", crew.tree.xianlin, crew.tree.xianlin_center)
    return services.reward_item_save(
        actor=staff,
        center=center or crew.tree.xianlin_center,
        name=name,
        points=points,
        stock=stock,
    )


def earn(crew, person, hours: int = 3):
    shift = open_shift(crew, crew.leader, days=5, hour=8, hours=hours, places=5)
    _registration, check_in = attend(shift, person, leave_after=hours * 60)
    credit(shift, check_in)
    return shift


def test_rewards_catalogue_new_and_edit(world):
    crew = world.crew
    client = staff_client(crew)
    assert client.get(f"{BASE}/rewards/new/").status_code == 200
    made = client.post(
        f"{BASE}/rewards/new/",
        {
            "center": "xianlin",
            "name": "理发券",
            "name_en": "Haircut",
            "points": "2.5",
            "stock": "4",
            "offered": "on",
        },
    )
    assert made.status_code == 302
    item = RewardItem.objects.get()
    assert (item.points, item.stock, item.is_active) == (Decimal("2.50"), 4, True)
    listed = client.get(f"{BASE}/rewards/")
    assert "理发券" in text(listed) and f"{BASE}/rewards/{item.public_id}/edit/" in text(listed)
    edited = client.post(
        f"{BASE}/rewards/{item.public_id}/edit/",
        {"name": "理发券", "points": "3", "stock": "0"},  # "offered" unticked
    )
    assert edited.status_code == 302
    item.refresh_from_db()
    assert (item.points, item.stock, item.is_active) == (Decimal("3.00"), 0, False)


@pytest.mark.parametrize(
    "data, fields",
    [
        (
            {"center": "cangqian", "name": "", "points": "0", "stock": "-1"},
            {"center", "name", "points", "stock"},
        ),
        (
            {"center": "xianlin", "name": "券", "points": "9" * 30, "stock": "9" * 30},
            {"points", "stock"},
        ),
        ({"center": "xianlin", "name": "券", "points": "abc", "stock": "1.5"}, {"points", "stock"}),
    ],
)
def test_reward_form_names_each_bad_field(world, data, fields):
    client = staff_client(world.crew)
    response = client.post(f"{BASE}/rewards/new/", data)
    assert response.status_code == 400
    assert fields <= set(response.context["form"].errors)
    control = client.post(f"{BASE}/rewards/new/", {**data, "name": "券\x00"})
    assert control.status_code == 400  # refused before the page, by the middleware
    assert not RewardItem.objects.exists()


def test_counter_finds_by_mobile_and_redeems(world):
    crew = world.crew
    person = crew.members[0]
    earn(crew, person)  # 3 credit hours: 3 points
    item = reward(crew, points="2", stock=1)
    client = staff_client(crew)
    spaced = f"{person.mobile[:3]} {person.mobile[3:7]} {person.mobile[7:]}"
    found = client.get(f"{BASE}/counter/", {"mobile": spaced})
    assert found.status_code == 302
    assert found["Location"] == f"{BASE}/counter/{person.public_id}/"
    page = client.get(found["Location"])
    assert page.status_code == 200
    assert '<strong id="balance">3</strong>' in text(page) and "理发券" in text(page)
    done = client.post(f"{BASE}/counter/{person.public_id}/redeem/", {"item": item.public_id})
    assert done.status_code == 302
    assert selectors.points_of(person) == Decimal("1.00")
    item.refresh_from_db()
    assert item.stock == 0
    redemption = Redemption.objects.get()
    assert redemption.by == crew.staff and redemption.points == Decimal("2.00")
    after = client.get(done["Location"])
    assert "Points left: 1" in text(after) and "No rewards in stock here." in text(after)
    assert "理发券" in text(client.get(f"{BASE}/rewards/"))  # the last redemptions


def test_redeem_is_refused_without_points_or_stock_and_nothing_changes(world):
    crew = world.crew
    person = crew.members[0]
    earn(crew, person, hours=1)  # 1 point
    dear = reward(crew, points="5", stock=2, name="体检券")
    gone = reward(crew, points="1", stock=0, name="雨伞")
    client = staff_client(crew)
    client.get(f"{BASE}/counter/", {"mobile": person.mobile})
    url = f"{BASE}/counter/{person.public_id}/redeem/"
    refused = client.post(url, {"item": dear.public_id}, follow=True)
    assert "Not enough points" in text(refused)
    refused = client.post(url, {"item": gone.public_id}, follow=True)
    assert "not in stock" in text(refused)
    dear.refresh_from_db()
    assert dear.stock == 2 and not Redemption.objects.exists()
    assert selectors.points_of(person) == Decimal("1.00")
    assert client.get(url).status_code == 405
    assert client.post(url, {"item": "not-an-id"}).status_code == 404
    assert client.post(url, {"item": "9" * 30}).status_code == 404


def test_counter_input_is_checked(world):
    client = staff_client(world.crew)
    for bad in ("abc", "12", "1" * 30, "１２ab"):
        response = client.get(f"{BASE}/counter/", {"mobile": bad})
        assert response.status_code == 400 and "mobile" in response.context["form"].errors
    nobody = client.get(f"{BASE}/counter/", {"mobile": "13700000000"})
    assert nobody.status_code == 200 and "Nobody found" in text(nobody)


def test_someone_from_elsewhere_only_after_their_number_was_given(world):
    crew = world.crew
    item = reward(crew, points="1", stock=5)
    elsewhere = volunteer(mobile="13933334444")
    client = staff_client(crew)
    assert client.get(f"{BASE}/counter/{elsewhere.public_id}/").status_code == 404
    url = f"{BASE}/counter/{elsewhere.public_id}/redeem/"
    assert client.post(url, {"item": item.public_id}).status_code == 404
    client.get(f"{BASE}/counter/", {"mobile": "13933334444"})
    assert client.get(f"{BASE}/counter/{elsewhere.public_id}/").status_code == 200
    assert AuditEntry.objects.filter(object_id=elsewhere.pk).exists()  # the look-up


# --- certificates -----------------------------------------------------------------------------


def training_with_attendance(tree, staff, attended=(3, 2)):
    training = factories.activity(tree.xianlin_center, kind="training", sessions=3)
    people = []
    for n, times in enumerate(attended):
        person = factories.PersonFactory(name=f"学员{n}")
        registration = activity_services.registration_create(actor=person, activity=training)
        for session in list(training.sessions.order_by("start"))[:times]:
            activity_services.check_in(
                actor=staff,
                session=session,
                registration=registration,
                method="short_code",
                check_window=False,
            )
        people.append(person)
    return training, people


def test_training_certificates_by_the_rule_chosen(world):
    crew = world.crew
    training, (thrice, twice) = training_with_attendance(crew.tree, crew.staff)
    client = staff_client(crew)
    url = f"{BASE}/trainings/{training.public_id}/"
    page = client.get(url)
    assert page.status_code == 200 and "学员0" in text(page) and "学员1" in text(page)
    assert "1 person qualifies" in text(page)
    preview = client.get(url, {"rule": "at_least", "min_sessions": "2"})
    assert "2 people qualify" in text(preview)
    assert client.post(url, {"rule": "all", "issue": "1"}).status_code == 302
    assert [c.person for c in Certificate.objects.all()] == [thrice]
    client.post(url, {"rule": "at_least", "min_sessions": "2", "issue": "1"})
    assert set(Certificate.objects.values_list("person", flat=True)) == {thrice.pk, twice.pk}
    again = client.post(url, {"rule": "at_least", "min_sessions": "2", "issue": "1"}, follow=True)
    assert "has a certificate already" in text(again) and Certificate.objects.count() == 2
    certificate = Certificate.objects.get(person=twice)
    assert "2" in certificate.rule and "3" in certificate.rule


@pytest.mark.parametrize(
    "data",
    [
        {"rule": "at_least", "min_sessions": "9"},
        {"rule": "at_least", "min_sessions": "9" * 30},
        {"rule": "at_least"},
        {"rule": "some"},
    ],
)
def test_training_rule_input_is_checked(world, data):
    crew = world.crew
    training, _people = training_with_attendance(crew.tree, crew.staff)
    response = staff_client(crew).post(
        f"{BASE}/trainings/{training.public_id}/", {**data, "issue": "1"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) & {"rule", "min_sessions"}
    assert not Certificate.objects.exists()


def test_training_page_is_for_trainings_only(world):
    crew = world.crew
    talk = factories.activity(crew.tree.xianlin_center, kind="class")
    assert staff_client(crew).get(f"{BASE}/trainings/{talk.public_id}/").status_code == 404


def test_the_activitys_staff_page_links_its_training_certificates(world):
    crew = world.crew
    training, _people = training_with_attendance(crew.tree, crew.staff)
    page = staff_client(crew).get(f"/staff/activities/{training.public_id}/")
    assert f"{BASE}/trainings/{training.public_id}/" in text(page)
    talk = factories.activity(crew.tree.xianlin_center, kind="class")
    assert f"{BASE}/trainings/" not in text(
        staff_client(crew).get(f"/staff/activities/{talk.public_id}/")
    )


def test_certificates_listed_masked_and_revoked_once(world):
    crew = world.crew
    training, _people = training_with_attendance(crew.tree, crew.staff)
    (certificate,) = services.training_certificates_issue(actor=crew.staff, activity=training)
    client = staff_client(crew)
    listed = client.get(f"{BASE}/certificates/")
    assert listed.status_code == 200
    assert certificate.serial in text(listed) and "学**" in text(listed)
    assert "学员0" not in text(listed)
    assert certificate.serial in text(
        client.get(f"{BASE}/certificates/", {"serial": certificate.serial[-4:]})
    )
    url = f"{BASE}/certificates/{certificate.serial}/revoke/"
    assert client.get(url).status_code == 200
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400 and "reason" in empty.context["form"].errors
    assert client.post(url, {"reason": "x" * 201}).status_code == 400
    done = client.post(url, {"reason": "信息有误"})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert not certificate.is_valid and certificate.revoked_reason == "信息有误"
    twice = client.post(url, {"reason": "再撤一次"})
    assert twice.status_code == 400 and "revoked already" in text(twice)
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "信息有误"
    for serial in ("YH-V-2026-NOSUCH", "x" * 300):
        assert client.get(f"{BASE}/certificates/{serial}/revoke/").status_code == 404


# --- figures and the ledger -------------------------------------------------------------------


@pytest.fixture
def history(world):
    """Three and two days ago: shift A (2 places, both taken; one came for 3 hours, one
    never came) and shift B (2 places, one taken; came for 135 of 180 minutes). Yesterday:
    an hour of honour for the first. A shift tomorrow (not held yet). The Xianlin street's
    own team: half an hour of honour. Cangqian: two hours of honour."""
    crew = world.crew
    first, second, third = crew.members
    a = open_shift(crew, crew.leader, days=2, hour=9, places=2)
    b = open_shift(crew, crew.leader, days=3, hour=9, places=2)
    _r, came = attend(a, first, leave_after=180)
    services.shift_sign_up(actor=second, shift=a)
    _r, part = attend(b, third, arrive_after=45, leave_after=180)
    move(a, -5)
    move(b, -5)
    credit(a, came)
    credit(b, part)
    approved_honour(crew.team, first, by=crew.leader, second=crew.leader2, minutes=60)
    river, river_leader = volunteer(name="巡河志愿者"), volunteer(name="巡河队长")
    for person in (river, river_leader):
        services.member_add(actor=crew.staff, team=world.street_team, person=person)
    services.leader_set(actor=crew.staff, team=world.street_team, person=river_leader)
    approved_honour(world.street_team, river, by=river_leader, second=crew.staff, minutes=30)
    rider, rider_leader = volunteer(name="骑手"), volunteer(name="骑手队长")
    for person in (rider, rider_leader):
        services.member_add(actor=world.cangqian_staff, team=world.cangqian_team, person=person)
    services.leader_set(actor=world.cangqian_staff, team=world.cangqian_team, person=rider_leader)
    approved_honour(
        world.cangqian_team, rider, by=rider_leader, second=world.cangqian_staff, minutes=120
    )
    return world


def period(**extra) -> dict:
    today = timezone.localdate()
    return {
        "period": "dates",
        "start": (today - timedelta(days=10)).isoformat(),
        "end": today.isoformat(),
        **extra,
    }


def test_figures_of_a_known_history(history):
    crew = history.crew
    client = staff_client(crew)
    street = client.get(f"{BASE}/figures/", period(where=f"region:{crew.tree.xianlin.pk}"))
    assert street.status_code == 200
    # active, held, filled, credit hours (180 + 135 minutes: 5.25 shown as 5), honour
    # (60 + 30 minutes), no-shows (1 of 3 places at ended shifts)
    assert figures_shown(street) == ["3", "2", "1", "5", "1.5", "33.3%"]
    center = client.get(f"{BASE}/figures/", period(where="center:xianlin"))
    assert figures_shown(center) == ["2", "2", "1", "5", "1", "33.3%"]
    district_admin = factories.staff("district_admin", crew.tree.district)
    district = page_client(district_admin).get(
        f"{BASE}/figures/", period(where=f"region:{crew.tree.district.pk}")
    )
    assert figures_shown(district) == ["4", "2", "1", "5", "3.5", "33.3%"]
    assert selectors.center_figures(
        center=crew.tree.xianlin_center,
        start=timezone.localdate() - timedelta(days=10),
        end=timezone.localdate(),
    ).no_show_rate == pytest.approx(1 / 3)


def test_a_reversed_entry_leaves_nobody_active(world):
    crew = world.crew
    approved_honour(crew.team, crew.members[0], by=crew.leader, second=crew.leader2, minutes=60)
    entry = HoursEntry.objects.get()
    services.entry_correct(actor=crew.leader, entry=entry, minutes=0, reason="记错了人")
    page = staff_client(crew).get(f"{BASE}/figures/", period(where="center:xianlin"))
    assert figures_shown(page)[0] == "0" and figures_shown(page)[4] == "0"


def test_figures_period_choices(history):
    client = staff_client(history.crew)
    for choice in ("this_month", "last_month", "this_year"):
        page = client.get(f"{BASE}/figures/", {"where": "center:xianlin", "period": choice})
        assert page.status_code == 200 and len(figures_shown(page)) == 6
    default = client.get(f"{BASE}/figures/")
    assert default.status_code == 200 and len(figures_shown(default)) == 6


def test_figures_page_query_count_stays_put(history):
    crew = history.crew
    client = staff_client(crew)
    query = period(where=f"region:{crew.tree.xianlin.pk}")
    client.get(f"{BASE}/figures/", query)
    few, page = count_queries(lambda: client.get(f"{BASE}/figures/", query))
    for n in range(3):
        shift = open_shift(crew, crew.leader, days=6 + n, hour=9, places=1)
        _r, came = attend(shift, crew.members[n], leave_after=180)
        move(shift, -10)
        credit(shift, came)
    many, again = count_queries(lambda: client.get(f"{BASE}/figures/", query))
    assert figures_shown(again)[1] == "5"
    assert many == few and few <= 15


@pytest.mark.parametrize(
    "query, field",
    [
        ({"period": "dates", "start": "9999-12-31", "end": "9999-12-31"}, "start"),
        ({"period": "dates", "start": "2026-01-10", "end": "2026-01-01"}, "end"),
        ({"period": "dates", "start": "", "end": ""}, "start"),
        ({"period": "dates", "start": "2026-13-01", "end": "2026-01-01"}, "start"),
        ({"period": "dates", "start": "1" * 30, "end": "2026-01-01"}, "start"),
        ({"period": "someday"}, "period"),
    ],
)
def test_figures_input_names_the_field(world, query, field):
    client = staff_client(world.crew)
    page = client.get(f"{BASE}/figures/", {"where": "center:xianlin", **query})
    assert page.status_code == 400 and field in page.context["form"].errors
    excel = client.get(f"{BASE}/figures/ledger.xlsx", {"where": "center:xianlin", **query})
    assert excel.status_code == 400


def test_the_ledger_in_excel(history):
    crew = history.crew
    client = staff_client(crew)
    query = period(where=f"region:{crew.tree.xianlin.pk}")
    page = client.get(f"{BASE}/figures/", query)
    assert f"{BASE}/figures/ledger.xlsx?where=region%3A{crew.tree.xianlin.pk}" in text(page)
    response = client.get(f"{BASE}/figures/ledger.xlsx", query)
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Date" and rows[0][6] == "Minutes"
    body = rows[1:]
    assert len(body) == 4  # two credit entries, two honour (Cangqian's is not Xianlin's)
    assert sum(r[6] for r in body) == 180 + 135 + 60 + 30
    assert {r[3] for r in body} == {"Xianlin elder-help team", "闲林街道巡河队"}
    center = client.get(f"{BASE}/figures/ledger.xlsx", period(where="center:xianlin"))
    assert len(list(load_workbook(BytesIO(center.content)).active.iter_rows())) == 1 + 3
    assert AuditEntry.objects.filter(action="volunteers.export").count() == 2


# --- scoping: Cangqian's staff and Xianlin's records ------------------------------------------


def test_cangqian_staff_cannot_see_or_change_xianlin(history):
    crew = history.crew
    training, _people = training_with_attendance(crew.tree, crew.staff)
    (certificate,) = services.training_certificates_issue(actor=crew.staff, activity=training)
    item = reward(crew, points="1", stock=5)
    client = page_client(history.cangqian_staff)
    team = crew.team.public_id
    member = crew.members[0]
    assert "闲林助老志愿队" not in text(client.get(f"{BASE}/"))
    assert "理发券" not in text(client.get(f"{BASE}/rewards/"))
    assert certificate.serial not in text(client.get(f"{BASE}/certificates/"))
    for url in (
        f"/teams/{team}/",
        f"/teams/{team}/roster.xlsx",
        f"/rewards/{item.public_id}/edit/",
        f"/certificates/{certificate.serial}/revoke/",
        f"/trainings/{training.public_id}/",
        f"/counter/{member.public_id}/",
    ):
        assert client.get(f"{BASE}{url}").status_code == 404, url
    for url, data in (
        (f"/teams/{team}/members/", {"mobile": member.mobile}),
        (f"/teams/{team}/leaders/{member.public_id}/", {"leader": "1"}),
        (f"/rewards/{item.public_id}/edit/", {"name": "改", "points": "1", "stock": "1"}),
        (f"/certificates/{certificate.serial}/revoke/", {"reason": "越权"}),
        (f"/trainings/{training.public_id}/", {"rule": "all", "issue": "1"}),
    ):
        assert client.post(f"{BASE}{url}", data).status_code == 404, url
    client.get(f"{BASE}/counter/", {"mobile": member.mobile})  # at their desk, by full number
    redeem = client.post(f"{BASE}/counter/{member.public_id}/redeem/", {"item": item.public_id})
    assert redeem.status_code == 404  # Xianlin's reward
    for where in (
        f"region:{crew.tree.xianlin.pk}",
        "center:xianlin",
        f"region:{crew.tree.district.pk}",
        "region:" + "9" * 30,
        "center:nowhere",
    ):
        assert client.get(f"{BASE}/figures/", {"where": where}).status_code == 404, where
        assert client.get(f"{BASE}/figures/ledger.xlsx", {"where": where}).status_code == 404
    item.refresh_from_db()
    certificate.refresh_from_db()
    assert item.name == "理发券" and item.stock == 5 and certificate.is_valid
    assert not Redemption.objects.exists()
    assert Membership.objects.get(team=crew.team, person=member, status="active").role == "member"


def test_unknown_ids_are_404(world):
    client = staff_client(world.crew)
    for url in (
        "/teams/00000000-0000-0000-0000-000000000000/",
        "/teams/not-a-uuid/",
        "/rewards/00000000-0000-0000-0000-000000000000/edit/",
        "/trainings/00000000-0000-0000-0000-000000000000/",
        "/counter/00000000-0000-0000-0000-000000000000/",
    ):
        assert client.get(f"{BASE}{url}").status_code == 404, url


def test_the_street_team_belongs_to_the_street(world):
    crew = world.crew
    center_staff = factories.staff("center_staff", crew.tree.xianlin, crew.tree.xianlin_center)
    page = page_client(center_staff).get(f"{BASE}/teams/{world.street_team.public_id}/")
    assert page.status_code == 200  # a center's staff serve the street their role names


def test_crediting_a_check_in_is_one_transaction_of_its_own(race_db):
    """The hours entry and its points are written together, whoever calls: outside any
    transaction PostgreSQL refused the account's row lock (and the entry would have been
    written without its points)."""
    crew = make_crew(factories.district_tree())
    shift = open_shift(crew, crew.leader, days=2, hour=9, hours=2, places=2)
    _registration, check_in = attend(shift, crew.members[0], leave_after=120)
    entry = credit(shift, check_in)
    assert entry.minutes == 120 and selectors.points_of(crew.members[0]) == Decimal("2.00")
