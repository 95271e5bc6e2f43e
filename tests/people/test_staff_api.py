"""The staff API over HTTP: what each role sees (scoping), audited looks at personal data,
and edits of centers, spaces and kinds of space."""

import uuid
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangqun.core.models import AuditEntry
from dangqun.people.models import Person
from dangqun.places.models import ServiceCenter, Space, SpaceKind
from tests import factories

pytestmark = pytest.mark.django_db

API = "/api/v1/staff"


@dataclass
class Residents:
    xianlin: Person
    minfeng: Person
    cangqian: Person
    yunhui: Person
    nowhere: Person


@pytest.fixture
def residents(district):
    return Residents(
        xianlin=factories.PersonFactory(name="闲林居民", home_region=district.xianlin),
        minfeng=factories.PersonFactory(name="民丰村民", home_region=district.minfeng),
        cangqian=factories.PersonFactory(name="仓前居民", home_region=district.cangqian),
        yunhui=factories.PersonFactory(name="云会村民", home_region=district.yunhui),
        nowhere=factories.PersonFactory(name="无地区居民"),
    )


@pytest.fixture
def street_admin(district):
    return factories.staff("street_admin", district.xianlin)


@pytest.fixture
def xianlin_admin(as_person, street_admin):
    return as_person(street_admin)


