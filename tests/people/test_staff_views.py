"""Back-office pages over HTTP: who may open them, what each role sees, and the writes."""

import re
import uuid

import pytest
from django.conf import settings

from dangqun.core.models import AuditEntry
from dangqun.people.models import StaffRole
from dangqun.places.models import Space, SpaceKind
from tests import factories
from tests.pages import error_box, field_error

pytestmark = pytest.mark.django_db

Role = StaffRole.Role
LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME
WEEK = {f"hours_{i}": "08:30-17:30" for i in range(5)} | {"hours_5": "", "hours_6": ""}


def option_values(page: str, name: str) -> set[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return set(re.findall(r'<option value="([^"]+)"', select))


def as_(client, person):
    client.force_login(person)
    client.cookies[LANGUAGE_COOKIE] = "en"
    return client


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
def street_admin(district, client):
    admin = factories.staff(Role.STREET_ADMIN, district.xianlin, name="闲林管理员")
    as_(client, admin)
    return admin


@pytest.fixture
def district_admin(district, client):
    admin = factories.staff(Role.DISTRICT_ADMIN, district.district, name="区管理员")
    as_(client, admin)
    return admin


def names_listed(page: str) -> set[str]:
    return set(re.findall(r'<a href="/staff/people/[0-9a-f-]{36}/">([^<]+)</a>', page))


# --- who may enter -----------------------------------------------------------------


def test_street_admin_opens_the_back_office(client, street_admin, district):
    response = client.get("/staff/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Street admin · Xianlin Street" in page
    assert 'href="/staff/centers/xianlin/"' in page
    assert 'href="/staff/centers/cangqian/"' not in page
    assert 'href="/staff/people/"' in page
    assert 'href="/staff/roles/"' in page


def test_a_resident_does_not_find_the_back_office(client, person):
    as_(client, person)
    for url in ("/staff/", "/staff/people/", "/staff/roles/", "/staff/space-kinds/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("url", ["/staff/", "/staff/people/", "/staff/centers/xianlin/"])
def test_anonymous_is_sent_to_sign_in(client, district, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/sign-in/?next={url}"


# --- people ------------------------------------------------------------------------


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


# --- centers and spaces --------------------------------------------------------------


def center_post(center, **changes):
    data = {
        "name": center.name,
        "name_en": center.name_en,
        "address": center.address,
        "latitude": str(center.latitude),
        "longitude": str(center.longitude),
        **WEEK,
    }
    data.update(changes)
    return data


def test_a_center_of_another_street_is_404(client, street_admin, district):
    assert client.get("/staff/centers/cangqian/").status_code == 404
    assert client.get("/staff/centers/no-such/").status_code == 404
    response = client.post("/staff/centers/cangqian/", center_post(district.cangqian_center))
    assert response.status_code == 404


def test_editing_the_own_center(client, street_admin, district):
    response = client.get("/staff/centers/xianlin/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="闲林街道党群服务中心"' in page
    assert 'name="hours_0" value="08:30-17:30"' in page
    response = client.post(
        "/staff/centers/xianlin/",
        center_post(
            district.xianlin_center,
            name="闲林街道党群服务中心（新）",
            phone="0571-86000000",
            latitude="30.2624",
            hours_5="09:00-12:00",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/centers/xianlin/"
    center = district.xianlin_center
    center.refresh_from_db()
    assert center.name == "闲林街道党群服务中心（新）"
    assert center.phone == "0571-86000000"
    assert center.opening_hours[5] == "09:00-12:00"
    assert center.opening_hours[6] == ""
    assert AuditEntry.objects.filter(
        action="center.update", actor=street_admin, object_id=str(center.pk)
    ).exists()


@pytest.mark.parametrize("latitude", ["95", "-90.5", "abc", "nan"])
def test_a_latitude_out_of_range_saves_nothing(client, street_admin, district, latitude):
    response = client.post(
        "/staff/centers/xianlin/",
        center_post(district.xianlin_center, name="改了名字", latitude=latitude),
    )
    assert response.status_code == 200
    assert "between -90 and 90" in field_error(response.content.decode(), "latitude")
    center = district.xianlin_center
    center.refresh_from_db()
    assert center.name == "闲林街道党群服务中心"
    assert not AuditEntry.objects.filter(action="center.update").exists()


def test_a_longitude_out_of_range_is_shown_beside_it(client, street_admin, district):
    response = client.post(
        "/staff/centers/xianlin/", center_post(district.xianlin_center, longitude="181")
    )
    assert "between -180 and 180" in field_error(response.content.decode(), "longitude")


def test_bad_hours_are_refused_and_save_nothing(client, street_admin, district):
    response = client.post(
        "/staff/centers/xianlin/",
        center_post(district.xianlin_center, name="改了名字", hours_3="9-17"),
    )
    assert response.status_code == 200
    assert "Thursday: write hours like" in error_box(response.content.decode())
    center = district.xianlin_center
    center.refresh_from_db()
    assert center.name == "闲林街道党群服务中心"
    assert center.opening_hours[3] == "08:30-17:30"


def test_a_center_needs_a_name(client, street_admin, district):
    response = client.post("/staff/centers/xianlin/", center_post(district.xianlin_center, name=""))
    assert response.status_code == 200
    assert field_error(response.content.decode(), "name")


def space_post(**changes):
    data = {"name": "创客空间", "name_en": "Maker space", "kind": "maker_space", "capacity": "30"}
    data.update({f"hours_{i}": "" for i in range(7)})
    data.update(changes)
    return data


def test_adding_and_editing_a_space(client, street_admin, district):
    assert client.get("/staff/centers/xianlin/spaces/new/").status_code == 200
    response = client.post("/staff/centers/xianlin/spaces/new/", space_post())
    assert response.status_code == 302
    assert response["Location"] == "/staff/centers/xianlin/"
    space = Space.objects.get(center=district.xianlin_center)
    assert (space.name, space.kind.code, space.capacity) == ("创客空间", "maker_space", 30)
    assert space.opening_hours is None  # the center's hours
    assert f'href="/staff/spaces/{space.pk}/">Maker space<' in (
        client.get("/staff/centers/xianlin/").content.decode()
    )

    page = client.get(f"/staff/spaces/{space.pk}/").content.decode()
    assert 'value="创客空间"' in page
    response = client.post(
        f"/staff/spaces/{space.pk}/",
        space_post(name="创客空间（二楼）", kind="livestream_studio", hours_0="24h"),
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.name == "创客空间（二楼）"
    assert space.kind.code == "livestream_studio"
    assert space.opening_hours == ["24h", "", "", "", "", "", ""]
    assert AuditEntry.objects.filter(action="space.create").count() == 1
    assert AuditEntry.objects.filter(action="space.update").count() == 1


def test_a_duplicate_space_name_is_refused(client, street_admin, district):
    factories.SpaceFactory(center=district.xianlin_center, name="暖流之家")
    response = client.post("/staff/centers/xianlin/spaces/new/", space_post(name="暖流之家"))
    assert response.status_code == 200
    assert "space of this name already" in field_error(response.content.decode(), "name")
    assert Space.objects.filter(center=district.xianlin_center).count() == 1


def test_renaming_a_space_to_a_taken_name_is_refused(client, street_admin, district):
    factories.SpaceFactory(center=district.xianlin_center, name="暖流之家")
    other = factories.SpaceFactory(center=district.xianlin_center, name="妇儿驿站")
    response = client.post(f"/staff/spaces/{other.pk}/", space_post(name="暖流之家"))
    assert "space of this name already" in field_error(response.content.decode(), "name")
    other.refresh_from_db()
    assert other.name == "妇儿驿站"


def test_the_same_space_name_in_another_center_is_fine(client, district_admin, district):
    factories.SpaceFactory(center=district.cangqian_center, name="暖流之家")
    response = client.post("/staff/centers/xianlin/spaces/new/", space_post(name="暖流之家"))
    assert response.status_code == 302


def test_a_space_with_an_unknown_kind_is_refused(client, street_admin, district):
    response = client.post("/staff/centers/xianlin/spaces/new/", space_post(kind="nope"))
    assert response.status_code == 200
    assert field_error(response.content.decode(), "kind")
    assert not Space.objects.exists()


def test_a_space_with_bad_hours_is_refused(client, street_admin, district):
    response = client.post("/staff/centers/xianlin/spaces/new/", space_post(hours_2="8-12"))
    assert response.status_code == 200
    assert "Wednesday" in error_box(response.content.decode())
    assert not Space.objects.exists()


def test_spaces_of_another_street_are_404(client, street_admin, district):
    space = factories.SpaceFactory(center=district.cangqian_center, name="骑手驿站")
    assert client.get(f"/staff/spaces/{space.pk}/").status_code == 404
    response = client.post(f"/staff/spaces/{space.pk}/", space_post(name="改名"))
    assert response.status_code == 404
    space.refresh_from_db()
    assert space.name == "骑手驿站"
    response = client.post("/staff/centers/cangqian/spaces/new/", space_post())
    assert response.status_code == 404
    assert Space.objects.count() == 1


def test_adding_a_kind_of_space(client, street_admin):
    page = client.get("/staff/space-kinds/").content.decode()
    assert "Maker space" in page
    response = client.post(
        "/staff/space-kinds/", {"name": "党员之家", "name_en": "Party members' home"}
    )
    assert response.status_code == 302
    kind = SpaceKind.objects.get(name="党员之家")
    assert kind.code == "party-members-home"
    assert not kind.is_builtin
    assert "Party members&#x27; home" in client.get("/staff/space-kinds/").content.decode()
    assert AuditEntry.objects.filter(action="space_kind.create", actor=street_admin).exists()


def test_a_kind_of_space_that_exists_is_refused(client, street_admin):
    before = SpaceKind.objects.count()
    response = client.post("/staff/space-kinds/", {"name": "创客空间", "name_en": ""})
    assert response.status_code == 200
    assert "exists already" in field_error(response.content.decode(), "name")
    assert SpaceKind.objects.count() == before


def test_partner_staff_sees_kinds_but_cannot_add(client, district):
    partner = factories.PersonFactory()
    StaffRole.objects.create(
        person=partner, role=Role.PARTNER_STAFF, region=district.xianlin, partner_name="闲富门诊"
    )
    as_(client, partner)
    page = client.get("/staff/space-kinds/").content.decode()
    assert "Add a kind" not in page
    before = SpaceKind.objects.count()
    client.post("/staff/space-kinds/", {"name": "诊室"})
    assert SpaceKind.objects.count() == before
    assert client.get("/staff/roles/").status_code == 404
    assert client.get("/staff/centers/xianlin/").status_code == 404


# --- roles -------------------------------------------------------------------------


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


def test_residents_and_center_staff_cannot_open_roles(client, district, person):
    as_(client, person)
    assert client.get("/staff/roles/").status_code == 404
    center_staff = factories.staff(Role.CENTER_STAFF, district.xianlin, district.xianlin_center)
    as_(client, center_staff)
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/roles/").status_code == 404
    response = grant(client, center_staff.mobile, Role.STREET_ADMIN, district.xianlin)
    assert response.status_code == 404
    assert StaffRole.objects.filter(person=center_staff).count() == 1


def test_revoking_a_role(client, district_admin, district):
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
    as_(client, member)
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
