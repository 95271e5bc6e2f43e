"""Shared set-up of the intake tests: the small district of tests/factories.py with a
catalogue (an item of the Xianlin center with typed extra fields, one of the Cangqian
center, one of the whole district), a resident and staff of each kind."""

from dataclasses import dataclass

import pytest

from dangqun.intake import services
from dangqun.intake.models import ServiceItem
from dangqun.people.models import Person, StaffRole
from tests import factories
from tests.clients import Api

Role = StaffRole.Role

FIELDS = [
    {"code": "branch", "label": "现所在党支部", "datatype": "text", "required": True},
    {"code": "months", "label": "党费已交至(月数)", "datatype": "number"},
    {"code": "since", "label": "入党日期", "datatype": "date"},
    {
        "code": "direction",
        "label": "转接方向",
        "datatype": "choice",
        "required": True,
        "choices": [{"key": "in", "name": "转入"}, {"key": "out", "name": "转出"}],
    },
    {"code": "in_province", "label": "省内转接", "datatype": "bool"},
]


@dataclass
class World:
    tree: factories.Tree
    transfer: ServiceItem  # Xianlin's, with all five kinds of extra field
    canteen: ServiceItem  # Cangqian's, location required
    legal: ServiceItem  # the whole district's
    resident: Person
    other: Person
    xianlin_staff: Person
    cangqian_staff: Person
    street_admin: Person


@pytest.fixture
def world(district) -> World:
    tree = district
    transfer = factories.service_item(
        tree.xianlin_center, code="party-transfer", time_limit_days=5, fields=FIELDS
    )
    canteen = factories.service_item(
        tree.cangqian_center,
        code="canteen-meal",
        name="老年食堂助餐登记",
        kind="convenience",
        unit="老年食堂",
        time_limit_days=3,
        location_required=True,
    )
    legal = factories.service_item(
        region=tree.district,
        code="legal-advice",
        name="法律咨询",
        kind="volunteer",
        unit="法律服务窗口",
        time_limit_days=10,
    )
    return World(
        tree=tree,
        transfer=transfer,
        canteen=canteen,
        legal=legal,
        resident=factories.PersonFactory(
            name="王小明", mobile="13911110001", home_region=tree.minfeng
        ),
        other=factories.PersonFactory(name="李华", mobile="13911110002", home_region=tree.minfeng),
        xianlin_staff=factories.staff(
            Role.CENTER_STAFF, tree.xianlin, center=tree.xianlin_center, name="闲林工作人员"
        ),
        cangqian_staff=factories.staff(
            Role.CENTER_STAFF, tree.cangqian, center=tree.cangqian_center, name="仓前工作人员"
        ),
        street_admin=factories.staff(Role.STREET_ADMIN, tree.xianlin, name="闲林街道管理员"),
    )


GOOD_VALUES = {"branch": "民丰村党支部", "direction": "in", "months": "6", "in_province": "yes"}


def intake_api(person=None) -> Api:
    """The intake API (/api/v1/intake) as an app calls it: English, a Bearer token."""
    return Api(person, base="/intake", token=True)


def submit(world, person=None, item=None, actor=None, channel="online", **kw):
    """A request made through the service, by default the resident's party transfer."""
    person = person or world.resident
    kw.setdefault("values", GOOD_VALUES if (item or world.transfer) == world.transfer else {})
    kw.setdefault("description", "")
    return services.request_submit(
        actor=actor or person, person=person, item=item or world.transfer, channel=channel, **kw
    )


@pytest.fixture(autouse=True)
def _attachments_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path
