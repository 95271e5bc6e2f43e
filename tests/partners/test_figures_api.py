"""GET /api/v1/staff/partners/figures: the figures per partner, sub-brand and brand with the
pledges' states, scoped by region; bad input is a clean 4xx naming the field."""

from datetime import date

import pytest

from dangqun.partners.models import Brand
from tests import factories
from tests.clients import Api

from . import figures_world as w

pytestmark = pytest.mark.django_db

START, END = date(2025, 3, 1), date(2025, 3, 31)
PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


@pytest.fixture
def world(district):
    xianlin = factories.partner(district.xianlin_center, name_en="ZISU")
    cangqian = factories.partner(district.cangqian_center, name="闲富门诊")
    brand = Brand.objects.create(name="红暖未来", region=district.district)
    sub = factories.sub_brand(xianlin, district.xianlin_center, brand=brand)
    w.agreement(xianlin, date(2025, 1, 1), date(2025, 12, 31), sessions=365, hours="365")
    _activity, sessions = w.activity_with_sessions(
        district.xianlin_center, [START, date(2025, 3, 2)], partner=xianlin, sub_brand=sub
    )
    w.check_in(sessions[0], factories.PersonFactory())
    w.hours(w.team(district.xianlin_center, partner=xianlin), factories.PersonFactory(), START, 45)
    w.receipt(xianlin, START, "12.5", kind="goods")
    return district, xianlin, cangqian, sub, brand


def _api(role, region):
    return Api(factories.staff(role, region), base="/staff/partners")


def test_the_figures(world):
    district, xianlin, cangqian, sub, brand = world
    response = _api("district_admin", district.district).get("/figures", PERIOD)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["start"] == "2025-03-01" and body["region"] is None
    assert body["thresholds"] == {"green_percent": "100", "amber_percent": "60"}
    partners = {p["id"]: p for p in body["partners"]}
    zisu = partners[str(xianlin.public_id)]
    assert zisu["name"] == "ZISU"
    assert (zisu["activities"], zisu["sessions"], zisu["person_times"], zisu["people"]) == (
        1,
        2,
        1,
        1,
    )
    assert zisu["volunteer_minutes"] == 45 and zisu["volunteer_hours"] == "0.7"
    assert zisu["goods_received"] == "12.50" and zisu["money_received"] == "0.00"
    pledges = {p["metric"]: p for p in zisu["pledges"]}
    assert set(pledges) == {"sessions", "hours"}
    assert pledges["sessions"]["due"] == "31.0" and pledges["sessions"]["delivered"] == "2.0"
    assert pledges["sessions"]["percent"] == 6 and pledges["sessions"]["state"] == "red"
    assert zisu["state"] == "red"
    assert partners[str(cangqian.public_id)]["state"] is None
    (sub_row,) = body["sub_brands"]
    assert sub_row["partner"] == str(xianlin.public_id) and sub_row["brand"] == str(brand.public_id)
    assert sub_row["sessions"] == 2
    (brand_row,) = body["brands"]
    assert brand_row["people"] == 1 and brand_row["region"] == district.district.pk


def test_scoped_by_region(world):
    district, xianlin, cangqian, _sub, _brand = world
    street = _api("street_admin", district.cangqian)
    body = street.get("/figures", PERIOD).json()
    assert [p["id"] for p in body["partners"]] == [str(cangqian.public_id)]
    assert body["sub_brands"] == [] and body["brands"] == []
    assert street.get("/figures", {**PERIOD, "region": district.xianlin.pk}).status_code == 404
    narrowed = _api("district_admin", district.district).get(
        "/figures", {**PERIOD, "region": district.xianlin.pk}
    )
    assert [p["id"] for p in narrowed.json()["partners"]] == [str(xianlin.public_id)]


def test_defaults_to_this_year_so_far(world):
    from django.utils import timezone

    body = _api("district_admin", world[0].district).get("/figures").json()
    today = timezone.localdate()
    assert body["start"] == f"{today.year}-01-01" and body["end"] == today.isoformat()


# The API's convention (dangqun/api.py): a rule of the period is a 400; a date or number out
# of its type or range a 422; text the input boundary refuses a 400. Each names the field.
@pytest.mark.parametrize(
    ("query", "field", "status"),
    [
        ({"start": "2025-03-10", "end": "2025-03-01"}, "end", 400),
        ({"start": "2000-01-01", "end": "2025-01-01"}, "end", 400),
        ({"start": "9999-12-31"}, "start", 422),
        ({"end": "9999-12-31"}, "end", 422),
        ({"start": "2025-02-30"}, "start", 422),
        ({"end": "yesterday"}, "end", 422),
        ({"region": "1" * 30}, "region", 400),
        ({"region": "0"}, "region", 422),
        ("start=2025-01-01%ED%A0%80", "start", 400),  # a lone surrogate
        ("end=2025-01-01%00", "end", 400),
    ],
)
def test_bad_input_names_the_field(world, query, field, status):
    api = _api("district_admin", world[0].district)
    if isinstance(query, str):
        response = api.get(f"/figures?{query}")
    else:
        response = api.get("/figures", query)
    assert response.status_code == status, response.content
    assert response.json()["field"].split(".")[-1] == field


def test_only_staff(world):
    assert Api(base="/staff/partners").get("/figures").status_code == 401
    resident = Api(factories.PersonFactory(), base="/staff/partners")
    assert resident.get("/figures").status_code == 404


def test_merged_partners_and_those_ended_before_the_period_are_left_out(world):
    district, xianlin, cangqian, _sub, _brand = world
    gone = factories.partner(district.xianlin_center, name="旧单位", status="ended")
    gone.ended_on = date(2025, 2, 1)
    gone.save()
    late = factories.partner(district.xianlin_center, name="三月结束", status="ended")
    late.ended_on = date(2025, 3, 15)
    late.save()
    factories.partner(district.xianlin_center, name="重复录入", merged_into=xianlin)
    body = _api("district_admin", district.district).get("/figures", PERIOD).json()
    names = sorted(p["name"] for p in body["partners"])
    assert names == sorted(["ZISU", "闲富门诊", "三月结束"])
    assert next(p for p in body["partners"] if p["name"] == "三月结束")["status"] == "ended"


def test_the_api_asks_a_constant_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    district = world[0]
    api = _api("district_admin", district.district)
    api.get("/figures", PERIOD)  # the session and the roles, read once

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/figures", PERIOD).status_code == 200
        return len(captured)

    few = count()
    for n in range(4):
        partner = factories.partner(district.cangqian_center, name=f"共建{n}")
        factories.sub_brand(partner, district.cangqian_center, name=f"子品牌{n}")
        w.agreement(partner, START, END, sessions=12, money="10")
        w.receipt(partner, START, "5")
    assert count() == few
