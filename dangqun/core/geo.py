"""Coordinates. Stored WGS-84; Chinese map providers use GCJ-02 (Amap, Tencent) or BD-09
(Baidu), so conversion happens here, at the edges, and nowhere else. The forward GCJ-02
formula is the published one; the inverse is iterative (error well under 0.5 m)."""

import math
from decimal import Decimal, InvalidOperation
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .errors import ValidationFailed

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as GCJ-02 uses
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0


def parse_coordinate(value, *, kind: str, field: str) -> Decimal:
    """Validate one coordinate (kind 'latitude' or 'longitude'); six decimals is ~0.1 m."""
    limit = 90 if kind == "latitude" else 180
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or abs(number) > limit:
        message = (
            _("Latitude must be a number between -90 and 90.")
            if kind == "latitude"
            else _("Longitude must be a number between -180 and 180.")
        )
        raise ValidationFailed(message, field=field)
    return number.quantize(Decimal("0.000001"))


SHANGHAI = ZoneInfo("Asia/Shanghai")


class Area(NamedTuple):
    """A box of WGS-84 degrees: latitudes south..north, longitudes west..east."""

    south: float
    west: float
    north: float
    east: float

    def holds(self, lat, lng) -> bool:
        try:
            lat, lng = float(lat), float(lng)
        except (TypeError, ValueError):
            return False
        return self.south <= lat <= self.north and self.west <= lng <= self.east


# Mainland China, Hainan, Taiwan and the South China Sea islands, with a margin: the
# places a district's center, station or rider can be.
CHINA = Area(south=3.8, west=73.5, north=53.6, east=135.1)


def district_area() -> Area:
    """The district's configured area (settings.DISTRICT_AREA) or, without one, China."""
    configured = getattr(settings, "DISTRICT_AREA", None)
    return Area(*configured) if configured else CHINA


def outside_area_message(area: Area | None = None):
    area = area or district_area()
    if area == CHINA:
        return (
            _(
                "This place is outside China: latitude must be from %(south)s to %(north)s, "
                "longitude from %(west)s to %(east)s."
            )
            % area._asdict()
        )
    return (
        _(
            "This place is outside the district's area: latitude must be from %(south)s to "
            "%(north)s, longitude from %(west)s to %(east)s."
        )
        % area._asdict()
    )


def check_in_area(lat, lng, *, field: str, lng_field: str | None = None) -> None:
    """Refuse a place outside the district's area (or China's box), naming the field: the
    latitude's (`field`) when it is out, else the longitude's (`lng_field`, or `field`)."""
    area = district_area()
    if area.holds(lat, lng):
        return
    lat_inside = area.holds(lat, (area.west + area.east) / 2)
    named = (lng_field or field) if lat_inside else field
    raise ValidationFailed(outside_area_message(area), field=named)


def out_of_china(lat: float, lng: float) -> bool:
    return not (73.66 < lng < 135.05 and 3.86 < lat < 53.55)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    if out_of_china(lat, lng):
        return lat, lng
    dlat = _transform_lat(lng - 105.0, lat - 35.0)
    dlng = _transform_lng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lat + dlat, lng + dlng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """Invert by fixed-point iteration: guess, shift forward, correct by the difference."""
    if out_of_china(lat, lng):
        return lat, lng
    guess_lat, guess_lng = lat, lng
    for _step in range(30):
        fwd_lat, fwd_lng = wgs84_to_gcj02(guess_lat, guess_lng)
        d_lat, d_lng = fwd_lat - lat, fwd_lng - lng
        guess_lat, guess_lng = guess_lat - d_lat, guess_lng - d_lng
        if abs(d_lat) < 1e-10 and abs(d_lng) < 1e-10:
            break
    return guess_lat, guess_lng


def gcj02_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def bd09_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.sin(theta), z * math.cos(theta)


def wgs84_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    if out_of_china(lat, lng):
        return lat, lng
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lng))


