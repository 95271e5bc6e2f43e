"""Travel engines: the straight-line estimate with its settings, and the OSRM engine asked
over a real socket (a small OSRM-like HTTP server started by the test), with the fallback
to the straight line when the router does not answer."""

import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import pytest

from dangqun.core import geo
from dangqun.riders import search, travel
from tests.local_http import serving
from tests.riders.helpers import CANGQIAN, east_of, station


class FakeOsrm(BaseHTTPRequestHandler):
    """Answers /table/v1/<profile>/<lng,lat;...>?sources=0 like OSRM: durations from the
    first point to the others, here twice the straight-line time at 5 m/s; a point east of
    119.995 is unroutable (null)."""

    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        FakeOsrm.requests.append(self.path)
        parts = urlsplit(self.path)
        _empty, _table, _v1, profile, coordinates = parts.path.split("/", 4)
        points = [tuple(map(float, p.split(","))) for p in coordinates.split(";")]
        query = parse_qs(parts.query)
        assert query["sources"] == ["0"]
        (o_lng, o_lat), targets = points[0], points[1:]
        row = [
            None if lng > 119.995 else 2 * geo.distance_m(o_lat, o_lng, lat, lng) / 5.0
            for lng, lat in targets
        ]
        body = json.dumps({"code": "Ok", "durations": [row], "profile": profile}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def osrm():
    FakeOsrm.requests = []
    with serving(FakeOsrm) as url:
        yield url


def test_straight_line_times_follow_the_settings(settings):
    settings.RIDERS_TRAVEL = {**settings.RIDERS_TRAVEL, "EBIKE_KMH": 18, "DETOUR": 1.2}
    engine = travel.StraightLineEngine()
    (seconds,) = engine.times(CANGQIAN, [east_of(CANGQIAN, 1000)], travel.EBIKE)
    assert seconds == pytest.approx(1000 * 1.2 / 5, rel=0.01)
    assert engine.max_radius_m(travel.EBIKE, 600) == pytest.approx(600 * 5 / 1.2)


def test_osrm_engine_asks_the_table_service_over_http(osrm, settings):
    settings.RIDERS_TRAVEL = {**settings.RIDERS_TRAVEL, "ENGINE": "osrm", "OSRM_URL": osrm}
    engine = travel.engine()
    near, unroutable = east_of(CANGQIAN, 400), (CANGQIAN[0], 119.999)
    times = engine.times(CANGQIAN, [near, unroutable], travel.WALK)
    assert times[0] == pytest.approx(2 * 400 / 5, rel=0.01)
    assert times[1] is None
    assert engine.name == "osrm"
    assert FakeOsrm.requests[0].startswith("/table/v1/foot/119.989800,30.293500;")


@pytest.mark.django_db
def test_reach_search_through_osrm(osrm, settings, district):
    settings.RIDERS_TRAVEL = {**settings.RIDERS_TRAVEL, "ENGINE": "osrm", "OSRM_URL": osrm}
    a = station(district.cangqian, lat=CANGQIAN[0], lng=east_of(CANGQIAN, 300)[1], name="a")
    b = station(district.cangqian, lat=CANGQIAN[0], lng=east_of(CANGQIAN, 100)[1], name="b")
    cut_off = station(district.cangqian, lat=CANGQIAN[0], lng=119.999, name="c")
    query = search.make_query(lat=CANGQIAN[0], lng=CANGQIAN[1], minutes=5, mode="ebike")
    hits = search.reach(query)
    assert [h.station_id for h in hits] == [b.pk, a.pk]
    assert cut_off.pk not in {h.station_id for h in hits}
    assert len(FakeOsrm.requests) == 1  # one table request for all candidates


def test_a_silent_router_falls_back_to_the_straight_line(settings):
    settings.RIDERS_TRAVEL = {
        **settings.RIDERS_TRAVEL,
        "ENGINE": "osrm",
        "OSRM_URL": "http://127.0.0.1:9",  # discard port: nothing answers
        "HTTP_TIMEOUT": 1,
    }
    engine = travel.engine()
    (seconds,) = engine.times(CANGQIAN, [east_of(CANGQIAN, 1000)], travel.EBIKE)
    assert engine.name == "straight_line"
    assert seconds == pytest.approx(1000 * settings.RIDERS_TRAVEL["DETOUR"] / (25 / 3.6), rel=0.01)
