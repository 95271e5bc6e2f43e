"""Back-office pages of the registry over HTTP: editing centers and spaces of my regions,
and kinds of space."""

import pytest

from dangqun.core.models import AuditEntry
from dangqun.people.models import StaffRole
from dangqun.places.models import Space, SpaceKind
from tests import factories
from tests.clients import page_client
from tests.pages import error_box, field_error

pytestmark = pytest.mark.django_db

Role = StaffRole.Role
WEEK = {f"hours_{i}": "08:30-17:30" for i in range(5)} | {"hours_5": "", "hours_6": ""}


@pytest.fixture
def client():
    """The pages in English, for reading their wording (as_person signs it in)."""
    return page_client()


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


def test_partner_staff_sees_kinds_but_cannot_add(client, as_person, district):
    partner = factories.PersonFactory()
    StaffRole.objects.create(
        person=partner, role=Role.PARTNER_STAFF, region=district.xianlin, partner_name="闲富门诊"
    )
    as_person(partner)
    page = client.get("/staff/space-kinds/").content.decode()
    assert "Add a kind" not in page
    before = SpaceKind.objects.count()
    client.post("/staff/space-kinds/", {"name": "诊室"})
    assert SpaceKind.objects.count() == before
    assert client.get("/staff/roles/").status_code == 404
    assert client.get("/staff/centers/xianlin/").status_code == 404
