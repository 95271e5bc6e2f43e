"""An activity names a partner co-building with its center and a sub-brand that partner
gives there, chosen from the records (partners.selectors.partnership_for): over the staff
API and the staff page, the same rule and the same refusals naming the field."""

import pytest

from dangqun.activities.models import Activity
from dangqun.partners.models import Partner
from dangqun.people.models import StaffRole
from tests import factories
from tests.activities.test_staff_api import Api, ok, payload
from tests.clients import error, page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(district):
    xianlin = district.xianlin_center
    university = factories.partner(xianlin, name="浙江外国语学院", name_en="ZISU")
    clinic = factories.partner(xianlin, name="闲富门诊", kind="clinic")
    elsewhere = factories.partner(district.cangqian_center, name="仓前商会")
    return {
        "api": Api(factories.staff(StaffRole.Role.STREET_ADMIN, district.xianlin)),
        "university": university,
        "clinic": clinic,
        "elsewhere": elsewhere,
        "hats": factories.sub_brand(university, xianlin, name="夏天织帽子"),
        "lamp": factories.sub_brand(clinic, xianlin, name="永不熄灭的那一盏灯"),
        "cangqian_brand": factories.sub_brand(
            elsewhere, district.cangqian_center, name="仓前帮帮团"
        ),
    }


def ids(**records) -> dict:
    return {key: str(record.public_id) for key, record in records.items()}


def test_a_partner_and_its_sub_brand_are_chosen_and_shown(world, english):
    body = ok(
        world["api"].post(
            "/activities", payload(**ids(partner=world["university"], sub_brand=world["hats"]))
        ),
        201,
    )
    assert (body["partner"], body["partner_id"]) == ("ZISU", str(world["university"].public_id))
    assert (body["sub_brand"], body["sub_brand_id"]) == ("夏天织帽子", str(world["hats"].public_id))
    activity = Activity.objects.get(public_id=body["public_id"])
    assert (activity.partner, activity.sub_brand) == (world["university"], world["hats"])


def test_a_sub_brand_alone_brings_its_partner(world):
    body = ok(world["api"].post("/activities", payload(**ids(sub_brand=world["lamp"]))), 201)
    assert body["partner_id"] == str(world["clinic"].public_id)


@pytest.mark.parametrize(
    ("choice", "field"),
    [
        ({"partner": "elsewhere"}, "partner"),  # not co-building with Xianlin
        ({"sub_brand": "cangqian_brand"}, "sub_brand"),  # given at another center
        ({"partner": "university", "sub_brand": "lamp"}, "sub_brand"),  # another's sub-brand
    ],
)
def test_a_partnership_outside_the_center_is_refused_naming_the_field(world, choice, field):
    chosen = ids(**{key: world[name] for key, name in choice.items()})
    body = error(world["api"].post("/activities", payload(**chosen)), 400)
    assert body["field"] == field
    assert not Activity.objects.exists()


def test_unknown_ids_are_refused_naming_the_field(world):
    body = error(
        world["api"].post("/activities", payload(partner="00000000-0000-0000-0000-000000000000")),
        400,
    )
    assert body["field"] == "partner"
    assert error(world["api"].post("/activities", payload(partner="浙江")), 422)


def test_an_ended_partner_is_offered_no_more_but_stays_on_its_activities(world):
    body = ok(world["api"].post("/activities", payload(**ids(partner=world["clinic"]))), 201)
    Partner.objects.filter(pk=world["clinic"].pk).update(status=Partner.Status.ENDED)
    kept = payload(**ids(partner=world["clinic"]))
    kept.pop("center")
    changed = ok(world["api"].put(f"/activities/{body['public_id']}", kept))
    assert changed["partner_id"] == str(world["clinic"].public_id)
    assert error(world["api"].post("/activities", payload(**ids(partner=world["clinic"]))), 400)


def test_the_staff_form_offers_the_centers_partners_only(world, district):
    admin = factories.staff(StaffRole.Role.STREET_ADMIN, district.xianlin)
    page = page_client(admin).get("/staff/activities/new/").content.decode()
    assert str(world["university"].public_id) in page
    assert str(world["hats"].public_id) in page
    assert str(world["elsewhere"].public_id) not in page