def listed(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {p["public_id"] for p in response.json()}


def ids(*persons) -> set[str]:
    return {str(p.public_id) for p in persons}


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


def reveals(action=None):
    actions = [action] if action else ["person.reveal_resident_id", "person.reveal_mobile"]
    return AuditEntry.objects.filter(action__in=actions)


# Who sees whom


def test_street_admin_sees_the_people_of_the_street_and_its_villages(xianlin_admin, residents):
    response = xianlin_admin.get(f"{API}/persons")
    assert listed(response) == ids(residents.xianlin, residents.minfeng)


def test_person_list_is_masked(xianlin_admin, residents):
    response = xianlin_admin.get(f"{API}/persons")
    row = next(p for p in response.json() if p["public_id"] == str(residents.minfeng.public_id))
    assert (
        row["mobile_masked"]
        == residents.minfeng.mobile[:3] + "****" + residents.minfeng.mobile[-4:]
    )
    assert residents.minfeng.mobile not in response.content.decode()
    assert "mobile" not in row


def test_person_search_stays_inside_the_scope(xianlin_admin, residents):
    # By the full mobile number of someone in Cangqian: still nobody.
    assert listed(xianlin_admin.get(f"{API}/persons", {"q": residents.cangqian.mobile})) == set()
    assert listed(xianlin_admin.get(f"{API}/persons", {"q": "仓前"})) == set()
    assert listed(xianlin_admin.get(f"{API}/persons", {"q": "民丰"})) == ids(residents.minfeng)
    assert listed(xianlin_admin.get(f"{API}/persons", {"q": residents.xianlin.mobile})) == ids(
        residents.xianlin
    )


def test_district_admin_sees_every_street(as_person, district, residents):
    admin = as_person(factories.staff("district_admin", district.district))
    assert listed(admin.get(f"{API}/persons")) == ids(
        residents.xianlin, residents.minfeng, residents.cangqian, residents.yunhui
    )


def test_center_staff_of_a_village_sees_only_that_village(as_person, district, residents):
    center = factories.CenterFactory(region=district.minfeng, slug="minfeng")
    worker = as_person(factories.staff("center_staff", district.minfeng, center=center))
    assert listed(worker.get(f"{API}/persons")) == ids(residents.minfeng)
    assert_not_found(worker.get(f"{API}/persons/{residents.xianlin.public_id}"))


def test_resident_without_roles_gets_404(as_person, district, residents):
    client = as_person(residents.xianlin)
    assert_not_found(client.get(f"{API}/persons"))
    assert_not_found(client.get(f"{API}/persons/{residents.minfeng.public_id}"))
    assert_not_found(client.get(f"{API}/centers"))
    payload = center_payload(district.xianlin_center, name="改名")
    assert_not_found(client.put(f"{API}/centers/xianlin", payload, content_type="application/json"))


def test_partner_staff_sees_no_persons(as_person, district, residents):
    partner = as_person(factories.staff("partner_staff", district.xianlin))
    response = partner.get(f"{API}/persons")
    # A partner counts as staff, but no person is in its scope.
    assert response.status_code == 200
    assert response.json() == []
    assert_not_found(partner.get(f"{API}/persons/{residents.xianlin.public_id}"))
    response = partner.post(
        f"{API}/persons/{residents.xianlin.public_id}/reveal",
        {"what": "mobile", "reason": "回访"},
        content_type="application/json",
    )
    assert_not_found(response)
    assert not reveals().exists()


def test_staff_api_without_sign_in_is_401(client, residents):
    response = client.get(f"{API}/persons")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_person_list_query_count_does_not_grow_with_people(xianlin_admin, district):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = xianlin_admin.get(f"{API}/persons")
        return len(queries), len(response.json())

    for _i in range(2):
        factories.tag(factories.PersonFactory(home_region=district.minfeng), "elder")
    few, listed_few = count()
    for _i in range(8):
        person = factories.PersonFactory(home_region=district.xianlin)
        factories.tag(person, "volunteer")
        factories.tag(person, "party_member", home_branch="闲林党支部")
    many, listed_many = count()
    assert (listed_few, listed_many) == (2, 10)
    assert many == few


# One person


def test_person_detail_in_scope_is_masked_and_audited(xianlin_admin, street_admin, residents):
    number = factories.resident_id()
    residents.minfeng.set_resident_id(number)
    residents.minfeng.save()
    factories.tag(residents.minfeng, "elder")

    response = xianlin_admin.get(f"{API}/persons/{residents.minfeng.public_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "民丰村民"
    assert body["resident_id_masked"] == number[:6] + "*" * 8 + number[-4:]
    assert body["tags"] == ["elder"]
    assert number not in response.content.decode()
    assert residents.minfeng.mobile not in response.content.decode()

    entry = AuditEntry.objects.get(action="person.view")
    assert entry.actor == street_admin
    assert entry.object_type == "people.person"
    assert entry.object_id == str(residents.minfeng.pk)

    xianlin_admin.get(f"{API}/persons/{residents.minfeng.public_id}")
    assert AuditEntry.objects.filter(action="person.view").count() == 2


def test_person_out_of_scope_looks_exactly_like_a_missing_one(xianlin_admin, residents):
    outside = xianlin_admin.get(f"{API}/persons/{residents.cangqian.public_id}")
    missing = xianlin_admin.get(f"{API}/persons/{uuid.uuid4()}")
    assert_not_found(outside)
    assert outside.json() == missing.json()
    assert not AuditEntry.objects.filter(action="person.view").exists()


@pytest.mark.parametrize("bad", ["not-a-uuid", "123", "0" * 40])
def test_malformed_person_id_is_404(xianlin_admin, residents, bad):
    assert_not_found(xianlin_admin.get(f"{API}/persons/{bad}"))


# Revealing full numbers


def reveal(client, person, what="resident_id", reason="办理养老服务补贴需核对身份"):
    return client.post(
        f"{API}/persons/{person.public_id}/reveal",
        {"what": what, "reason": reason},
        content_type="application/json",
    )


def test_reveal_resident_id_returns_it_and_audits(xianlin_admin, street_admin, residents):
    number = factories.resident_id()
    residents.xianlin.set_resident_id(number)
    residents.xianlin.save()

    response = reveal(xianlin_admin, residents.xianlin)
    assert response.status_code == 200, response.content
    assert response.json() == {"what": "resident_id", "value": number}

    entry = reveals("person.reveal_resident_id").get()
    assert entry.actor == street_admin
    assert entry.object_id == str(residents.xianlin.pk)
    assert entry.data["reason"] == "办理养老服务补贴需核对身份"


def test_reveal_mobile_returns_it_and_audits(xianlin_admin, street_admin, residents):
    response = reveal(xianlin_admin, residents.minfeng, what="mobile", reason="电话回访")
    assert response.status_code == 200
    assert response.json() == {"what": "mobile", "value": residents.minfeng.mobile}
    entry = reveals("person.reveal_mobile").get()
    assert entry.actor == street_admin
    assert entry.object_id == str(residents.minfeng.pk)
    assert not reveals("person.reveal_resident_id").exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_reveal_without_a_reason_is_refused_and_not_audited(xianlin_admin, residents, reason):
    residents.xianlin.set_resident_id(factories.resident_id())
    residents.xianlin.save()
    for what in ("resident_id", "mobile"):
        response = reveal(xianlin_admin, residents.xianlin, what=what, reason=reason)
        assert response.status_code == 400
        assert response.json()["field"] == "reason"
        assert "value" not in response.json()
    assert not reveals().exists()


def test_reveal_out_of_scope_is_404_and_not_audited(xianlin_admin, residents):
    residents.cangqian.set_resident_id(factories.resident_id())
    residents.cangqian.save()
    response = reveal(xianlin_admin, residents.cangqian)
    assert_not_found(response)
    assert not reveals().exists()


def test_reveal_of_an_unknown_kind_of_number_is_refused(xianlin_admin, residents):
    residents.xianlin.set_resident_id(factories.resident_id())
    residents.xianlin.save()
    response = reveal(xianlin_admin, residents.xianlin, what="bank_card")
    assert response.status_code == 422
    assert response.json()["field"] == "what"
    assert not reveals().exists()


# Centers


def test_staff_center_list_is_scoped(xianlin_admin, district):
    factories.CenterFactory(region=district.minfeng, slug="minfeng")
    factories.CenterFactory(region=district.yunhui, slug="yunhui")
    response = xianlin_admin.get(f"{API}/centers")
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
    response = xianlin_admin.put(f"{API}/centers/xianlin", payload, content_type="application/json")
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
    outside = xianlin_admin.put(f"{API}/centers/cangqian", payload, content_type="application/json")
    missing = xianlin_admin.put(f"{API}/centers/nowhere", payload, content_type="application/json")
    assert_not_found(outside)
    assert outside.json() == missing.json()
    district.cangqian_center.refresh_from_db()
    assert district.cangqian_center.name == "新就业群体党群服务中心"
    assert not AuditEntry.objects.filter(action="center.update").exists()


def test_district_admin_updates_centers_of_both_streets(as_person, district):
    admin = as_person(factories.staff("district_admin", district.district))
    for center in (district.xianlin_center, district.cangqian_center):
        payload = center_payload(center, phone="0571-88888888")
        response = admin.put(
            f"{API}/centers/{center.slug}", payload, content_type="application/json"
        )
        assert response.status_code == 200, response.content
    assert set(ServiceCenter.objects.values_list("phone", flat=True)) == {"0571-88888888"}


def test_partner_staff_cannot_edit_centers(as_person, district):
    partner = as_person(factories.staff("partner_staff", district.xianlin))
    payload = center_payload(district.xianlin_center, name="改名")
    assert_not_found(
        partner.put(f"{API}/centers/xianlin", payload, content_type="application/json")
    )
    district.xianlin_center.refresh_from_db()
    assert district.xianlin_center.name == "闲林街道党群服务中心"


@pytest.mark.parametrize(
    ("field", "value"),
    [("latitude", "95"), ("latitude", "-90.5"), ("longitude", "181"), ("longitude", "-200")],
)
def test_center_with_coordinates_out_of_range_is_refused(xianlin_admin, district, field, value):
    payload = center_payload(district.xianlin_center, name="不应保存", **{field: value})
    response = xianlin_admin.put(f"{API}/centers/xianlin", payload, content_type="application/json")
    assert response.status_code == 400
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
    response = xianlin_admin.put(f"{API}/centers/xianlin", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "opening_hours"
    district.xianlin_center.refresh_from_db()
    assert district.xianlin_center.name == "闲林街道党群服务中心"
    assert district.xianlin_center.opening_hours == ["08:30-17:30"] * 5 + ["", ""]


# Spaces


def test_create_space(xianlin_admin, street_admin, district):
    response = xianlin_admin.post(
        f"{API}/centers/xianlin/spaces",
        space_payload(opening_hours=["24h"] * 7),
        content_type="application/json",
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
    response = xianlin_admin.post(
        f"{API}/centers/xianlin/spaces",
        space_payload(kind="swimming_pool"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "kind"
    assert not Space.objects.exists()


def test_create_space_with_a_name_taken_in_the_center_is_refused(xianlin_admin, district):
    factories.SpaceFactory(center=district.xianlin_center, name="暖流之家")
    factories.SpaceFactory(center=district.cangqian_center, name="会议室")
    response = xianlin_admin.post(
        f"{API}/centers/xianlin/spaces", space_payload(), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "name"
    assert district.xianlin_center.spaces.count() == 1

    # The same name in another center is fine.
    response = xianlin_admin.post(
        f"{API}/centers/xianlin/spaces",
        space_payload(name="会议室", kind="meeting_room"),
        content_type="application/json",
    )
    assert response.status_code == 201


def test_create_space_with_bad_capacity_is_refused(xianlin_admin, district):
    response = xianlin_admin.post(
        f"{API}/centers/xianlin/spaces", space_payload(capacity=0), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "capacity"
    assert not Space.objects.exists()


def test_create_space_in_a_center_of_another_street_looks_missing(xianlin_admin, district):
    response = xianlin_admin.post(
        f"{API}/centers/cangqian/spaces", space_payload(), content_type="application/json"
    )
    assert_not_found(response)
    assert not Space.objects.exists()


def test_update_space_is_scoped(xianlin_admin, district):
    mine = factories.SpaceFactory(center=district.xianlin_center, name="旧名")
    theirs = factories.SpaceFactory(center=district.cangqian_center, name="仓前空间")

    response = xianlin_admin.put(
        f"{API}/spaces/{mine.pk}", space_payload(name="新名"), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    mine.refresh_from_db()
    assert mine.name == "新名"

    response = xianlin_admin.put(
        f"{API}/spaces/{theirs.pk}", space_payload(name="改名"), content_type="application/json"
    )
    assert_not_found(response)
    theirs.refresh_from_db()
    assert theirs.name == "仓前空间"


def test_update_space_may_keep_its_own_name(xianlin_admin, district):
    space = factories.SpaceFactory(center=district.xianlin_center, name="暖流之家")
    response = xianlin_admin.put(
        f"{API}/spaces/{space.pk}",
        space_payload(name="暖流之家", capacity=40),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    space.refresh_from_db()
    assert space.capacity == 40


# Kinds of space


def test_add_a_kind_of_space(xianlin_admin, client, district):
    response = xianlin_admin.post(
        f"{API}/space-kinds",
        {"name": "共享书房", "name_en": "Shared study"},
        content_type="application/json",
    )
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
        f"{API}/centers/xianlin/spaces",
        space_payload(name="书房", kind="shared-study"),
        content_type="application/json",
    )
    assert response.status_code == 201


def test_kind_with_the_name_of_a_built_in_one_is_refused(xianlin_admin, district):
    before = SpaceKind.objects.count()
    response = xianlin_admin.post(
        f"{API}/space-kinds",
        {"name": "会议室", "name_en": "Conference room"},
        content_type="application/json",
    )
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
    first = xianlin_admin.post(f"{API}/space-kinds", payload, content_type="application/json")
    assert first.status_code == 201
    before = SpaceKind.objects.count()
    response = xianlin_admin.post(f"{API}/space-kinds", again, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "name"
    assert SpaceKind.objects.count() == before


def test_kind_without_an_english_name_gets_a_code(xianlin_admin, district):
    for name in ("共享书房", "非遗工坊"):
        response = xianlin_admin.post(
            f"{API}/space-kinds", {"name": name}, content_type="application/json"
        )
        assert response.status_code == 201, response.content
    codes = list(SpaceKind.objects.filter(is_builtin=False).values_list("code", flat=True))
    assert len(set(codes)) == 2 and all(codes)


def test_partner_and_residents_cannot_add_kinds(as_person, district, residents):
    for person in (factories.staff("partner_staff", district.xianlin), residents.xianlin):
        client = as_person(person)
        response = client.post(
            f"{API}/space-kinds", {"name": "共享书房"}, content_type="application/json"
        )
        assert_not_found(response)
    assert not SpaceKind.objects.filter(name="共享书房").exists()
