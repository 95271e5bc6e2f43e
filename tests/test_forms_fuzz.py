"""The pages' forms under random input (issue 12): whatever a person or a script posts —
control characters, broken surrogates, dates in year 9999, 30-digit numbers, long text —
a page answers with itself and its messages, never a server error, and what it stored can
be shown again."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangqun.people.models import StaffRole
from tests import factories
from tests.clients import page_client

pytestmark = pytest.mark.django_db

NASTY = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "\x00",
            "a\x01b",
            "\ud800",
            "9999-12-31",
            "0001-01-01",
            "1899-12-31T23:59",
            "9" * 30,
            "-9" * 15,
            "\u200b\u200b",
            "x" * 5000,
            "25:99",
            "13800138000",
        ]
    ),
)
RUNS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _form(fields: list[str]):
    return st.fixed_dictionaries(dict.fromkeys(fields, NASTY))


def _encodable(data: dict) -> dict:
    """What a browser can send: text as UTF-8 (a lone surrogate arrives as the bytes a
    broken client would send, which Django reads with replacement characters)."""
    return {
        k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for k, v in data.items()
    }


@pytest.fixture
def resident(district):
    return factories.PersonFactory(name="王小明", mobile="13912340001")


@pytest.fixture
def admin(district):
    return factories.staff(StaffRole.Role.DISTRICT_ADMIN, district.district, name="区管理员")


def _posted(client, url: str, data: dict) -> int:
    response = client.post(url, _encodable(data))
    assert response.status_code < 500, (url, data, response.status_code)
    again = client.get(url)
    assert again.status_code == 200, (url, "shown again", again.status_code)
    return response.status_code


@RUNS
@given(data=_form(["name", "birth_date", "home_region", "resident_id", "tags", "language"]))
def test_the_profile_page_takes_anything(resident, data):
    _posted(page_client(resident), "/accounts/me/", data)


@RUNS
@given(data=_form(["date", "start_time", "end_time", "headcount", "purpose"]))
def test_the_booking_form_takes_anything(district, resident, data):
    space = factories.SpaceFactory(center=district.xianlin_center, is_bookable=True)
    _posted(page_client(resident), f"/bookings/spaces/{space.pk}/new/", data)


@RUNS
@given(
    data=_form(
        ["title", "kind", "center", "venue", "address", "capacity", "registration_opens",
         "registration_closes", "sessions", "min_age", "max_age", "description"]
    )
)  # fmt: skip
def test_the_staff_activity_form_takes_anything(admin, data):
    _posted(page_client(admin), "/staff/activities/new/", data)


@RUNS
@given(data=_form(["name", "name_en", "address", "phone", "latitude", "longitude", "opened_on"]))
def test_the_staff_center_form_takes_anything(district, admin, data):
    _posted(page_client(admin), f"/staff/centers/{district.xianlin_center.slug}/", data)
