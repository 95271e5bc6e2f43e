"""Fixtures of the booking tests; the settings they build are described in helpers.py."""

import pytest

from dangqun.bookings.models import BookingRule
from dangqun.places.models import SpaceKind
from tests import factories
from tests.bookings.helpers import HOURS, MOBILE, OPEN, Role

# The resident's side: the Xianlin center, open 08:00-20:00 every day, and its maker space.


@pytest.fixture
def center(district):
    center = district.xianlin_center
    center.opening_hours = OPEN
    center.save()
    return center


@pytest.fixture
def space(center):
    return factories.SpaceFactory(
        center=center, name="创客空间", name_en="Maker space", capacity=20, is_bookable=True
    )


@pytest.fixture
def resident(db):
    return factories.PersonFactory(name="王小明", mobile=MOBILE)


@pytest.fixture
def other(db):
    return factories.PersonFactory(name="李四海", mobile="13912340002")


# The staff's side, the services and the rules: both streets' centers keep HOURS; two spaces
# in Xianlin, one in Cangqian.


@pytest.fixture
def far_ahead(db):
    # The built-in kinds' rules allow 30 days ahead; these tests book in 2030.
    BookingRule.objects.filter(kind__isnull=False).update(max_days_ahead=5000)


@pytest.fixture
def office_hours(district):
    """The district, with HOURS at the Xianlin and the Cangqian center."""
    for center in (district.xianlin_center, district.cangqian_center):
        center.opening_hours = HOURS
        center.save()
    return district


@pytest.fixture
def room(office_hours):
    return factories.SpaceFactory(
        center=office_hours.xianlin_center,
        name="暖流之家",
        name_en="Warm Current Home",
        capacity=20,
        is_bookable=True,
    )


@pytest.fixture
def studio(office_hours):
    """Its kind's rule has staff approve every booking."""
    return factories.SpaceFactory(
        center=office_hours.xianlin_center,
        name="聚贤里直播间",
        name_en="Juxianli Studio",
        capacity=6,
        is_bookable=True,
        kind=SpaceKind.objects.get(code="livestream_studio"),
    )


@pytest.fixture
def riders(office_hours):
    return factories.SpaceFactory(
        center=office_hours.cangqian_center, name="骑手之家", capacity=30, is_bookable=True
    )


@pytest.fixture
def residents(district):
    return (
        factories.PersonFactory(name="张闲林", mobile="13900001111"),
        factories.PersonFactory(name="王仓前", mobile="13600003333"),
    )


@pytest.fixture
def xianlin_admin(district):
    return factories.staff(Role.STREET_ADMIN, district.xianlin, name="闲林管理员")


@pytest.fixture
def yuhang_admin(district):
    """The district admin (the district is Yuhang)."""
    return factories.staff(Role.DISTRICT_ADMIN, district.district, name="区管理员")
