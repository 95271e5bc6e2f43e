"""A request's place where the service needs one: a point (GPS), a village or community, or
an address alone, any one of them, in the service, the API, the resident's form and the
counter's; the staff see what was given (the village, the address, the point with an Amap
link). Where the service needs no place, the form asks only for an address."""

import pytest

from dangqun.core.errors import ValidationFailed
from dangqun.intake.models import ServiceRequest
from tests.pages import error_box, field_error

from .conftest import intake_api, submit

pytestmark = pytest.mark.django_db

CANTEEN = "/intake/centers/cangqian/canteen-meal/"


def test_any_one_of_point_village_or_address_is_a_location(world):
    by_address = submit(world, item=world.canteen, address="仓前街道云会村12号")
    assert (by_address.address, by_address.lat, by_address.location_region) == (
        "仓前街道云会村12号",
        None,
        None,
    )
    by_village = submit(world, item=world.canteen, region=world.tree.yunhui.pk)
    assert by_village.location_region == world.tree.yunhui and by_village.address == ""
    by_point = submit(world, item=world.canteen, lat="30.3935", lng="119.9977")
    assert by_point.lat is not None and by_point.location_region is None


@pytest.mark.parametrize(
    ("place", "field"),
    [
        ({}, "location"),
        ({"address": "   "}, "location"),  # blank is no address
        ({"region": 999_999}, "region"),
        ({"region": "x"}, "region"),
        ({"region": 10**30}, "region"),
        ({"region": "street"}, "region"),  # a street is not a village or community
        ({"lat": "30.39"}, "lng"),
        ({"lat": "95", "lng": "120"}, "lat"),
    ],
)
def test_no_or_a_bad_location_is_refused_naming_the_field(world, place, field):
    if place.get("region") == "street":
        place = {"region": world.tree.cangqian.pk}
    with pytest.raises(ValidationFailed) as caught:
        submit(world, item=world.canteen, **place)
    assert caught.value.field == field
    assert not ServiceRequest.objects.exists()


def test_the_api_takes_and_gives_the_village(world):
    api = intake_api(world.resident)
    created = api.post("/requests", {"item": "canteen-meal", "region": world.tree.yunhui.pk})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["region"], body["region_name"]) == (world.tree.yunhui.pk, "云会村")
    refused = api.post("/requests", {"item": "canteen-meal", "region": 424242})
    assert refused.status_code == 400 and refused.json()["field"] == "region"
    nothing = api.post("/requests", {"item": "canteen-meal"})
    message = nothing.json()["message"]
    assert nothing.json()["field"] == "location" and "village or community" in message


def test_the_form_offers_map_position_village_and_address(as_person, world):
    client = as_person(world.resident)
    page = client.get(CANTEEN).content.decode()
    assert "data-map-picker" in page and 'data-lat="id_lat"' in page
    assert '<optgroup label="仓前街道">' in page and ">云会村</option>" in page
    assert ">民丰村</option>" in page
    assert '<details class="coordinates">' in page  # typed numbers kept, but folded away
    assert "纬度（GPS）" in page and "WGS-84" not in page
    assert page.count('id="map-config"') == 1
    # A service without a place asks for no coordinates and no village.
    other = client.get("/intake/centers/xianlin/party-transfer/").content.decode()
    assert 'name="lat"' not in other and 'name="region"' not in other
    assert "data-map-picker" not in other and 'name="address"' in other


def test_the_form_submits_a_village_alone_and_the_staff_see_it(as_person, world):
    client = as_person(world.resident)
    response = client.post(CANTEEN, {"description": "午餐", "region": world.tree.yunhui.pk})
    assert response.status_code == 302
    request = ServiceRequest.objects.get()
    assert request.location_region == world.tree.yunhui and request.lat is None
    staff = as_person(world.cangqian_staff)
    detail = staff.get(f"/staff/intake/r/{request.number}/").content.decode()
    assert "云会村" in detail and "uri.amap.com" not in detail


def test_the_form_with_a_point_shows_the_staff_an_amap_link(as_person, world):
    client = as_person(world.resident)
    client.post(CANTEEN, {"lat": "30.393500", "lng": "119.997700", "address": "云会村12号"})
    request = ServiceRequest.objects.get()
    detail = as_person(world.cangqian_staff).get(f"/staff/intake/r/{request.number}/")
    page = detail.content.decode()
    assert "30.393500, 119.997700" in page and "https://uri.amap.com/marker?position=" in page


def test_the_form_without_a_place_says_so_beside_the_address(as_person, world):
    client = as_person(world.resident)
    page = client.post(CANTEEN, {"description": "午餐"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "村（社区）" in field_error(text, "address") and error_box(text)
    bad_point = client.post(CANTEEN, {"lat": "300", "lng": "120"}).content.decode()
    assert field_error(bad_point, "lat")
    assert '<details class="coordinates" open>' in bad_point  # the error is not folded away
    assert not ServiceRequest.objects.exists()


def test_the_counter_form_takes_an_address_alone(as_person, world):
    client = as_person(world.cangqian_staff)
    client.get("/staff/intake/counter/", {"q": "13911110001"})  # the full mobile number
    url = f"/staff/intake/counter/{world.resident.public_id}/cangqian/canteen-meal/"
    page = client.get(url).content.decode()
    assert "data-map-picker" in page and 'name="region"' in page
    response = client.post(url, {"address": "仓前街道云会村12号"})
    assert response.status_code == 302
    request = ServiceRequest.objects.get()
    assert request.address == "仓前街道云会村12号" and request.channel == "counter"
