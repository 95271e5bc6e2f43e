"""One rule decides who changes a catalogue item and stops or restarts offering it
(catalogue.may_edit_item): the staff of the item's center, and above; an item of a street
or of the district only that region's admins, and above. The pages and the API give the
same answer for the same person and item: allowed, or the 404 of a missing item, and a
refusal changes nothing. The catalogue page shows its links by the same rule."""

import pytest

from dangqun.intake.models import ServiceItem
from dangqun.people.models import StaffRole
from tests import factories
from tests.clients import page_client

from .conftest import intake_api

pytestmark = pytest.mark.django_db

CATALOGUE = "/staff/intake/catalogue/"


@pytest.fixture
def street_item(world):
    """An item of the whole Xianlin street (every center inside offers it)."""
    return factories.service_item(
        region=world.tree.xianlin, code="street-help", name="街道帮办", unit="街道帮办窗口"
    )


@pytest.fixture
def district_admin(world):
    return factories.staff(StaffRole.Role.DISTRICT_ADMIN, world.tree.district, name="区管理员")


def _change(item: ServiceItem) -> dict:
    """The item as the API's PUT takes it, with another unit."""
    return {
        "name": item.name,
        "kind": item.kind,
        "unit": "新窗口",
        "time_limit_days": item.time_limit_days,
        "fields": [
            {"code": f.code, "label": f.label, "datatype": f.datatype, "required": f.required}
            | ({"choices": f.choices} if f.choices else {})
            for f in item.fields.all()
        ],
    }


def _page_answers(person, item: ServiceItem) -> dict:
    client = page_client(person)
    catalogue = client.get(CATALOGUE).content.decode()
    edit = f"{CATALOGUE}{item.code}/edit/"
    active = f"{CATALOGUE}{item.code}/active/"
    return {
        "edit link": edit in catalogue,
        "stop button": active in catalogue,
        "edit page": client.get(edit).status_code,
        "stop": client.post(active).status_code,
    }


def _api_answers(person, item: ServiceItem) -> dict:
    api = intake_api(person)
    return {
        "change": api.put(f"/staff/items/{item.code}", _change(item)).status_code,
        "stop": api.put(f"/staff/items/{item.code}/active", {"active": False}).status_code,
    }


ALLOWED_PAGES = {"edit link": True, "stop button": True, "edit page": 200, "stop": 302}
REFUSED_PAGES = {"edit link": False, "stop button": False, "edit page": 404, "stop": 404}
ALLOWED_API = {"change": 200, "stop": 200}
REFUSED_API = {"change": 404, "stop": 404}


@pytest.mark.parametrize(
    ("who", "which", "allowed"),
    [
        ("xianlin_staff", "transfer", True),  # their own center's item
        ("street_admin", "transfer", True),  # an item of a center in their street
        ("cangqian_staff", "transfer", False),  # another street's center
        ("xianlin_staff", "street_item", False),  # a center's staff, an item of the street
        ("street_admin", "street_item", True),
        ("cangqian_staff", "street_item", False),
        ("street_admin", "legal", False),  # the district's item
        ("district_admin", "legal", True),
        ("district_admin", "street_item", True),
    ],
)
def test_pages_and_api_give_the_same_answer(request, world, who, which, allowed):
    person = getattr(world, who, None) or request.getfixturevalue(who)
    item = getattr(world, which, None) or request.getfixturevalue(which)
    before = (item.unit, item.is_active)

    pages = _page_answers(person, item)
    item.refresh_from_db()
    if allowed:
        assert pages == ALLOWED_PAGES
        assert item.is_active is False  # the page stopped it
        ServiceItem.objects.filter(pk=item.pk).update(is_active=True)
    else:
        assert pages == REFUSED_PAGES
        assert (item.unit, item.is_active) == before

    answers = _api_answers(person, item)
    item.refresh_from_db()
    if allowed:
        assert answers == ALLOWED_API
        assert (item.unit, item.is_active) == ("新窗口", False)
    else:
        assert answers == REFUSED_API
        assert (item.unit, item.is_active) == before


def test_a_center_s_staff_see_their_street_s_item_but_cannot_stop_it(world, street_item):
    """The item is in their catalogue (their center offers it), without its links."""
    catalogue = page_client(world.xianlin_staff).get(CATALOGUE).content.decode()
    assert "street-help" in catalogue
    assert f"{CATALOGUE}street-help/active/" not in catalogue
    assert f"{CATALOGUE}street-help/edit/" not in catalogue
