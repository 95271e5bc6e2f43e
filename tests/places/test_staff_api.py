"""The staff API of the registry over HTTP: the centers I may manage, and edits of centers,
spaces and kinds of space, scoped by region."""

import pytest

from dangqun.core.models import AuditEntry
from dangqun.places.models import ServiceCenter, Space, SpaceKind
from tests import factories
from tests.clients import Api

pytestmark = pytest.mark.django_db


def staff_api(person=None) -> Api:
    """The shared JSON client at /api/v1/staff, signed in as the person."""
    return Api(person, base="/staff")


@pytest.fixture
def resident(district):
    """Someone of Xianlin without any staff role."""
    return factories.PersonFactory(name="闲林居民", home_region=district.xianlin)


@pytest.fixture
def street_admin(district):
    return factories.staff("street_admin", district.xianlin)


@pytest.fixture
def xianlin_admin(street_admin):
    return staff_api(street_admin)


def assert_not_found(response):
    assert response.status_code == 404, response.content
    assert response.json() == {
        "code": "not_found",
        "message": response.json()["message"],
        "field": None,
    }
    return response.json()


def center_payload(center: ServiceCenter, **changes) -> dict:
    payload = {
        "name": center.name,
        "name_en": center.name_en,
        "address": center.address,
        "latitude": str(center.latitude),
        "longitude": str(center.longitude),
        "phone": center.phone,
        "opening_hours": center.opening_hours,
    }
    return {**payload, **changes}


def space_payload(**changes) -> dict:
    return {"name": "暖流之家", "kind": "warm_current_home", "capacity": 30, **changes}


# Centers


def test_resident_without_roles_gets_404(district, resident):
    as_resident = staff_api(resident)
    assert_not_found(as_resident.get("/centers"))
    payload = center_payload(district.xianlin_center, name="改名")
    assert_not_found(as_resident.put("/centers/xianlin", payload))


def test_staff_center_list_is_scoped(xianlin_admin, district):
    factories.CenterFactory(region=district.minfeng, slug="minfeng")
    factories.CenterFactory(region=district.yunhui, slug="yunhui")
    response = xianlin_admin.get("/centers")
    assert response.status_code == 200
    assert {c["slug"] for c in response.json()} == {"xianlin", "minfeng"}


def test_street_admin_updates_a_center_of_the_street(xianlin_admin, street_admin, district):
    center = district.xianlin_center
    payload = center_payload(
        center,
        name="闲林街道集成式党群服务中心",
        latitude="30.2701234",
        opening_hours=["8:30-12:00, 13:30-17:30"] * 5 + ["24小时", ""],
    )
    response = xianlin_admin.put("/centers/xianlin", payload)
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "闲林街道集成式党群服务中心"
    assert response.json()["opening_hours"][0] == "08:30-12:00,13:30-17:30"

    center.refresh_from_db()
    assert center.name == "闲林街道集成式党群服务中心"
    assert str(center.latitude) == "30.270123"
    assert center.opening_hours == ["08:30-12:00,13:30-17:30"] * 5 + ["24h", ""]
    entry = AuditEntry.objects.get(action="center.update")
    assert entry.actor == street_admin
    assert "name" in entry.data["changed"]


def test_center_of_another_street_looks_missing(xianlin_admin, district):
    payload = center_payload(district.cangqian_center, name="改名")
    outside = xianlin_admin.put("/centers/cangqian", payload)
    missing = xianlin_admin.put("/centers/nowhere", payload)
    assert_not_found(outside)
    assert outside.json() == missing.json()
    district.cangqian_center.refresh_from_db()
    assert district.cangqian_center.name == "新就业群体党群服务中心"
    assert not AuditEntry.objects.filter(action="center.update").exists()


