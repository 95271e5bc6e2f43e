"""The staff API about people over HTTP: what each role sees (scoping), audited looks at
personal data and at full numbers."""

import uuid
from dataclasses import dataclass

import pytest

from dangqun.core.models import AuditEntry
from dangqun.people.models import Person
from tests import factories
from tests.clients import Api, count_queries

pytestmark = pytest.mark.django_db


def staff_api(person=None) -> Api:
    """The shared JSON client at /api/v1/staff, signed in as the person."""
    return Api(person, base="/staff")


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
def xianlin_admin(street_admin):
    return staff_api(street_admin)


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


def reveals(action=None):
    actions = [action] if action else ["person.reveal_resident_id", "person.reveal_mobile"]
    return AuditEntry.objects.filter(action__in=actions)


def test_street_admin_sees_the_people_of_the_street_and_its_villages(xianlin_admin, residents):
    response = xianlin_admin.get("/persons")
    assert listed(response) == ids(residents.xianlin, residents.minfeng)


def test_person_list_is_masked(xianlin_admin, residents):
    response = xianlin_admin.get("/persons")
    row = next(p for p in response.json() if p["public_id"] == str(residents.minfeng.public_id))
    assert (
        row["mobile_masked"]
        == residents.minfeng.mobile[:3] + "****" + residents.minfeng.mobile[-4:]
    )
    assert residents.minfeng.mobile not in response.content.decode()
    assert "mobile" not in row


def test_person_search_stays_inside_the_scope(xianlin_admin, residents):
    # By the full mobile number of someone in Cangqian: still nobody.
    assert listed(xianlin_admin.get("/persons", {"q": residents.cangqian.mobile})) == set()
    assert listed(xianlin_admin.get("/persons", {"q": "仓前"})) == set()
    assert listed(xianlin_admin.get("/persons", {"q": "民丰"})) == ids(residents.minfeng)
    assert listed(xianlin_admin.get("/persons", {"q": residents.xianlin.mobile})) == ids(
        residents.xianlin
    )


def test_district_admin_sees_every_street(district, residents):
    admin = staff_api(factories.staff("district_admin", district.district))
    assert listed(admin.get("/persons")) == ids(
        residents.xianlin, residents.minfeng, residents.cangqian, residents.yunhui
    )


def test_center_staff_of_a_village_sees_only_that_village(district, residents):
    center = factories.CenterFactory(region=district.minfeng, slug="minfeng")
    worker = staff_api(factories.staff("center_staff", district.minfeng, center=center))
    assert listed(worker.get("/persons")) == ids(residents.minfeng)
    assert_not_found(worker.get(f"/persons/{residents.xianlin.public_id}"))


def test_resident_without_roles_gets_404(district, residents):
    resident = staff_api(residents.xianlin)
    assert_not_found(resident.get("/persons"))
    assert_not_found(resident.get(f"/persons/{residents.minfeng.public_id}"))


def test_partner_staff_sees_no_persons(district, residents):
    partner = staff_api(factories.staff("partner_staff", district.xianlin))
    response = partner.get("/persons")
    # A partner counts as staff, but no person is in its scope.
    assert response.status_code == 200
    assert response.json() == []
    assert_not_found(partner.get(f"/persons/{residents.xianlin.public_id}"))
    response = partner.post(
        f"/persons/{residents.xianlin.public_id}/reveal", {"what": "mobile", "reason": "回访"}
    )
    assert_not_found(response)
    assert not reveals().exists()


def test_staff_api_without_sign_in_is_401(residents):
    response = staff_api().get("/persons")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_person_list_query_count_does_not_grow_with_people(xianlin_admin, district):
    def count():
        queries, response = count_queries(lambda: xianlin_admin.get("/persons"))
        return queries, len(response.json())

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


def test_person_detail_in_scope_is_masked_and_audited(xianlin_admin, street_admin, residents):
    number = factories.resident_id()
    residents.minfeng.set_resident_id(number)
    residents.minfeng.save()
    factories.tag(residents.minfeng, "elder")

    response = xianlin_admin.get(f"/persons/{residents.minfeng.public_id}")
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

    xianlin_admin.get(f"/persons/{residents.minfeng.public_id}")
    assert AuditEntry.objects.filter(action="person.view").count() == 2


def test_person_out_of_scope_looks_exactly_like_a_missing_one(xianlin_admin, residents):
    outside = xianlin_admin.get(f"/persons/{residents.cangqian.public_id}")
    missing = xianlin_admin.get(f"/persons/{uuid.uuid4()}")
    assert_not_found(outside)
    assert outside.json() == missing.json()
    assert not AuditEntry.objects.filter(action="person.view").exists()


@pytest.mark.parametrize("bad", ["not-a-uuid", "123", "0" * 40])
def test_malformed_person_id_is_404(xianlin_admin, residents, bad):
    assert_not_found(xianlin_admin.get(f"/persons/{bad}"))


def reveal(client, person, what="resident_id", reason="办理养老服务补贴需核对身份"):
    return client.post(f"/persons/{person.public_id}/reveal", {"what": what, "reason": reason})


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
