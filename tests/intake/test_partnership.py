"""A catalogue item is provided with a partner co-building with its center (or with a
center within its region) under one of its sub-brands, by the same rule as activities
(partners.selectors.partnership_for); the public item page says who provides it."""

import pytest

from dangqun.intake.models import ServiceItem
from tests import factories
from tests.clients import error, page_client

from .conftest import intake_api

pytestmark = pytest.mark.django_db

ITEM = {"code": "free-clinic", "name": "义诊", "kind": "convenience", "unit": "闲富门诊"}


@pytest.fixture
def clinic(world):
    made = factories.partner(world.tree.xianlin_center, name="闲富门诊", kind="clinic")
    factories.sub_brand(made, world.tree.xianlin_center, name="永不熄灭的那一盏灯")
    return made


def test_an_item_of_a_center_is_provided_with_its_partner(world, clinic, english):
    api = intake_api(world.street_admin)
    lamp = clinic.sub_brands.get()
    body = api.post(
        "/staff/items", {**ITEM, "center": "xianlin", "sub_brand": str(lamp.public_id)}
    ).json()
    assert (body["partner_id"], body["sub_brand"]) == (str(clinic.public_id), "永不熄灭的那一盏灯")
    resident = page_client(factories.PersonFactory(), language="en")
    page = resident.get("/intake/centers/xianlin/free-clinic/").content.decode()
    assert "Provided with" in page and "闲富门诊" in page


def test_an_item_of_a_street_takes_a_partner_of_a_center_within_it(world, clinic):
    api = intake_api(world.street_admin)
    created = api.post(
        "/staff/items", {**ITEM, "region": world.tree.xianlin.pk, "partner": str(clinic.public_id)}
    )
    assert created.status_code == 201, created.content
    assert ServiceItem.objects.get(code="free-clinic").partner == clinic


def test_a_partner_of_another_street_is_refused_and_nothing_saved(world):
    elsewhere = factories.partner(world.tree.cangqian_center, name="仓前商会")
    api = intake_api(world.street_admin)
    body = error(
        api.post(
            "/staff/items", {**ITEM, "center": "xianlin", "partner": str(elsewhere.public_id)}
        ),
        400,
    )
    assert body["field"] == "partner"
    assert not ServiceItem.objects.filter(code="free-clinic").exists()


def test_changing_an_item_keeps_its_ended_partner(world, clinic):
    api = intake_api(world.street_admin)
    api.post("/staff/items", {**ITEM, "center": "xianlin", "partner": str(clinic.public_id)})
    clinic.status = clinic.Status.ENDED
    clinic.save()
    change = {k: v for k, v in ITEM.items() if k != "code"}
    changed = api.put("/staff/items/free-clinic", {**change, "partner": str(clinic.public_id)})
    assert changed.status_code == 200, changed.content
    assert changed.json()["partner_id"] == str(clinic.public_id)
