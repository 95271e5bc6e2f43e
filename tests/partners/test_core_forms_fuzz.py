"""The partners' back-office forms under random input (issue 12's rule): control
characters, broken surrogates, year 9999, 30-digit numbers, long text — each page answers
with itself and its messages, never a server error, and is shown again afterwards."""

import pytest
from hypothesis import given

from tests.clients import page_client
from tests.test_forms_fuzz import RUNS, _encodable, _form, _posted

from .pcore import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@RUNS
@given(
    data=_form(
        ["name", "name_en", "kind", "region", "centers", "contact_name", "contact_mobile",
         "description"]
    )
)  # fmt: skip
def test_the_partner_form_takes_anything(world, data):
    _posted(page_client(world.xianlin_staff), "/staff/partners/new/", data)


@RUNS
@given(
    data=_form(
        ["start", "end", "pledged_hours", "pledged_sessions", "pledged_money", "text"]
    )
)  # fmt: skip
def test_the_agreement_form_takes_anything(world, data):
    url = f"/staff/partners/{world.partner.public_id}/agreements/new/"
    _posted(page_client(world.xianlin_staff), url, data)


@RUNS
@given(data=_form(["kind", "received_on", "amount", "description", "agreement"]))
def test_the_receipt_form_takes_anything(world, data):
    url = f"/staff/partners/{world.partner.public_id}/receipts/new/"
    _posted(page_client(world.xianlin_staff), url, data)


@RUNS
@given(data=_form(["name", "name_en", "center", "description", "brand"]))
def test_the_sub_brand_form_takes_anything(world, data):
    url = f"/staff/partners/{world.partner.public_id}/sub-brands/new/"
    _posted(page_client(world.xianlin_staff), url, data)


@RUNS
@given(data=_form(["name", "name_en", "region", "description", "sub_brands"]))
def test_the_brand_form_takes_anything(world, data):
    _posted(page_client(world.district_admin), "/staff/partners/brands/new/", data)


@RUNS
@given(data=_form(["ended_on", "confirm", "merged", "reason"]))
def test_the_partner_buttons_take_anything(world, data):
    client = page_client(world.xianlin_staff)
    base = f"/staff/partners/{world.partner.public_id}"
    for action in ("contact", "merge", "end"):
        response = client.post(f"{base}/{action}/", _encodable(data))
        assert response.status_code < 500, (action, data, response.status_code)
