"""Writes of the registry refuse what cannot be shown or reached: blank and zero-width names,
control characters, phones that are not phone numbers (never cut silently), and places
outside China's box or the district's area."""

import pytest

from dangqun.core.errors import ValidationFailed
from dangqun.places import services
from dangqun.places.models import ServiceCenter, Space, SpaceKind

pytestmark = pytest.mark.django_db


def center_data(**changes) -> dict:
    return {
        "name": "闲林街道党群服务中心",
        "address": "杭州市余杭区闲林街道",
        "latitude": "30.262400",
        "longitude": "119.972300",
        **changes,
    }


def refused(call, **kwargs) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        call(**kwargs)
    return caught.value


@pytest.fixture
def region(district):
    return district.xianlin


@pytest.mark.parametrize("name", ["", "   ", "\u200b", "\u200b\u200c\u2060\ufeff", "\u3000\u200b "])
def test_a_center_needs_a_name_that_shows(region, name, english):
    error = refused(services.center_create, actor=None, region=region, data=center_data(name=name))
    assert (error.field, str(error.message)) == ("name", "This field is required.")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "中心\x01"),
        ("name", "中心\ud800"),
        ("address", "地址\x1b"),
        ("brand", "品牌\x7f"),
        ("name_en", "Center\x00"),
        ("description", "说\x0b明"),
    ],
)
def test_a_center_refuses_unstorable_text(region, field, value):
    error = refused(
        services.center_create, actor=None, region=region, data=center_data(**{field: value})
    )
    assert error.field == field
    assert not ServiceCenter.objects.filter(address__startswith="地址").exists()


def test_a_centers_text_is_kept_cleaned(region):
    center = services.center_create(
        actor=None,
        region=region,
        data=center_data(name="  e\u0301 中心 ", description=" 第一行\r\n第二行\t。 "),
    )
    assert center.name == "\u00e9 中心"
    assert center.description == "第一行\n第二行\t。"


def test_a_too_long_name_is_refused_not_cut(region, english):
    error = refused(
        services.center_create, actor=None, region=region, data=center_data(name_en="x" * 121)
    )
    assert (error.field, str(error.message)) == ("name_en", "At most 120 characters.")


@pytest.mark.parametrize(
    "phone",
    [
        "",
        "13912345678",
        "139 1234 5678",
        "+86 139-1234-5678",
        "0571-88888888",
        "0571 8888 888",
        "(0571) 88888888",
        "010-12345678",
        "021 1234 5678",
        "0086 0571 8888 8888",
        "0571-88888888 转 123",
        "0571-88888888 ext. 12",
        "0571-88888888x9",
        "0571-88888888-123",
        "  0571   88888888  ",
    ],
)
def test_a_centers_phone_may_be_a_mobile_or_a_landline(region, phone):
    center = services.center_create(actor=None, region=region, data=center_data(phone=phone))
    assert center.phone == " ".join(phone.split())


@pytest.mark.parametrize(
    "phone",
    [
        "88888888",  # no area code
        "12345",
        "phone",
        "12912345678",  # no such mobile prefix
        "1391234567",  # ten digits
        "0571-88888888; 0571-66666666",
        "0571-88888888 or ask at the desk",
        "+1 415 555 0100",
        "13912345678-12",  # a mobile has no extension
        "0571-88888888\x01",
        "٠٥٧١٨٨٨٨٨٨٨٨",  # Arabic-Indic digits
    ],
)
def test_a_centers_phone_that_is_no_phone_number_is_refused(region, phone, english):
    error = refused(
        services.center_create, actor=None, region=region, data=center_data(phone=phone)
    )
    assert error.field == "phone"


