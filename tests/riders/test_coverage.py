"""Coverage analysis: riders' work areas as demand, the share covered, greedy maximal
covering with its tie rule, and the demand file parser (CSV and GBK text)."""

import io

import h3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from dangqun.core.errors import ValidationFailed
from dangqun.riders import cells, coverage, demand, travel
from dangqun.riders.models import RiderProfile
from dangqun.riders.services import rider_register
from tests import factories
from tests.riders.helpers import CANGQIAN, east_of, station

pytestmark = pytest.mark.django_db


def test_riders_work_areas_are_the_demand(district):
    station(district.cangqian, lat=CANGQIAN[0], lng=CANGQIAN[1])
    far = east_of(CANGQIAN, 7000)
    for _ in range(3):
        rider_register(
            person=factories.PersonFactory(),
            trade="delivery",
            platform="",
            location_consent=True,
            work_lat=CANGQIAN[0],
            work_lng=CANGQIAN[1],
        )
    rider_register(
        person=factories.PersonFactory(),
        trade="courier",
        platform="",
        location_consent=True,
        work_lat=far[0],
        work_lng=far[1],
    )
    # Without consent nothing is stored, so it cannot count.
    rider_register(person=factories.PersonFactory(), trade="courier", platform="")
    analysis = coverage.analyse(district.district, minutes=10, k=1)
    assert analysis.total == 4
    assert analysis.covered == 3
    assert analysis.share == 0.75
    assert [h.cell for h in analysis.uncovered_hexes] == [cells.work_area_cell(*far)]
    assert analysis.sites and analysis.sites[0].gain == 1
    assert RiderProfile.objects.count() == 5


def test_greedy_takes_the_biggest_gain_first_and_the_first_listed_on_a_tie():
    engine = travel.StraightLineEngine()
    spots = [east_of(CANGQIAN, d) for d in (0, 20_000, 40_000)]
    hexes = [
        coverage.Hex(h3.latlng_to_cell(*p, 8), *p, weight=w)
        for p, w in zip(spots, (5, 9, 9), strict=True)
    ]
    candidates = [{"lat": p[0], "lng": p[1], "label": str(i)} for i, p in enumerate(spots)]
    sites = coverage.greedy_sites(hexes, candidates, 10, travel.EBIKE, engine, k=3)
    # 9 and 9 tie: the first listed (1) wins, then 2, then 0 with 5.
    assert [(s.label, s.gain) for s in sites] == [("1", 9), ("2", 9), ("0", 5)]
    assert sites[-1].share_after == 1.0
    # No gain left: greedy stops before K.
    assert len(coverage.greedy_sites(hexes, candidates, 10, travel.EBIKE, engine, k=5)) == 3


def test_the_demand_file_parser_reports_every_bad_row():
    upload = SimpleUploadedFile("d.csv", b"lat,lng,count\n30,120,1\n,120,1\n30,120,x\n")
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        demand.parse_demand_file(upload)
    assert caught.value.field == "file"
    assert "Row 3" in str(caught.value.message) and "Row 4" in str(caught.value.message)


def test_a_gbk_csv_with_gcj02_coordinates_is_read():
    text = "备注,lat,lng,count\n仓前,30.2912,119.9944,3\n".replace("备注", "note")
    upload = SimpleUploadedFile("d.csv", ("名称\n" * 0 + text).encode("gb18030"))
    points = demand.parse_demand_file(upload, coord="gcj02")
    assert points[0]["count"] == 3
    assert abs(points[0]["lat"] - 30.2935) < 0.01


def test_an_empty_or_unreadable_file_is_refused():
    with pytest.raises(ValidationFailed):
        demand.parse_demand_file(SimpleUploadedFile("d.csv", b""))
    with pytest.raises(ValidationFailed):
        demand.parse_demand_file(io.BytesIO(b"PK\x03\x04 not really a zip"))