def test_district_admin_updates_centers_of_both_streets(district):
    admin = staff_api(factories.staff("district_admin", district.district))
    for center in (district.xianlin_center, district.cangqian_center):
        payload = center_payload(center, phone="0571-88888888")
        response = admin.put(f"/centers/{center.slug}", payload)
        assert response.status_code == 200, response.content
    assert set(ServiceCenter.objects.values_list("phone", flat=True)) == {"0571-88888888"}


def test_partner_staff_cannot_edit_centers(district):
    partner = staff_api(factories.staff("partner_staff", district.xianlin))
    payload = center_payload(district.xianlin_center, name="改名")
    assert_not_found(partner.put("/centers/xianlin", payload))
    district.xianlin_center.refresh_from_db()
    assert district.xianlin_center.name == "闲林街道党群服务中心"


@pytest.mark.parametrize(
    ("field", "value"),
    [("latitude", "95"), ("latitude", "-90.5"), ("longitude", "181"), ("longitude", "-200")],
)
def test_center_with_coordinates_out_of_range_is_refused(xianlin_admin, district, field, value):
    payload = center_payload(district.xianlin_center, name="不应保存", **{field: value})
    response = xianlin_admin.put("/centers/xianlin", payload)
    assert response.status_code == 422
    assert response.json()["field"] == field
    district.xianlin_center.refresh_from_db()
    assert district.xianlin_center.name == "闲林街道党群服务中心"
    assert str(district.xianlin_center.latitude) == "30.262400"


@pytest.mark.parametrize(
    "week",
    [
        ["08:30-17:30"] * 6,  # six days
        ["08:30-17:30"] * 6 + ["17:30-08:30"],  # ends before it starts
        ["9点到5点"] * 7,
        ["08:00-12:00,11:00-14:00"] + [""] * 6,  # overlapping
    ],
)
def test_center_with_bad_opening_hours_is_refused(xianlin_admin, district, week):
    payload = center_payload(district.xianlin_center, name="不应保存", opening_hours=week)
    response = xianlin_admin.put("/centers/xianlin", payload)
    # Not seven days is the schema's refusal (422); a day that cannot be read, the service's.
    assert response.status_code == (400 if len(week) == 7 else 422)
    assert response.json()["field"] == "opening_hours"
    district.xianlin_center.refresh_from_db()
    assert district.xianlin_center.name == "闲林街道党群服务中心"
    assert district.xianlin_center.opening_hours == ["08:30-17:30"] * 5 + ["", ""]


# Spaces