def test_a_long_phone_is_refused_never_cut(region, english):
    phone = "( 0 5 7 1 ) 8 8 8 8 8 8 8 8 转 123456"
    error = refused(
        services.center_create, actor=None, region=region, data=center_data(phone=phone)
    )
    assert (error.field, str(error.message)) == ("phone", "At most 30 characters.")


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        ("0", "0", "latitude"),
        ("1", "119.97", "latitude"),
        ("-1", "119.97", "latitude"),
        ("30.26", "0", "longitude"),
        ("30.26", "-119.97", "longitude"),
        ("55", "119.97", "latitude"),
        ("30.26", "136", "longitude"),
    ],
)
def test_a_center_outside_china_is_refused(region, latitude, longitude, field, english):
    error = refused(
        services.center_create,
        actor=None,
        region=region,
        data=center_data(latitude=latitude, longitude=longitude),
    )
    assert error.field == field
    assert "outside China" in str(error.message)


def test_a_center_outside_the_configured_district_is_refused(region, settings, english):
    settings.DISTRICT_AREA = (30.1, 119.6, 30.6, 120.5)
    services.center_create(actor=None, region=region, data=center_data())
    error = refused(
        services.center_create,
        actor=None,
        region=region,
        data=center_data(latitude="31.23", longitude="121.47"),  # Shanghai
    )
    assert "district's area" in str(error.message)


def test_an_update_is_checked_the_same_way(district, english):
    center = district.xianlin_center
    error = refused(
        services.center_update, actor=None, center=center, data=center_data(latitude="0")
    )
    assert error.field == "latitude"
    center.refresh_from_db()
    assert float(center.latitude) > 30


@pytest.mark.parametrize("name", ["", " ", "\u200b", "\ufeff\u200d"])
def test_a_space_needs_a_name_that_shows(district, name, english):
    kind = SpaceKind.objects.create(code="meeting", name="会议室")
    data = {"name": name, "kind": kind.code}
    error = refused(services.space_create, actor=None, center=district.xianlin_center, data=data)
    assert error.field == "name"
    assert not Space.objects.filter(center=district.xianlin_center, name=name).exists()


def test_a_space_refuses_unstorable_text(district):
    error = refused(
        services.space_create,
        actor=None,
        center=district.xianlin_center,
        data={"name": "会议室\x02", "kind": ""},
    )
    assert error.field == "name"


def test_a_region_and_a_kind_need_names_that_show(district, english):
    error = refused(
        services.region_create,
        actor=None,
        name="\u200b",
        level="village",
        parent=district.xianlin,
    )
    assert error.field == "name"
    error = refused(services.space_kind_create, actor=None, name=" \u200b ")
    assert error.field == "name"


def test_long_english_names_make_web_addresses_that_fit_their_columns(district):
    """Found by the fuzzer on PostgreSQL (SQLite does not enforce a column's length): a
    center's slug and a kind's code are made from the English name and must fit."""
    from dangqun.people.models import StaffRole
    from dangqun.places import services
    from dangqun.places.models import ServiceCenter, SpaceKind
    from tests import factories

    admin = factories.staff(StaffRole.Role.DISTRICT_ADMIN, district.district)
    data = {
        "name": "很长名字的中心",
        "name_en": "A" + " very long English name" * 5,
        "address": "杭州市余杭区",
        "latitude": "30.27",
        "longitude": "119.95",
    }
    first = services.center_create(actor=admin, region=district.xianlin, data=data)
    second = services.center_create(actor=admin, region=district.xianlin, data=data)
    limit = ServiceCenter._meta.get_field("slug").max_length
    assert len(first.slug) <= limit and len(second.slug) <= limit
    assert first.slug != second.slug
    kind = services.space_kind_create(actor=admin, name="长长的功能区", name_en="Room " * 12)
    assert len(kind.code) <= SpaceKind._meta.get_field("code").max_length


def test_the_demo_centers_have_phone_numbers(db):
    from dangqun.places import demo as places_demo
    from dangqun.places.models import ServiceCenter

    places_demo.load_demo()
    phones = dict(ServiceCenter.objects.values_list("slug", "phone"))
    assert set(phones) == {"xianlin", "cangqian-new-employment", "renhe"}
    assert all(phone.startswith("0571-") for phone in phones.values())
