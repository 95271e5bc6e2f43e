"""The coverage analysis cannot stall: a stray coordinate (a center at latitude 0 /
longitude 0) or a grid over the stated bound is refused at once, naming the field and
stating the bound, before any grid is built."""

import time

import h3
import pytest
from django.test import Client

from dangqun.accounts.services import api_token_create
from dangqun.core import geo
from dangqun.core.errors import ValidationFailed
from dangqun.riders import coverage, demand
from tests import factories
from tests.riders.helpers import CANGQIAN, east_of, station

pytestmark = pytest.mark.django_db


def refusal(call, *args, **kwargs) -> ValidationFailed:
    started = time.monotonic()
    with pytest.raises(ValidationFailed) as caught:
        call(*args, **kwargs)
    assert time.monotonic() - started < 5, "refused, but only after building the grid"
    return caught.value


def test_the_size_of_a_grid_is_known_before_it_is_built():
    near = [CANGQIAN, east_of(CANGQIAN, 10_000)]
    assert 50 < coverage.cells_needed(near) < 200
    assert len(coverage.grid_of(near)) == pytest.approx(coverage.cells_needed(near), rel=0.35)
    # A center at 0, 0 beside one in Yuhang: tens of millions of cells.
    assert coverage.cells_needed([CANGQIAN, (0.0, 0.0)]) > 10_000_000


def test_a_grid_over_the_bound_is_refused_and_the_bound_stated(english):
    # Both points are in China: it is the size, not the place, that is refused.
    error = refusal(coverage.grid_of, [(30.0, 100.0), (40.0, 120.0)])
    assert error.field == "region"
    assert "200,000" in str(error.message)


def test_a_grid_within_the_bound_is_built():
    assert coverage.grid_of([CANGQIAN])


@pytest.mark.parametrize("where", [(0, 0), (1, 1), (-1, -1), (0, 119.98), (30.29, 0)])
def test_a_center_at_latitude_or_longitude_0_is_refused_by_name(district, english, where):
    factories.CenterFactory(
        region=district.cangqian, name="零点中心", latitude=where[0], longitude=where[1]
    )
    error = refusal(coverage.analyse, district.district, minutes=10, k=1)
    assert error.field == "region"
    assert "零点中心" in str(error.message)
    assert "outside China" in str(error.message)


def test_a_station_outside_the_district_is_refused_by_name(district, settings, english):
    settings.DISTRICT_AREA = (30.1, 119.6, 30.6, 120.5)
    station(district.cangqian, lat=31.23, lng=121.47, name="上海驿站")  # in China, not here
    error = refusal(coverage.analyse, district.district, minutes=10, k=1)
    assert "上海驿站" in str(error.message)
    assert "district's area" in str(error.message) and "120.5" in str(error.message)


def test_demand_points_and_candidates_outside_the_area_are_refused(district, english):
    station(district.cangqian, lat=CANGQIAN[0], lng=CANGQIAN[1])
    far = [{"lat": 0.0, "lng": 0.0, "count": 1.0}]
    error = refusal(coverage.analyse, district.district, demand_points=far)
    assert error.field == "demand"
    error = refusal(coverage.analyse, district.district, candidates=[{"lat": 0, "lng": 0}])
    assert error.field == "candidates"


def test_demand_that_spreads_the_search_too_wide_is_refused(district, english):
    station(district.cangqian, lat=CANGQIAN[0], lng=CANGQIAN[1])
    # Urumqi is in China, but a search from Yuhang to there would span millions of cells.
    far = [{"lat": 43.8, "lng": 87.6, "count": 1.0}]
    error = refusal(coverage.analyse, district.district, demand_points=far)
    assert error.field == "demand"
    assert "200,000" in str(error.message)


def test_a_riders_work_area_outside_the_area_is_not_demand(district, settings):
    from dangqun.riders.models import RiderProfile

    station(district.cangqian, lat=CANGQIAN[0], lng=CANGQIAN[1])
    settings.DISTRICT_AREA = (30.1, 119.6, 30.6, 120.5)
    rider = factories.PersonFactory()
    RiderProfile.objects.create(
        person=rider,
        work_cell=h3.latlng_to_cell(0.0, 0.0, 8),
        work_region=district.cangqian,
        location_consent_at="2024-05-01T00:00:00Z",
    )
    analysis = coverage.analyse(district.district, minutes=10, k=1)
    assert analysis.total == 0


def test_the_demand_file_refuses_rows_outside_the_area(english):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("d.csv", b"lat,lng,count\n30.29,119.98,1\n0,0,2\n")
    with pytest.raises(ValidationFailed) as caught:
        demand.parse_demand_file(upload)
    assert "Row 3" in str(caught.value.message)


def test_over_the_api_a_stray_center_is_a_400_at_once(district):
    factories.CenterFactory(region=district.cangqian, name="零点中心", latitude=0, longitude=0)
    admin = factories.staff("district_admin", district.district)
    token = api_token_create(person=admin, name="t")[1]
    started = time.monotonic()
    response = Client().post(
        "/api/v1/riders/staff/coverage",
        {"region": district.district.pk, "minutes": 10, "k": 1},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert time.monotonic() - started < 5
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "region"
    assert "零点中心" in response.json()["message"]


def test_the_china_box_is_the_default_area(settings):
    settings.DISTRICT_AREA = None
    assert geo.district_area() == geo.CHINA
