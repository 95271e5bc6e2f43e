"""Reach search: the H3 index finds exactly what a scan of every station finds, in the same
order; filters (amenity, open now, minutes, mode) and the coverage of the H3 cells."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import h3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangqun.core import geo
from dangqun.core.errors import ValidationFailed
from dangqun.riders import amenities, cells, search, travel
from dangqun.riders.models import Station
from tests.riders.helpers import CANGQIAN, east_of, station

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@settings(max_examples=200, deadline=None)
@given(
    st.floats(18.5, 53),
    st.floats(74, 134.5),
    st.floats(20, 60_000),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_every_point_within_the_radius_lies_in_a_covering_cell(lat, lng, radius, f, bearing):
    resolution, found = cells.covering(lat, lng, radius)
    target = cells._destination(lat, lng, bearing * 6.283185, radius * f)
    assert h3.latlng_to_cell(*target, resolution) in set(found)


def test_the_covering_picks_a_coarser_grid_for_a_longer_reach():
    fine, few = cells.covering(*CANGQIAN, 500)
    coarse, _cells = cells.covering(*CANGQIAN, 15_000)
    assert fine > coarse
    assert len(few) <= cells.MAX_CELLS * 2


def test_saving_a_station_fills_its_cells_and_amenity_mask(district):
    made = station(district.cangqian, lat=CANGQIAN[0], lng=CANGQIAN[1], amenities=["water", "rest"])
    assert made.h3_r9 == h3.latlng_to_cell(*CANGQIAN, 9)
    assert made.h3_r5 == h3.latlng_to_cell(*CANGQIAN, 5)
    assert made.amenity_mask == amenities.BITS["rest"] | amenities.BITS["water"]


def test_nearer_stations_come_first_and_far_ones_are_left_out(district):
    near = station(district.cangqian, lat=east_of(CANGQIAN, 500)[0], lng=east_of(CANGQIAN, 500)[1])
    nearer = station(district.cangqian, lat=CANGQIAN[0], lng=east_of(CANGQIAN, 100)[1])
    far = station(district.cangqian, lat=CANGQIAN[0], lng=east_of(CANGQIAN, 9000)[1])
    query = search.make_query(lat=CANGQIAN[0], lng=CANGQIAN[1], minutes=10, mode="ebike")
    hits = search.reach(query, travel.StraightLineEngine(detour=1.35))
    assert [h.station_id for h in hits] == [nearer.pk, near.pk]
    assert far.pk not in {h.station_id for h in hits}
    # 500 m at 25 km/h with the detour 1.35: 97 s.
    assert hits[1].seconds == pytest.approx(500 * 1.35 / (25 / 3.6), rel=0.01)


def test_on_foot_reaches_less_than_by_e_bike(district):
    lat, lng = east_of(CANGQIAN, 2000)
    station(district.cangqian, lat=lat, lng=lng)
    by_bike = search.make_query(lat=CANGQIAN[0], lng=CANGQIAN[1], minutes=10, mode="ebike")
    on_foot = search.make_query(lat=CANGQIAN[0], lng=CANGQIAN[1], minutes=10, mode="walk")
    assert len(search.reach(by_bike)) == 1
    assert search.reach(on_foot) == []


def test_amenity_and_open_now_filters(district):
    lat, lng = east_of(CANGQIAN, 300)
    water = station(district.cangqian, lat=lat, lng=lng, amenities=["water"])
    swap = station(district.cangqian, lat=lat, lng=lng, amenities=["battery_swap", "water"])
    daytime = station(
        district.cangqian, lat=lat, lng=lng, amenities=["battery_swap"], week=["08:00-18:00"] * 7
    )
    station(district.cangqian, lat=lat, lng=lng, amenities=["battery_swap"], is_open=False)
    night = datetime(2026, 6, 1, 23, 0, tzinfo=SHANGHAI)
    base = {"lat": CANGQIAN[0], "lng": CANGQIAN[1], "minutes": 5}
    swap_query = search.make_query(**base, amenities=["battery_swap"])
    assert {h.station_id for h in search.reach(swap_query)} == {swap.pk, daytime.pk}
    open_query = search.Query(
        *CANGQIAN, 5, amenities=("battery_swap",), open_now=True, moment=night
    )
    assert [h.station_id for h in search.reach(open_query)] == [swap.pk]
    assert water.pk in {h.station_id for h in search.reach(search.make_query(**base))}


def test_the_index_agrees_with_a_scan_of_every_station(district):
    rng = random.Random(7)
    lat0, lng0 = CANGQIAN
    for number in range(400):
        station(
            district.cangqian,
            lat=lat0 + rng.uniform(-0.25, 0.25),
            lng=lng0 + rng.uniform(-0.25, 0.25),
            name=f"s{number}",
            amenities=rng.sample(amenities.CODES, 3),
            week=["24h"] * 7 if rng.random() < 0.5 else ["07:00-20:00"] * 7,
            is_open=rng.random() < 0.9,
        )
    every = search.station_rows()
    assert len(every) == 400
    engine = travel.StraightLineEngine()
    moment = datetime(2026, 6, 1, 21, 0, tzinfo=SHANGHAI)
    compared = found = 0
    for _ in range(150):
        query = search.Query(
            lat0 + rng.uniform(-0.25, 0.25),
            lng0 + rng.uniform(-0.25, 0.25),
            rng.randint(1, 60),
            rng.choice(list(travel.MODES)),
            tuple(rng.sample(amenities.CODES, 1)) if rng.random() < 0.3 else (),
            rng.random() < 0.3,
            moment,
        )
        indexed = search.reach(query, engine)
        assert indexed == search.brute_force(query, every, engine)
        compared += 1
        found += len(indexed)
    assert compared == 150 and found > 500  # not vacuous: many stations found


def test_the_index_reads_only_nearby_stations(district, django_assert_num_queries):
    station(district.cangqian, lat=CANGQIAN[0], lng=CANGQIAN[1])
    for number in range(30):  # far away, in Beijing
        station(district.cangqian, lat=39.9 + number * 0.001, lng=116.4, name=f"b{number}")
    query = search.make_query(lat=CANGQIAN[0], lng=CANGQIAN[1], minutes=10)
    with django_assert_num_queries(1):
        rows = search.candidate_rows(query)
    assert len(rows) == 1


def test_input_in_gcj02_is_converted_before_searching(district):
    made = station(district.cangqian, lat=CANGQIAN[0], lng=CANGQIAN[1])
    g_lat, g_lng = geo.wgs84_to_gcj02(*CANGQIAN)
    query = search.make_query(lat=g_lat, lng=g_lng, minutes=1, mode="walk", coord="gcj02")
    assert query.lat == pytest.approx(CANGQIAN[0], abs=1e-5)
    assert [h.station_id for h in search.reach(query)] == [made.pk]
    # The same numbers read as WGS-84 are ~500 m off: nothing within one minute on foot.
    wrong = search.make_query(lat=g_lat, lng=g_lng, minutes=1, mode="walk")
    assert search.reach(wrong) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lat": "91"}, "lat"),
        ({"lat": "abc"}, "lat"),
        ({"lng": "-181"}, "lng"),
        ({"minutes": "0"}, "minutes"),
        ({"minutes": "61"}, "minutes"),
        ({"minutes": "ten"}, "minutes"),
        ({"mode": "car"}, "mode"),
        ({"amenities": ["sauna"]}, "amenities"),
        ({"coord": "mercator"}, "coord"),
    ],
)
def test_bad_queries_name_their_field(changes, field):
    params = {"lat": "30.29", "lng": "119.98", "minutes": "10", "mode": "ebike", **changes}
    with pytest.raises(ValidationFailed) as caught:
        search.make_query(**params)
    assert caught.value.field == field


def test_station_count_is_unchanged_by_searching(district):
    station(district.cangqian, lat=CANGQIAN[0], lng=CANGQIAN[1])
    search.reach(search.make_query(lat=CANGQIAN[0], lng=CANGQIAN[1], minutes=10))
    assert Station.objects.count() == 1
