"""The service packages' staff form and figures page under random input: control
characters, broken surrogates, year 9999, 30-digit numbers, long text give the page again
with its messages, never a server error; a valid package among them can be shown again."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.clients import page_client
from tests.test_forms_fuzz import NASTY, RUNS, _encodable

from .package_fixtures import scene

pytestmark = pytest.mark.django_db

FIELDS = [
    "region", "name", "name_en", "description", "target_groups", "min_age", "max_age",
    "home_region", "items", "activity_kinds", "spaces",
]  # fmt: skip


@pytest.fixture
def world(db):
    return scene()


@RUNS
@given(data=st.fixed_dictionaries(dict.fromkeys(FIELDS, NASTY)))
def test_the_package_forms_take_anything(world, data):
    client = page_client(world.staff)
    for url in ("/staff/packages/new/", f"/staff/packages/{world.package.public_id}/"):
        answer = client.post(url, _encodable(data))
        assert answer.status_code < 500, (url, data)
        assert client.get(url).status_code == 200
    assert client.get(f"/packages/{world.package.public_id}/").status_code in (200, 404)


@RUNS
@given(data=st.fixed_dictionaries(dict.fromkeys(["start", "end"], NASTY)))
def test_the_figures_page_takes_anything(world, data):
    url = f"/staff/packages/{world.package.public_id}/figures/"
    answer = page_client(world.staff).get(url, _encodable(data))
    assert answer.status_code in (200, 400), data
