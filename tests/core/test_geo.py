"""core.geo: WGS-84 / GCJ-02 / BD-09 conversions, distances and coordinate input."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from dangqun.core import geo
from dangqun.core.errors import ValidationFailed

# Points inside mainland China, well within the box GCJ-02 applies to.
china_lat = st.floats(min_value=18.2, max_value=53.0, allow_nan=False)
china_lng = st.floats(min_value=74.0, max_value=134.5, allow_nan=False)
GRID = [
    (lat / 2, lng / 2)
    for lat in range(40, 106, 5)  # 20.0 .. 52.5 degrees north
    for lng in range(150, 268, 7)  # 75.0 .. 131.0 degrees east
]
TIANANMEN_WGS = (39.908823, 116.397470)
TIANANMEN_GCJ = (39.91023, 116.40372)
XIANLIN_CENTER = (30.262400, 119.972300)


def test_tiananmen_maps_to_the_published_gcj02_point():
    shifted = geo.wgs84_to_gcj02(*TIANANMEN_WGS)
    assert geo.distance_m(*shifted, *TIANANMEN_GCJ) < 10
    # The offset itself is several hundred metres: the conversion did something.
    assert 400 < geo.distance_m(*TIANANMEN_WGS, *shifted) < 700


def test_gcj02_round_trip_over_a_grid_of_china():
    assert len(GRID) > 200
    worst = 0.0
    for lat, lng in GRID:
        back = geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(lat, lng))
        worst = max(worst, geo.distance_m(lat, lng, *back))
    assert worst < 0.5


@given(china_lat, china_lng)
def test_gcj02_round_trip_anywhere_in_china(lat, lng):
    shifted = geo.wgs84_to_gcj02(lat, lng)
    back = geo.gcj02_to_wgs84(*shifted)
    assert geo.distance_m(lat, lng, *back) < 0.5
    assert geo.distance_m(lat, lng, *shifted) > 1  # GCJ-02 always moves a point in China


@given(china_lat, china_lng)
def test_bd09_round_trip_anywhere_in_china(lat, lng):
    back = geo.bd09_to_wgs84(*geo.wgs84_to_bd09(lat, lng))
    assert geo.distance_m(lat, lng, *back) < 0.5


def test_bd09_round_trip_from_gcj02_over_the_grid():
    for lat, lng in GRID:
        back = geo.bd09_to_gcj02(*geo.gcj02_to_bd09(lat, lng))
        assert geo.distance_m(lat, lng, *back) < 0.5


def test_bd09_is_gcj02_shifted_further():
    gcj = geo.wgs84_to_gcj02(*XIANLIN_CENTER)
    bd = geo.wgs84_to_bd09(*XIANLIN_CENTER)
    assert bd == geo.gcj02_to_bd09(*gcj)
    # Baidu's offset on top of GCJ-02 is roughly 1 km in Hangzhou.
    assert 500 < geo.distance_m(*gcj, *bd) < 1500


@pytest.mark.parametrize(
    "point",
    [
        (51.5074, -0.1278),  # London
        (40.7128, -74.0060),  # New York
        (-33.8688, 151.2093),  # Sydney
        (1.3521, 103.8198),  # Singapore: south of the box
        (35.6762, 139.6503),  # Tokyo: east of the box
        (0.0, 0.0),
    ],
)
def test_points_outside_china_are_unchanged(point):
    assert geo.wgs84_to_gcj02(*point) == point
    assert geo.gcj02_to_wgs84(*point) == point
    assert geo.wgs84_to_bd09(*point) == point
    assert geo.bd09_to_wgs84(*point) == point


@pytest.mark.parametrize(
    ("lat", "lng", "outside"),
    [
        (30.26, 119.97, False),
        (3.0, 110.0, True),
        (54.0, 110.0, True),
        (30.0, 73.0, True),
        (30.0, 136.0, True),
    ],
)
def test_out_of_china(lat, lng, outside):
    assert geo.out_of_china(lat, lng) is outside


def test_distance():
    assert geo.distance_m(*XIANLIN_CENTER, *XIANLIN_CENTER) == 0
    # One degree of latitude is about 111.2 km.
    assert geo.distance_m(30.0, 120.0, 31.0, 120.0) == pytest.approx(111_195, rel=1e-3)
    # Symmetric.
    a, b = (30.2624, 119.9723), (30.2900, 119.9400)
    assert geo.distance_m(*a, *b) == pytest.approx(geo.distance_m(*b, *a))
    # Hangzhou to Beijing, about 1,125 km.
    assert geo.distance_m(30.2741, 120.1551, 39.9042, 116.4074) == pytest.approx(
        1_125_000, rel=0.01
    )


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("30.2624", "latitude", Decimal("30.262400")),
        (" -90 ", "latitude", Decimal("-90.000000")),
        ("90", "latitude", Decimal("90.000000")),
        ("180", "longitude", Decimal("180.000000")),
        ("-180", "longitude", Decimal("-180.000000")),
        ("119.97230049", "longitude", Decimal("119.972300")),
        (119.5, "longitude", Decimal("119.500000")),
        (Decimal("30.1234567"), "latitude", Decimal("30.123457")),
    ],
)
def test_coordinates_are_parsed_to_six_decimals(value, kind, expected):
    parsed = geo.parse_coordinate(value, kind=kind, field=kind)
    assert parsed == expected
    assert parsed.as_tuple().exponent == -6


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("95", "latitude"),
        ("-90.000001", "latitude"),
        ("120", "latitude"),
        ("180.5", "longitude"),
        ("-181", "longitude"),
        ("abc", "latitude"),
        ("", "longitude"),
        (None, "latitude"),
        ("nan", "latitude"),
        ("inf", "longitude"),
        ("1e400", "longitude"),
        ("30,26", "latitude"),
    ],
)
def test_out_of_range_or_garbage_coordinates_are_refused(value, kind):
    with pytest.raises(ValidationFailed) as caught:
        geo.parse_coordinate(value, kind=kind, field=f"{kind}_input")
    assert caught.value.field == f"{kind}_input"
    with translation.override("en"):
        limit = "90" if kind == "latitude" else "180"
        assert f"between -{limit} and {limit}" in str(caught.value.message)


def test_the_amap_link_uses_gcj02_longitude_first():
    url = geo.amap_marker_url(Decimal("30.262400"), Decimal("119.972300"), "闲林街道党群服务中心")
    g_lat, g_lng = geo.wgs84_to_gcj02(*XIANLIN_CENTER)
    assert url.startswith(f"https://uri.amap.com/marker?position={g_lng:.6f},{g_lat:.6f}&name=")
    assert "%E9%97%B2%E6%9E%97" in url  # the name, percent-encoded