def bd09_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    if out_of_china(lat, lng):
        return lat, lng
    return gcj02_to_wgs84(*bd09_to_gcj02(lat, lng))


EARTH_RADIUS_M = 6371008.8  # the mean radius (IUGG)
METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    r = EARTH_RADIUS_M
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def amap_marker_url(lat: float, lng: float, name: str) -> str:
    """A link that opens Amap at the place; Amap wants GCJ-02, longitude first."""
    from urllib.parse import quote

    g_lat, g_lng = wgs84_to_gcj02(float(lat), float(lng))
    return f"https://uri.amap.com/marker?position={g_lng:.6f},{g_lat:.6f}&name={quote(name)}"


# The coordinate systems accepted at the edges ("coord" parameters) and shown on request.
WGS84, GCJ02, BD09 = "wgs84", "gcj02", "bd09"
# Shown to people by where the numbers come from, not by the systems' names.
SYSTEMS = {
    WGS84: _("GPS (a phone's position)"),
    GCJ02: _("Amap · Tencent"),
    BD09: _("Baidu"),
}
_TO_WGS84 = {WGS84: lambda lat, lng: (lat, lng), GCJ02: gcj02_to_wgs84, BD09: bd09_to_wgs84}
_FROM_WGS84 = {WGS84: lambda lat, lng: (lat, lng), GCJ02: wgs84_to_gcj02, BD09: wgs84_to_bd09}


def parse_system(value, *, field: str = "coord") -> str:
    """A coordinate system code; empty means WGS-84, anything unknown is refused."""
    system = str(value or WGS84).strip().lower().replace("-", "").replace("_", "")
    if system not in SYSTEMS:
        raise ValidationFailed(
            _("Unknown coordinate system. Use one of: %(systems)s.")
            % {"systems": ", ".join(SYSTEMS)},
            field=field,
        )
    return system


def to_wgs84(lat: float, lng: float, system: str) -> tuple[float, float]:
    return _TO_WGS84[system](float(lat), float(lng))


def from_wgs84(lat: float, lng: float, system: str) -> tuple[float, float]:
    return _FROM_WGS84[system](float(lat), float(lng))


# The map tiles the pages draw on. Tiles in GCJ-02 (Amap, Tencent) are shifted from GPS by up
# to ~500 m in China: the maps convert every marker to the tiles' system and every tap back
# (static/core/map.js ports the two functions above), so the stored values stay WGS-84.
TILE_SYSTEMS = (WGS84, GCJ02)


def map_tiles() -> dict:
    """The configured tile source, for the pages' maps (settings DANGQUN_MAP_TILES_*)."""
    system = str(getattr(settings, "MAP_TILES_CRS", WGS84) or WGS84).strip().lower()
    system = system.replace("-", "").replace("_", "")
    if system not in TILE_SYSTEMS:
        raise ValueError(f"DANGQUN_MAP_TILES_CRS must be one of {', '.join(TILE_SYSTEMS)}")
    return {
        "url": settings.MAP_TILES_URL,
        "crs": system,
        "subdomains": getattr(settings, "MAP_TILES_SUBDOMAINS", "abc") or "abc",
        "attribution": settings.MAP_TILES_ATTRIBUTION,
    }


def map_config() -> dict:
    """What static/core/map.js needs: the tiles, and Leaflet's own words translated."""
    return {
        "tiles": map_tiles(),
        "text": {
            "zoom_in": _("Zoom in"),
            "zoom_out": _("Zoom out"),
            "leaflet_title": _("A JavaScript library for interactive maps"),
            "tiles_failed": _(
                "The map pictures could not be loaded; everything is also in the list."
            ),
            "tiles_failed_form": _(
                "The map pictures could not be loaded; you can still tap the map, use your "
                "position, or fill in the fields below."
            ),
            "map": _("Map"),
            "chosen": _("Point chosen: %(lat)s, %(lng)s"),
            "locating": _("Finding your position…"),
            "no_position": _("Your position could not be found. Tap the map instead."),
        },
    }