def test_create_space(xianlin_admin, street_admin, district):
    response = xianlin_admin.post(
        "/centers/xianlin/spaces", space_payload(opening_hours=["24h"] * 7)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    space = Space.objects.get(pk=body["id"])
    assert space.center == district.xianlin_center
    assert space.kind.code == "warm_current_home"
    assert space.capacity == 30
    assert body["own_hours"] is True and body["is_open_now"] is True
    assert AuditEntry.objects.get(action="space.create").actor == street_admin


def test_create_space_with_unknown_kind_is_refused(xianlin_admin, district):
    response = xianlin_admin.post("/centers/xianlin/spaces", space_payload(kind="swimming_pool"))
    assert response.status_code == 400
    assert response.json()["field"] == "kind"
    assert not Space.objects.exists()


def test_create_space_with_a_name_taken_in_the_center_is_refused(xianlin_admin, district):
    factories.SpaceFactory(center=district.xianlin_center, name="暖流之家")
    factories.SpaceFactory(center=district.cangqian_center, name="会议室")
    response = xianlin_admin.post("/centers/xianlin/spaces", space_payload())
    assert response.status_code == 400
    assert response.json()["field"] == "name"
    assert district.xianlin_center.spaces.count() == 1

    # The same name in another center is fine.
    response = xianlin_admin.post(
        "/centers/xianlin/spaces", space_payload(name="会议室", kind="meeting_room")
    )
    assert response.status_code == 201


def test_create_space_with_bad_capacity_is_refused(xianlin_admin, district):
    response = xianlin_admin.post("/centers/xianlin/spaces", space_payload(capacity=0))
    assert response.status_code == 422
    assert response.json()["field"] == "capacity"
    assert not Space.objects.exists()


def test_create_space_in_a_center_of_another_street_looks_missing(xianlin_admin, district):
    response = xianlin_admin.post("/centers/cangqian/spaces", space_payload())
    assert_not_found(response)
    assert not Space.objects.exists()


def test_update_space_is_scoped(xianlin_admin, district):
    mine = factories.SpaceFactory(center=district.xianlin_center, name="旧名")
    theirs = factories.SpaceFactory(center=district.cangqian_center, name="仓前空间")

    response = xianlin_admin.put(f"/spaces/{mine.pk}", space_payload(name="新名"))
    assert response.status_code == 200, response.content
    mine.refresh_from_db()
    assert mine.name == "新名"

    response = xianlin_admin.put(f"/spaces/{theirs.pk}", space_payload(name="改名"))
    assert_not_found(response)
    theirs.refresh_from_db()
    assert theirs.name == "仓前空间"


def test_update_space_may_keep_its_own_name(xianlin_admin, district):
    space = factories.SpaceFactory(center=district.xianlin_center, name="暖流之家")
    response = xianlin_admin.put(f"/spaces/{space.pk}", space_payload(name="暖流之家", capacity=40))
    assert response.status_code == 200, response.content
    space.refresh_from_db()
    assert space.capacity == 40


# Kinds of space


def test_add_a_kind_of_space(xianlin_admin, client, district):
    response = xianlin_admin.post("/space-kinds", {"name": "共享书房", "name_en": "Shared study"})
    assert response.status_code == 201, response.content
    assert response.json() == {
        "code": "shared-study",
        "name": "共享书房",
        "name_en": "Shared study",
    }
    kind = SpaceKind.objects.get(code="shared-study")
    assert kind.is_builtin is False
    assert "shared-study" in {k["code"] for k in client.get("/api/v1/space-kinds").json()}

    # And a space of the new kind can be created.
    response = xianlin_admin.post(
        "/centers/xianlin/spaces", space_payload(name="书房", kind="shared-study")
    )
    assert response.status_code == 201


def test_kind_with_the_name_of_a_built_in_one_is_refused(xianlin_admin, district):
    before = SpaceKind.objects.count()
    response = xianlin_admin.post("/space-kinds", {"name": "会议室", "name_en": "Conference room"})
    assert response.status_code == 400
    assert response.json()["field"] == "name"
    assert SpaceKind.objects.count() == before


@pytest.mark.parametrize(
    "again",
    [
        {"name": "共享书房", "name_en": "Shared study"},  # the very same
        {"name": "共享书房"},  # the same name
        {"name": "自习室", "name_en": "Shared Study"},  # the same code
    ],
)
def test_kind_of_space_added_twice_is_refused_the_second_time(xianlin_admin, district, again):
    payload = {"name": "共享书房", "name_en": "Shared study"}
    first = xianlin_admin.post("/space-kinds", payload)
    assert first.status_code == 201
    before = SpaceKind.objects.count()
    response = xianlin_admin.post("/space-kinds", again)
    assert response.status_code == 400
    assert response.json()["field"] == "name"
    assert SpaceKind.objects.count() == before


def test_kind_without_an_english_name_gets_a_code(xianlin_admin, district):
    for name in ("共享书房", "非遗工坊"):
        response = xianlin_admin.post("/space-kinds", {"name": name})
        assert response.status_code == 201, response.content
    codes = list(SpaceKind.objects.filter(is_builtin=False).values_list("code", flat=True))
    assert len(set(codes)) == 2 and all(codes)


def test_partner_and_residents_cannot_add_kinds(district, resident):
    for person in (factories.staff("partner_staff", district.xianlin), resident):
        client = staff_api(person)
        response = client.post("/space-kinds", {"name": "共享书房"})
        assert_not_found(response)
    assert not SpaceKind.objects.filter(name="共享书房").exists()
