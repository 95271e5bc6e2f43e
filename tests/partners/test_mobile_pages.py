"""Mobile party members' pages over HTTP: the member reports in and reads a notice; staff
see the masked register of their regions only (404 elsewhere), change a status, look at
the full name with a reason (audited), send notices and keep a project's log."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangqun.core.models import AuditEntry
from dangqun.partners import mobile
from dangqun.partners.models import MobileMember, NoticeDelivery, Participation, ServiceProject
from tests import factories
from tests.clients import page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(district):
    admin = factories.staff("street_admin", district.xianlin)
    other = factories.staff("street_admin", district.cangqian)
    org = mobile.organisation_create(
        actor=admin, name="闲林街道流动党员党支部", kind="branch", region=district.xianlin
    )
    return district, admin, other, org


def _report(client, district, org, **overrides):
    data = {
        "name": "王小明",
        "home_branch": "安徽省阜阳市某村党支部",
        "home_contact_name": "李书记",
        "home_contact_phone": "0558-1234567",
        "employer": "某快递公司",
        "work_place": "闲林街道",
        "region": str(district.xianlin.pk),
        "organisation": str(org.pk),
        "arrived_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
    }
    data.update(overrides)
    return client.post("/mobile-members/report-in/", data)


def test_signed_out_is_sent_to_sign_in(client, db):
    response = client.get("/mobile-members/")
    assert response.status_code == 302
    assert "next=/mobile-members/" in response["Location"]


def test_the_member_reports_in_and_sees_the_record(world):
    district, admin, other, org = world
    person = factories.PersonFactory(name="王小明")
    client = page_client(person)  # in English
    page = client.get("/mobile-members/")
    assert page.status_code == 200
    assert "What we collect and why" in page.content.decode()
    response = _report(client, district, org)
    assert response.status_code == 302
    member = MobileMember.objects.get(person=person)
    assert member.organisation == org
    page = client.get("/mobile-members/").content.decode()
    assert "安徽省阜阳市某村党支部" in page and "My report-ins" in page


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"home_branch": ""}, "home_branch"),
        ({"name": ""}, "name"),
        ({"arrived_on": "9999-01-01"}, "arrived_on"),
        ({"arrived_on": (timezone.localdate() + timedelta(days=2)).isoformat()}, "arrived_on"),
        ({"organisation": "999999"}, "organisation"),
        ({"region": "", "organisation": ""}, "region"),
        ({"home_contact_phone": "abc"}, "home_contact_phone"),
    ],
)
def test_a_refused_report_in_names_the_field(world, as_person, override, field):
    district, admin, other, org = world
    client = as_person(factories.PersonFactory())
    response = _report(client, district, org, **override)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not MobileMember.objects.exists()


def test_staff_see_the_masked_register_of_their_regions(world, as_person, client):
    district, admin, other, org = world
    person = factories.PersonFactory(name="王小明", mobile="13912345678")
    mobile.mobile_report_in(
        actor=person,
        person=person,
        home_branch="某支部",
        arrived_on=timezone.localdate(),
        organisation=org,
    )
    member = MobileMember.objects.get()
    page = as_person(admin).get("/staff/mobile-members/").content.decode()
    assert "王**" in page and "139****5678" in page
    assert "王小明" not in page and "13912345678" not in page
    detail = client.get(f"/staff/mobile-members/{member.public_id}/").content.decode()
    assert "王小明" not in detail and "139****5678" in detail
    filtered = client.get("/staff/mobile-members/?status=returned").content.decode()
    assert "139****5678" not in filtered
    filtered = client.get(f"/staff/mobile-members/?organisation={org.public_id}").content
    assert "139****5678" in filtered.decode()
    shown = client.post(
        f"/staff/mobile-members/{member.public_id}/reveal/", {"reason": "联系组织关系"}
    )
    assert "13912345678" in shown.content.decode()
    assert AuditEntry.objects.filter(action="mobile_member.reveal").count() == 1
    refused = client.post(f"/staff/mobile-members/{member.public_id}/reveal/", {"reason": ""})
    assert refused.status_code == 400
    client.force_login(other, backend="dangqun.accounts.backends.PersonBackend")
    assert "139****5678" not in client.get("/staff/mobile-members/").content.decode()
    for url in ("", "reveal/", "status/", "took-part/"):
        method = client.get if not url else client.post
        assert method(f"/staff/mobile-members/{member.public_id}/{url}").status_code == 404
    client.force_login(person, backend="dangqun.accounts.backends.PersonBackend")
    assert client.get("/staff/mobile-members/").status_code == 404


def test_status_change_and_took_part_over_http(world, as_person):
    district, admin, other, org = world
    person = factories.PersonFactory()
    mobile.mobile_report_in(
        actor=person,
        person=person,
        home_branch="某支部",
        arrived_on=timezone.localdate() - timedelta(days=10),
        organisation=org,
    )
    member = MobileMember.objects.get()
    client = as_person(admin)
    url = f"/staff/mobile-members/{member.public_id}/"
    assert client.post(url + "status/", {"status": "returned", "on": ""}).status_code == 400
    assert (
        client.post(url + "status/", {"status": "returned", "on": "9999-01-01"}).status_code == 400
    )
    done = client.post(url + "status/", {"status": "returned", "on": timezone.localdate()})
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.status == "returned"
    assert (
        client.post(url + "took-part/", {"activity_title": "", "on": "2026-01-01"}).status_code
        == 400
    )
    done = client.post(
        url + "took-part/", {"activity_title": "主题党日", "on": timezone.localdate(), "note": "x"}
    )
    assert done.status_code == 302
    assert Participation.objects.filter(member=member, activity_title="主题党日").exists()


def test_notices_and_projects_over_http(world, as_person, client):
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
    staff = as_person(admin)
    assert staff.get("/staff/mobile-members/organisations/").status_code == 200
    made = staff.post(
        "/staff/mobile-members/organisations/",
        {"name": "骑手党小组", "kind": "group", "region": district.xianlin.pk, "center": ""},
    )
    assert made.status_code == 302
    refused = staff.post(
        "/staff/mobile-members/organisations/",
        {"name": "x", "kind": "group", "region": district.cangqian.pk},
    )
    assert refused.status_code == 400
    sent = staff.post(
        "/staff/mobile-members/notices/",
        {"to": f"organisation:{org.pk}", "title": "学习通知", "body": "周五学习"},
    )
    assert sent.status_code == 302
    assert (
        staff.post(
            "/staff/mobile-members/notices/", {"to": "", "title": "t", "body": "b"}
        ).status_code
        == 400
    )
    assert staff.get("/staff/mobile-members/notices/").status_code == 200
    made = staff.post(
        "/staff/mobile-members/projects/",
        {"name": "红色代办", "region": district.xianlin.pk, "center": "", "description": ""},
    )
    assert made.status_code == 302
    project = ServiceProject.objects.get()
    url = f"/staff/mobile-members/projects/{project.public_id}/"
    assert staff.get(url).status_code == 200
    assert staff.post(url + "members/", {"member": str(member.public_id)}).status_code == 302
    assert staff.post(url + "log/", {"member": str(member.public_id), "on": ""}).status_code == 400
    done = staff.post(
        url + "log/", {"member": str(member.public_id), "on": timezone.localdate(), "note": "代办"}
    )
    assert done.status_code == 302
    assert Participation.objects.filter(project=project).count() == 1
    client.force_login(other, backend="dangqun.accounts.backends.PersonBackend")
    assert client.get(url).status_code == 404
    # The member reads the notice on their page.
    client.force_login(person, backend="dangqun.accounts.backends.PersonBackend")
    page = client.get("/mobile-members/").content.decode()
    assert "学习通知" in page and "红色代办" in page
    delivery = NoticeDelivery.objects.get()
    assert client.post(f"/mobile-members/notices/{delivery.pk}/read/").status_code == 302
    delivery.refresh_from_db()
    assert delivery.read_at is not None
    assert client.post("/mobile-members/notices/999999/read/").status_code == 404


def test_staff_report_a_member_in_at_the_counter(world, as_person):
    district, admin, other, org = world
    person = factories.PersonFactory(mobile="13911112222", name="")
    staff = as_person(admin)
    assert staff.get("/staff/mobile-members/counter/").status_code == 200
    data = {
        "mobile": "13900000000",
        "name": "赵六",
        "home_branch": "某支部",
        "region": "",
        "organisation": str(org.pk),
        "arrived_on": timezone.localdate().isoformat(),
    }
    refused = staff.post("/staff/mobile-members/counter/", data)
    assert refused.status_code == 400 and 'id="id_mobile_error"' in refused.content.decode()
    done = staff.post("/staff/mobile-members/counter/", {**data, "mobile": "139 1111 2222"})
    assert done.status_code == 302
    member = MobileMember.objects.get(person=person)
    assert member.report_ins.get().channel == "counter"
    assert member.report_ins.get().recorded_by == admin
    person.refresh_from_db()
    assert person.name == "赵六"
    elsewhere = staff.post(
        "/staff/mobile-members/counter/",
        {**data, "mobile": "13911112222", "organisation": "", "region": district.cangqian.pk},
    )
    assert elsewhere.status_code == 400
    assert 'id="id_region_error"' in elsewhere.content.decode()
