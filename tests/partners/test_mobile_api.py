"""The mobile party members' API: the member's own (report in, my record, notices, mark
read) and the staff's (masked register, status, notices, projects and log, figures);
bad input names the field, unknown ids are 404, outside one's regions is 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangqun.core.models import AuditEntry
from dangqun.partners import mobile, mobile_read
from dangqun.partners.models import MobileMember, TemporaryOrganisation
from tests import factories
from tests.clients import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(district):
    admin = factories.staff("street_admin", district.xianlin)
    other = factories.staff("street_admin", district.cangqian)
    org = mobile.organisation_create(
        actor=admin, name="闲林街道流动党员党支部", kind="branch", region=district.xianlin
    )
    return district, admin, other, org


def _body(org, **overrides):
    body = {
        "home_branch": "安徽省阜阳市某村党支部",
        "home_contact_name": "李书记",
        "home_contact_phone": "0558-1234567",
        "employer": "某快递公司",
        "work_place": "闲林街道",
        "organisation": org.pk,
        "arrived_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
    }
    body.update(overrides)
    return body


def test_the_member_reports_in_and_reads_notices(world):
    district, admin, other, org = world
    person = factories.PersonFactory(name="王小明", mobile="13912345678")
    me = Api(person, base="/mobile-members", token=True)
    assert me.get("/me").status_code == 404
    assert me.get("/me/notices").status_code == 404
    organisations = me.get("/organisations").json()
    assert [o["name"] for o in organisations] == ["闲林街道流动党员党支部"]
    response = me.post("/report-in", _body(org))
    assert response.status_code == 201, response.json()
    record = response.json()
    assert record["organisation"]["id"] == org.pk and record["status"] == "active"
    assert me.get("/me").json()["home_branch"] == "安徽省阜阳市某村党支部"
    assert len(me.get("/me/report-ins").json()) == 1
    mobile.notice_send(actor=admin, title="学习通知", body="周五学习", organisation=org)
    notices = me.get("/me/notices").json()
    assert [n["title"] for n in notices] == ["学习通知"] and notices[0]["read_at"] is None
    read = me.post(f"/me/notices/{notices[0]['id']}/read")
    assert read.status_code == 200 and read.json()["read_at"]
    stranger = Api(factories.PersonFactory(), base="/mobile-members", token=True)
    assert stranger.post(f"/me/notices/{notices[0]['id']}/read").status_code == 404
    assert me.post("/me/notices/999999999/read").status_code == 404
    assert me.get("/me/took-part").json() == []
    assert Api(base="/mobile-members").get("/me").status_code == 401


@pytest.mark.parametrize(
    ("override", "status", "field"),
    [
        ({"home_branch": ""}, 400, "home_branch"),
        ({"home_branch": "a\ud800"}, 400, "home_branch"),
        ({"employer": "a\x07b"}, 400, "employer"),
        ({"work_place": "x" * 3_000_000}, None, None),
        ({"arrived_on": "9999-12-31"}, 422, "arrived_on"),
        ({"arrived_on": "2100-12-31"}, 400, "arrived_on"),
        ({"arrived_on": "not a day"}, 422, "arrived_on"),
        ({"organisation": 999999999}, 404, "organisation"),
        ({"organisation": 10**30}, 400, "organisation"),
        ({"organisation": None}, 400, "region"),
        ({"organisation": None, "region": 999999}, 404, "region"),
        ({"home_contact_phone": "abc"}, 400, "home_contact_phone"),
        ({"name": ""}, 400, "name"),
        ({"name": "x" * 51}, 422, "name"),
    ],
)
def test_bad_report_in_names_the_field(world, override, status, field):
    *_rest, org = world
    me = Api(factories.PersonFactory(), base="/mobile-members", token=True)
    response = me.post("/report-in", _body(org, **override))
    assert 400 <= response.status_code < 500
    if status is not None:
        assert response.status_code == status, response.json()
        assert response.json()["field"] == field
    assert not MobileMember.objects.exists()


def test_the_staff_api_is_scoped_and_masked(world):
    district, admin, other, org = world
    person = factories.PersonFactory(name="王小明", mobile="13912345678")
    mobile.mobile_report_in(
        actor=person,
        person=person,
        home_branch="某支部",
        arrived_on=timezone.localdate() - timedelta(days=5),
        organisation=org,
    )
    member = MobileMember.objects.get()
    staff = Api(admin, base="/staff/mobile-members")
    rows = staff.get("/members").json()
    assert [(r["name"], r["mobile"]) for r in rows] == [("王**", "139****5678")]
    assert "王小明" not in str(rows) and "13912345678" not in str(rows)
    assert staff.get("/members", {"status": "returned"}).json() == []
    assert len(staff.get("/members", {"organisation": str(org.public_id)}).json()) == 1
    assert staff.get("/members", {"status": "gone"}).status_code == 422
    assert staff.get("/members", {"organisation": "nope"}).status_code == 422
    assert staff.get(f"/members/{member.public_id}").json()["mobile"] == "139****5678"
    assert staff.get("/members/00000000-0000-0000-0000-000000000000").status_code == 404
    bad = staff.post(f"/members/{member.public_id}/status", {"status": "returned"})
    assert bad.status_code == 400 and bad.json()["field"] == "on"
    bad = staff.post(
        f"/members/{member.public_id}/status", {"status": "returned", "on": "9999-01-01"}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "on"
    done = staff.post(
        f"/members/{member.public_id}/status",
        {"status": "returned", "on": timezone.localdate().isoformat()},
    )
    assert done.status_code == 200 and done.json()["status"] == "returned"
    took = staff.post(
        f"/members/{member.public_id}/took-part",
        {"activity_title": "主题党日", "on": timezone.localdate().isoformat()},
    )
    assert took.status_code == 201
    bad = staff.post(
        f"/members/{member.public_id}/took-part",
        {"activity_title": "\x00", "on": timezone.localdate().isoformat()},
    )
    assert bad.status_code == 400 and bad.json()["field"] == "activity_title"
    outsider = Api(other, base="/staff/mobile-members")
    assert outsider.get("/members").json() == []
    assert outsider.get(f"/members/{member.public_id}").status_code == 404
    assert (
        outsider.post(
            f"/members/{member.public_id}/status", {"status": "active", "on": None}
        ).status_code
        == 404
    )
    assert Api(person, base="/staff/mobile-members").get("/members").status_code == 404
    figures = staff.get("/figures").json()
    assert figures == {**mobile_read.figures(admin, year=timezone.localdate().year)}
    assert figures["registered"] == 1 and figures["took_part"] == 1
    assert staff.get("/figures", {"year": 9999}).status_code == 422
    assert outsider.get("/figures").json()["registered"] == 0


def test_organisations_notices_projects(world):
    district, admin, other, org = world
    person = factories.PersonFactory()
    mobile.mobile_report_in(
        actor=person,
        person=person,
        home_branch="某支部",
        arrived_on=timezone.localdate(),
        organisation=org,
    )
    member = MobileMember.objects.get()
    staff = Api(admin, base="/staff/mobile-members", token=True)
    made = staff.post(
        "/organisations", {"name": "骑手党小组", "kind": "group", "region": district.xianlin.pk}
    )
    assert made.status_code == 201
    assert TemporaryOrganisation.objects.count() == 2
    assert (
        staff.post(
            "/organisations", {"name": "x", "kind": "group", "region": district.cangqian.pk}
        ).status_code
        == 404
    )
    assert (
        staff.post("/organisations", {"name": "x", "kind": "cell", "region": 1}).json()["field"]
        == "kind"
    )
    assert len(staff.get("/organisations").json()) == 2
    sent = staff.post(
        "/notices", {"title": "学习通知", "body": "周五学习", "organisation": str(org.public_id)}
    )
    assert sent.status_code == 201 and sent.json()["recipients"] == 1
    both = staff.post("/notices", {"title": "t", "body": "b"})
    assert both.status_code == 400 and both.json()["field"] == "organisation"
    empty = staff.post("/notices", {"title": "t", "body": "b", "region": district.minfeng.pk})
    assert empty.status_code == 400 and empty.json()["field"] == "region"
    assert (
        staff.post(
            "/notices", {"title": "t", "body": "b", "region": district.cangqian.pk}
        ).status_code
        == 404
    )
    assert len(staff.get("/notices").json()) == 1
    project = staff.post("/projects", {"name": "红色代办", "region": district.xianlin.pk})
    assert project.status_code == 201
    pid = project.json()["public_id"]
    added = staff.post(f"/projects/{pid}/members", {"member": str(member.public_id)})
    assert added.status_code == 200 and len(added.json()["members"]) == 1
    again = staff.post(f"/projects/{pid}/members", {"member": str(member.public_id)})
    assert again.status_code == 400 and again.json()["field"] == "member"
    log = staff.post(
        f"/projects/{pid}/log",
        {"member": str(member.public_id), "on": timezone.localdate().isoformat(), "note": "代办"},
    )
    assert log.status_code == 201 and log.json()["project"] == "红色代办"
    assert len(staff.get(f"/projects/{pid}/log").json()) == 1
    assert len(staff.get("/projects").json()) == 1
    assert staff.get(f"/projects/{pid}").json()["members"][0]["name"].endswith("*")
    outsider = Api(other, base="/staff/mobile-members")
    assert outsider.get(f"/projects/{pid}").status_code == 404
    assert outsider.get(f"/projects/{pid}/log").status_code == 404
    assert AuditEntry.objects.filter(action__startswith="mobile_").count() >= 5


def test_the_full_look_and_the_counter_over_the_api(world):
    district, admin, other, org = world
    person = factories.PersonFactory(name="王小明", mobile="13912345678")
    staff = Api(admin, base="/staff/mobile-members")
    body = {
        "mobile": "13900000000",
        "home_branch": "某支部",
        "organisation": org.pk,
        "arrived_on": timezone.localdate().isoformat(),
    }
    nobody = staff.post("/counter", body)
    assert nobody.status_code == 400 and nobody.json()["field"] == "mobile"
    assert staff.post("/counter", {**body, "mobile": ""}).json()["field"] == "mobile"
    done = staff.post("/counter", {**body, "mobile": "13912345678"})
    assert done.status_code == 201 and done.json()["mobile"] == "139****5678"
    member = MobileMember.objects.get(person=person)
    assert member.report_ins.get().channel == "counter"
    outside = Api(other, base="/staff/mobile-members").post(
        "/counter", {**body, "mobile": "13912345678"}
    )
    assert outside.status_code == 404
    url = f"/members/{member.public_id}/reveal"
    assert staff.post(url, {"reason": " "}).json()["field"] == "reason"
    shown = staff.post(url, {"reason": "联系原党支部"})
    assert shown.json() == {"name": "王小明", "mobile": "13912345678"}
    assert AuditEntry.objects.get(action="mobile_member.reveal").data == {"reason": "联系原党支部"}
    assert Api(other, base="/staff/mobile-members").post(url, {"reason": "x"}).status_code == 404
