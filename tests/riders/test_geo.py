"""Coordinates: GCJ-02 and BD-09 round trips stay under 0.5 m everywhere in mainland China,
points outside China are left alone, and the `coord` systems are parsed strictly."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangqun.core import geo
from dangqun.core.errors import ValidationFailed

# Mainland China's box as the conversion treats it (out_of_china is false inside).
china_lat = st.floats(min_value=18.2, max_value=53.5)
china_lng = st.floats(min_value=73.7, max_value=135.0)


@settings(max_examples=400, deadline=None)
@given(china_lat, china_lng)
def test_gcj02_round_trip_is_under_half_a_metre(lat, lng):
    g_lat, g_lng = geo.wgs84_to_gcj02(lat, lng)
    back_lat, back_lng = geo.gcj02_to_wgs84(g_lat, g_lng)
    assert geo.distance_m(lat, lng, back_lat, back_lng) < 0.5
    # The shift itself is real (tens to hundreds of metres), so the test is not vacuous.
    if not geo.out_of_china(lat, lng):
        assert geo.distance_m(lat, lng, g_lat, g_lng) > 1


@settings(max_examples=400, deadline=None)
@given(china_lat, china_lng)
def test_bd09_round_trip_is_under_half_a_metre(lat, lng):
    b_lat, b_lng = geo.wgs84_to_bd09(lat, lng)
    back_lat, back_lng = geo.bd09_to_wgs84(b_lat, b_lng)
    assert geo.distance_m(lat, lng, back_lat, back_lng) < 0.5


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(geo.SYSTEMS)), china_lat, china_lng)
def test_to_and_from_every_system_round_trip(system, lat, lng):
    shown = geo.from_wgs84(lat, lng, system)
    back = geo.to_wgs84(*shown, system)
    assert geo.distance_m(lat, lng, *back) < 0.5


outside = st.one_of(
    st.tuples(st.floats(-89, 89), st.floats(-179, 73.0)),  # west of China
    st.tuples(st.floats(-89, 3.0), st.floats(-179, 179)),  # south
    st.tuples(st.floats(54.0, 89), st.floats(-179, 179)),  # north
    st.tuples(st.floats(-89, 89), st.floats(135.5, 179)),  # east
)


@settings(max_examples=300, deadline=None)
@given(outside)
def test_points_outside_china_are_unchanged(point):
    lat, lng = point
    for system in geo.SYSTEMS:
        assert geo.from_wgs84(lat, lng, system) == (lat, lng)
        assert geo.to_wgs84(lat, lng, system) == (lat, lng)


def test_a_known_point_shifts_by_the_usual_amount():
    # Cangqian: GCJ-02 is a few hundred metres off WGS-84, BD-09 further.
    lat, lng = 30.2935, 119.9898
    gcj = geo.wgs84_to_gcj02(lat, lng)
    bd = geo.wgs84_to_bd09(lat, lng)
    assert 300 < geo.distance_m(lat, lng, *gcj) < 700
    assert geo.distance_m(*gcj, *bd) > 700


@pytest.mark.parametrize("value", ["", None, "wgs84", "WGS-84", "gcj02", "GCJ_02", "bd09"])
def test_systems_are_named_loosely_but_known(value):
    assert geo.parse_system(value) in geo.SYSTEMS


def test_an_unknown_system_is_refused_on_its_field():
    with pytest.raises(ValidationFailed) as caught:
        geo.parse_system("mercator", field="coord")
    assert caught.value.field == "coord"
