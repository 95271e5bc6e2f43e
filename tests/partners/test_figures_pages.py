"""The staff page /staff/partners/figures/ and its Excel workbook: the period (this year so
far by default), scoping by region (the district sees all, a street its own), the pledges'
states in words, and the workbook's cells."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dangqun.partners.models import Brand
from tests import factories
from tests.clients import page_client

from . import figures_world as w

pytestmark = pytest.mark.django_db

URL = "/staff/partners/figures/"
YESTERDAY = timezone.localdate() - timedelta(days=1)
FIRST = date(YESTERDAY.year, 1, 1)
# Yesterday's year so far (on 1 January the default period, this year, holds no yesterday).
PERIOD = {"start": FIRST.isoformat(), "end": timezone.localdate().isoformat()}


@pytest.fixture
def world(district):
    xianlin = factories.partner(district.xianlin_center, name="浙江外国语学院", name_en="ZISU")
    cangqian = factories.partner(district.cangqian_center, name="闲富门诊", name_en="Xianfu Clinic")
    brand = Brand.objects.create(name="红暖未来", name_en="Red Warmth", region=district.xianlin)
    sub = factories.sub_brand(xianlin, district.xianlin_center, name_en="Seniors Help", brand=brand)
    yesterday, first = YESTERDAY, FIRST
    w.agreement(xianlin, first, date(yesterday.year, 12, 31), sessions=365, money="365")
    _activity, sessions = w.activity_with_sessions(
        district.xianlin_center, [yesterday], partner=xianlin, sub_brand=sub
    )
    w.check_in(sessions[0], factories.PersonFactory())
    w.receipt(xianlin, yesterday, "1000")
    return district, xianlin, cangqian, sub, brand


def test_the_district_sees_every_partner_this_year_so_far(world):
    district, xianlin, cangqian, sub, brand = world
    client = page_client(factories.staff("district_admin", district.district))
    today = timezone.localdate()
    html = client.get(URL).content.decode()
    assert f'value="{today.year}-01-01"' in html and f'value="{today.isoformat()}"' in html
    response = client.get(URL, PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="partner-{xianlin.public_id}"' in html
    assert f'id="partner-{cangqian.public_id}"' in html
    assert f'id="sub-brand-{sub.public_id}"' in html and f'id="brand-{brand.public_id}"' in html
    # The state in words beside its colour; money on track, sessions far behind (1 of ~days).
    assert 'data-metric="money" data-state="green"' in html and "On track" in html
    if (today - FIRST).days > 2:
        assert 'data-metric="sessions" data-state="red"' in html and "Far behind" in html


def test_a_street_sees_its_own(world):
    district, xianlin, cangqian, sub, brand = world
    client = page_client(factories.staff("street_admin", district.cangqian))
    html = client.get(URL, PERIOD).content.decode()
    assert f'id="partner-{cangqian.public_id}"' in html
    assert f'id="partner-{xianlin.public_id}"' not in html
    assert f'id="sub-brand-{sub.public_id}"' not in html
    # Another street's region is the same 404 as none.
    assert client.get(URL, {**PERIOD, "region": district.xianlin.pk}).status_code == 404
    assert client.get(URL, {"region": "999999"}).status_code == 404


def test_the_district_narrows_to_a_street(world):
    district, xianlin, cangqian, _sub, _brand = world
    client = page_client(factories.staff("district_admin", district.district))
    html = client.get(URL, {**PERIOD, "region": district.xianlin.pk}).content.decode()
    assert f'id="partner-{xianlin.public_id}"' in html
    assert f'id="partner-{cangqian.public_id}"' not in html


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2025-03-10", "end": "2025-03-01"}, "end"),
        ({"start": "9999-01-01"}, "start"),
        ({"end": "2025-02-30"}, "end"),
        ({"start": "2000-01-01", "end": "2025-01-01"}, "end"),
    ],
)
def test_a_bad_period_is_refused_beside_its_field(world, query, field):
    district = world[0]
    client = page_client(factories.staff("district_admin", district.district))
    response = client.get(URL, query)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()


def test_residents_and_visitors_are_kept_out(world):
    assert page_client().get(URL).status_code == 302
    assert page_client(factories.PersonFactory()).get(URL).status_code == 404


def test_the_workbook(world):
    district, xianlin, cangqian, sub, brand = world
    client = page_client(factories.staff("district_admin", district.district))
    response = client.get(URL + "figures.xlsx", PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Partners", "Sub-brands", "Brands"]
    partners = book["Partners"]
    header = [cell.value for cell in partners[1]]
    rows = {
        row[0]: dict(zip(header, row, strict=True))
        for row in partners.iter_rows(2, values_only=True)
    }
    assert set(rows) == {"ZISU", "Xianfu Clinic"}
    zisu = rows["ZISU"]
    assert zisu["Sessions held"] == 1 and zisu["Person-times"] == 1 and zisu["People"] == 1
    assert zisu["Money received (¥)"] == 1000
    assert zisu["Money or goods (¥): state"] == "On track"
    assert rows["Xianfu Clinic"]["Overall state"] in ("", None)
    subs = list(book["Sub-brands"].iter_rows(2, values_only=True))
    assert subs[0][:4] == ("Seniors Help", "ZISU", "Xianlin Center", "Red Warmth")
    brands = list(book["Brands"].iter_rows(2, values_only=True))
    assert brands[0][0] == "Red Warmth" and brands[0][2] == 1  # activities held


def test_the_workbook_of_a_bad_period_is_the_page_with_the_error(world):
    client = page_client(factories.staff("district_admin", world[0].district))
    assert client.get(URL + "figures.xlsx", {"start": "x"}).status_code == 400
