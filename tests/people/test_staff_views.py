"""Back-office pages about people over HTTP: the people in my scope (masked, searchable),
a person's record with audited looks at full numbers, and staff roles."""

import re
import uuid

import pytest

from dangqun.core.models import AuditEntry
from dangqun.people.models import StaffRole
from tests import factories
from tests.clients import page_client
from tests.pages import field_error

pytestmark = pytest.mark.django_db

Role = StaffRole.Role


@pytest.fixture
def client():
    """The pages in English, for reading their wording (as_person signs it in)."""
    return page_client()


def option_values(page: str, name: str) -> set[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return set(re.findall(r'<option value="([^"]+)"', select))


@pytest.fixture
def people(district):
    """Residents of both streets, with numbers that tell them apart."""
    return {
        "xianlin": factories.PersonFactory(
            name="张闲林", mobile="13900001111", home_region=district.xianlin
        ),
        "minfeng": factories.PersonFactory(
            name="李民丰", mobile="13700002222", home_region=district.minfeng
        ),
        "cangqian": factories.PersonFactory(
            name="王仓前", mobile="13600003333", home_region=district.cangqian
        ),
        "yunhui": factories.PersonFactory(
            name="赵云会", mobile="13500004444", home_region=district.yunhui
        ),
    }


@pytest.fixture
def street_admin(district, as_person):
    admin = factories.staff(Role.STREET_ADMIN, district.xianlin, name="闲林管理员")
    as_person(admin)
    return admin


@pytest.fixture
def district_admin(district, as_person):
    admin = factories.staff(Role.DISTRICT_ADMIN, district.district, name="区管理员")
    as_person(admin)
    return admin


def names_listed(page: str) -> set[str]:
    return set(re.findall(r'<a href="/staff/people/[0-9a-f-]{36}/">([^<]+)</a>', page))


def test_street_admin_sees_the_people_of_the_street_and_its_villages(client, street_admin, people):
    response = client.get("/staff/people/")
    assert response.status_code == 200
    page = response.content.decode()
    assert names_listed(page) == {"张闲林", "李民丰"}
    assert "王仓前" not in page and "赵云会" not in page


def test_the_list_shows_only_masked_mobiles(client, street_admin, people):
    page = client.get("/staff/people/").content.decode()
    assert "139****1111" in page and "137****2222" in page
    for person in people.values():
        assert person.mobile not in page


def test_district_admin_sees_everyone(client, district_admin, people):
    page = client.get("/staff/people/").content.decode()
    assert names_listed(page) == {"张闲林", "李民丰", "王仓前", "赵云会"}


def test_search_by_name(client, street_admin, people):
    page = client.get("/staff/people/", {"q": "民丰"}).content.decode()
    assert names_listed(page) == {"李民丰"}
    # A name from the other street is not found either.
    page = client.get("/staff/people/", {"q": "王仓前"}).content.decode()
    assert names_listed(page) == set()
    assert "Nobody found." in page


def test_search_by_mobile_digits(client, street_admin, people):
    page = client.get("/staff/people/", {"q": "0000 1111"}).content.decode()
    assert names_listed(page) == {"张闲林"}
    page = client.get("/staff/people/", {"q": "3333"}).content.decode()
    assert names_listed(page) == set()  # that number is in Cangqian
    page = client.get("/staff/people/", {"q": "0000"}).content.decode()
    assert names_listed(page) == {"张闲林", "李民丰"}


@pytest.mark.parametrize("q", ["%", "_", "' OR 1=1 --"])
def test_odd_searches_do_not_break_the_list(client, street_admin, people, q):
    response = client.get("/staff/people/", {"q": q})
    assert response.status_code == 200
    assert names_listed(response.content.decode()) <= {"张闲林", "李民丰"}


@pytest.mark.parametrize("q", ["\x00", "张\x00"])
def test_a_nul_character_in_a_search_is_bad_input(client, street_admin, people, q):
    assert client.get("/staff/people/", {"q": q}).status_code == 400


def test_htmx_search_returns_only_the_rows(client, street_admin, people):
    response = client.get("/staff/people/", {"q": "张"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page
    assert names_listed(page) == {"张闲林"}


def test_the_list_pages_fifty_at_a_time(client, street_admin, district):
    for i in range(55):
        factories.PersonFactory(name=f"居民{i:02d}", home_region=district.minfeng)
    first = client.get("/staff/people/").content.decode()
    second = client.get("/staff/people/", {"page": 2}).content.decode()
    assert len(names_listed(first)) == 50
    assert len(names_listed(second)) == 5
    assert "55 people" in first


def test_person_list_query_count_does_not_grow(
    client, street_admin, district, django_assert_max_num_queries
):
    for i in range(5):
        person = factories.PersonFactory(name=f"甲{i}", home_region=district.minfeng)
        factories.tag(person, "elder")
    with django_assert_max_num_queries(12) as few:
        client.get("/staff/people/")
    for i in range(30):
        person = factories.PersonFactory(name=f"乙{i}", home_region=district.minfeng)
        factories.tag(person, "volunteer")
    with django_assert_max_num_queries(len(few)):
        page = client.get("/staff/people/").content.decode()
    assert len(names_listed(page)) == 35


def test_a_person_outside_the_scope_is_404_like_a_missing_one(client, street_admin, people):
    outside = client.get(f"/staff/people/{people['cangqian'].public_id}/")
    missing_id = uuid.uuid4()
    missing = client.get(f"/staff/people/{missing_id}/")
    assert outside.status_code == missing.status_code == 404

    def page(response, public_id):  # less what differs anyway: the CSRF token and the path
        return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode()).replace(public_id, "")

    assert page(outside, str(people["cangqian"].public_id)) == page(missing, str(missing_id))
    assert "王仓前" not in outside.content.decode()
    assert not AuditEntry.objects.filter(action="person.view").exists()


def test_person_detail_is_masked_and_audited(client, street_admin, people):
    person = people["minfeng"]
    number = factories.resident_id("33011019580304123")
    person.set_resident_id(number)
    person.save()
    response = client.get(f"/staff/people/{person.public_id}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "李民丰" in page
    assert "137****2222" in page and person.mobile not in page
    assert person.resident_id_masked in page and number not in page
    entry = AuditEntry.objects.get(action="person.view")
    assert entry.actor == street_admin
    assert entry.object_type == "people.person"
    assert entry.object_id == str(person.pk)


@pytest.fixture
def with_id(people):
    person = people["minfeng"]
    number = factories.resident_id("33011019580304123")
    person.set_resident_id(number)
    person.save()
    return person, number


def test_revealing_the_id_with_a_reason_shows_it_and_records_it(client, street_admin, with_id):
    person, number = with_id
    response = client.post(
        f"/staff/people/{person.public_id}/", {"reason": "办理养老补贴核验", "what": "resident_id"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert number in page
    assert "Full resident ID number" in page
    entry = AuditEntry.objects.get(action="person.reveal_resident_id")
    assert entry.actor == street_admin
    assert entry.object_id == str(person.pk)
    assert entry.data == {"reason": "办理养老补贴核验"}
    # The access history on the page shows the look.
    assert "person.reveal_resident_id" in page


def test_revealing_the_mobile_with_a_reason(client, street_admin, with_id):
    person, _number = with_id
    response = client.post(
        f"/staff/people/{person.public_id}/", {"reason": "电话回访", "what": "mobile"}
    )
    page = response.content.decode()
    assert person.mobile in page
    assert AuditEntry.objects.filter(action="person.reveal_mobile").count() == 1
    assert not AuditEntry.objects.filter(action="person.reveal_resident_id").exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_revealing_without_a_reason_shows_nothing_and_records_no_reveal(
    client, street_admin, with_id, reason
):
    person, number = with_id
    response = client.post(
        f"/staff/people/{person.public_id}/", {"reason": reason, "what": "resident_id"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert field_error(page, "reason")
    assert number not in page
    assert not AuditEntry.objects.filter(action="person.reveal_resident_id").exists()
    assert AuditEntry.objects.filter(action="person.view").count() == 1


def test_revealing_someone_outside_the_scope_is_404(client, street_admin, people):
    person = people["cangqian"]
    person.set_resident_id(factories.resident_id("33011019580304123"))
    person.save()
    response = client.post(
        f"/staff/people/{person.public_id}/", {"reason": "好奇", "what": "resident_id"}
    )
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action__startswith="person.").exists()


def grant(client, mobile, role, region, center=None):
    data = {"mobile": mobile, "role": role, "region": region.pk, "partner_name": ""}
    if center is not None:
        data["center"] = center.pk
    return client.post("/staff/roles/", data)


def test_district_admin_grants_a_street_admin(client, district_admin, district, people):
    response = grant(client, "139 0000 1111", Role.STREET_ADMIN, district.xianlin)
    assert response.status_code == 302
    assert response["Location"] == "/staff/roles/"
    role = StaffRole.objects.get(person=people["xianlin"])
    assert (role.role, role.region, role.granted_by) == (
        Role.STREET_ADMIN,
        district.xianlin,
        district_admin,
    )
    assert AuditEntry.objects.filter(action="staff_role.grant", actor=district_admin).exists()
    page = client.get("/staff/roles/").content.decode()
    assert "The role is granted." in page
    assert "张闲林" in page and "139****1111" in page


def test_granting_to_an_unknown_number_is_refused(client, district_admin, district):
    response = grant(client, "13012345678", Role.STREET_ADMIN, district.xianlin)
    assert response.status_code == 200
    assert "Nobody has signed up" in field_error(response.content.decode(), "mobile")
    assert StaffRole.objects.count() == 1


def test_street_admin_grants_center_staff_in_own_street(client, street_admin, district, people):
    response = grant(
        client, "13700002222", Role.CENTER_STAFF, district.xianlin, district.xianlin_center
    )
    assert response.status_code == 302
    role = StaffRole.objects.get(person=people["minfeng"])
    assert role.center == district.xianlin_center


def test_center_staff_needs_a_center(client, street_admin, district, people):
    response = grant(client, "13700002222", Role.CENTER_STAFF, district.xianlin)
    assert response.status_code == 200
    assert field_error(response.content.decode(), "center")
    assert not StaffRole.objects.filter(person=people["minfeng"]).exists()


def test_street_admin_cannot_grant_district_admin(client, street_admin, district, people):
    response = grant(client, "13700002222", Role.DISTRICT_ADMIN, district.xianlin)
    assert response.status_code == 200
    assert "may not grant" in field_error(response.content.decode(), "role")
    assert not StaffRole.objects.filter(person=people["minfeng"]).exists()


def test_street_admin_cannot_grant_another_street_admin(client, street_admin, district, people):
    response = grant(client, "13700002222", Role.STREET_ADMIN, district.xianlin)
    assert "may not grant" in field_error(response.content.decode(), "role")
    assert not StaffRole.objects.filter(person=people["minfeng"]).exists()


def test_the_other_street_is_not_offered_nor_accepted(client, street_admin, district, people):
    page = client.get("/staff/roles/").content.decode()
    regions = option_values(page, "region")
    assert regions == {str(district.xianlin.pk), str(district.minfeng.pk)}
    centers = option_values(page, "center")
    assert centers == {str(district.xianlin_center.pk)}
    response = grant(
        client, "13600003333", Role.CENTER_STAFF, district.cangqian, district.cangqian_center
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert field_error(page, "region")
    assert field_error(page, "center")
    assert not StaffRole.objects.filter(person=people["cangqian"]).exists()


def test_the_roles_page_lists_only_grants_in_scope(client, street_admin, district):
    factories.staff(Role.CENTER_STAFF, district.xianlin, district.xianlin_center, name="闲林员工")
    factories.staff(Role.CENTER_STAFF, district.cangqian, district.cangqian_center, name="仓前员工")
    page = client.get("/staff/roles/").content.decode()
    assert "闲林员工" in page
    assert "仓前员工" not in page


def test_residents_and_center_staff_cannot_open_roles(client, as_person, district, person):
    as_person(person)
    assert client.get("/staff/roles/").status_code == 404
    center_staff = factories.staff(Role.CENTER_STAFF, district.xianlin, district.xianlin_center)
    as_person(center_staff)
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/roles/").status_code == 404
    response = grant(client, center_staff.mobile, Role.STREET_ADMIN, district.xianlin)
    assert response.status_code == 404
    assert StaffRole.objects.filter(person=center_staff).count() == 1


def test_revoking_a_role(client, as_person, district_admin, district):
    member = factories.staff(Role.STREET_ADMIN, district.cangqian, name="仓前管理员")
    role = StaffRole.objects.get(person=member)
    assert client.get(f"/staff/roles/{role.pk}/revoke/").status_code == 405
    response = client.post(f"/staff/roles/{role.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/roles/"
    assert not StaffRole.objects.filter(pk=role.pk).exists()
    entry = AuditEntry.objects.get(action="staff_role.revoke")
    assert entry.actor == district_admin
    assert entry.object_id == str(member.pk)
    assert "The role is revoked." in client.get("/staff/roles/").content.decode()
    # The former street admin no longer finds the back office.
    as_person(member)
    assert client.get("/staff/").status_code == 404


def test_street_admin_revokes_center_staff_but_not_a_peer(client, street_admin, district):
    worker = factories.staff(Role.CENTER_STAFF, district.xianlin, district.xianlin_center)
    peer = factories.staff(Role.STREET_ADMIN, district.xianlin)
    worker_role = StaffRole.objects.get(person=worker)
    peer_role = StaffRole.objects.get(person=peer)
    assert client.post(f"/staff/roles/{worker_role.pk}/revoke/").status_code == 302
    assert not StaffRole.objects.filter(pk=worker_role.pk).exists()
    response = client.post(f"/staff/roles/{peer_role.pk}/revoke/", follow=True)
    assert "You may not revoke this role." in response.content.decode()
    assert StaffRole.objects.filter(pk=peer_role.pk).exists()


def test_revoking_a_role_of_another_street_is_404(client, street_admin, district):
    other = factories.staff(Role.CENTER_STAFF, district.cangqian, district.cangqian_center)
    role = StaffRole.objects.get(person=other)
    assert client.post(f"/staff/roles/{role.pk}/revoke/").status_code == 404
    assert StaffRole.objects.filter(pk=role.pk).exists()
