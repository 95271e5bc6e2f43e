"""Reach search: the stations one can reach within N minutes from a point, fastest first.

Candidates come from the H3 index (the stations whose cell covers the reachable circle,
one indexed query), then every candidate gets the same exact treatment as a brute-force
scan would give it (rank): still in service, has the amenities, open now if asked, within
the straight-line bound (a dot product on the unit sphere), and finally the travel engine's
time within the limit. Ties in time are ordered by station id, so the order is total."""

import json
import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext_lazy as _

from dangqun.core import geo, hours
from dangqun.core.errors import ValidationFailed

from . import amenities as amenity_vocabulary
from . import cells, travel
from .models import Station

MIN_MINUTES = 1

# What one candidate is, both for the index path and the brute-force scan:
# (id, lat, lng, amenity_mask, opening_hours, is_open)
ROW_FIELDS = ("id", "latitude", "longitude", "amenity_mask", "opening_hours", "is_open")


@dataclass(frozen=True)
class Query:
    lat: float  # WGS-84
    lng: float
    minutes: int
    mode: str = travel.EBIKE
    amenities: tuple[str, ...] = ()
    open_now: bool = False
    moment: datetime | None = None

    @property
    def seconds(self) -> float:
        return self.minutes * 60.0

    @property
    def mask(self) -> int:
        return amenity_vocabulary.mask_of(self.amenities)


@dataclass(frozen=True)
class Hit:
    station_id: int
    seconds: float
    distance_m: float


def max_minutes() -> int:
    return int(settings.RIDERS_TRAVEL["MAX_MINUTES"])


def make_query(
    *, lat, lng, minutes, mode=travel.EBIKE, amenities=(), open_now=False, coord="wgs84"
) -> Query:
    """Validate a reach query from outside; every refusal names its field."""
    system = geo.parse_system(coord, field="coord")
    lat_value = float(geo.parse_coordinate(lat, kind="latitude", field="lat"))
    lng_value = float(geo.parse_coordinate(lng, kind="longitude", field="lng"))
    try:
        minutes_value = int(str(minutes).strip())
    except (TypeError, ValueError):
        minutes_value = None
    if minutes_value is None or not MIN_MINUTES <= minutes_value <= max_minutes():
        raise ValidationFailed(
            _("Minutes must be a whole number from %(low)s to %(high)s.")
            % {"low": MIN_MINUTES, "high": max_minutes()},
            field="minutes",
        )
    if mode not in travel.MODES:
        raise ValidationFailed(
            _("Unknown way of travel. Use one of: %(modes)s.") % {"modes": ", ".join(travel.MODES)},
            field="mode",
        )
    codes = tuple(amenity_vocabulary.normalize(amenities, field="amenities"))
    wgs_lat, wgs_lng = geo.to_wgs84(lat_value, lng_value, system)
    return Query(wgs_lat, wgs_lng, minutes_value, mode, codes, bool(open_now))


def as_row(values) -> tuple:
    """A database row as the search's candidate tuple, with its unit vector appended."""
    pk, lat, lng, mask, week, is_open = values
    lat, lng = float(lat), float(lng)
    return (pk, lat, lng, mask, week, bool(is_open), *travel.unit_vector(lat, lng))


def _week(value) -> list[str]:
    # Read raw, SQLite gives the JSON text and PostgreSQL the list.
    return json.loads(value) if isinstance(value, str) else value


def station_rows(where: str = "", params: tuple = ()) -> list[tuple]:
    """Candidate tuples straight from the stations table. One plain query: the ORM's
    per-value handling of a long IN list would cost more than the search itself. Both
    the indexed search and the brute-force scan read rows through here, so their numbers
    are converted alike."""
    table = connection.ops.quote_name(Station._meta.db_table)
    sql = f"SELECT {', '.join(ROW_FIELDS)} FROM {table}"
    if where:
        sql += f" WHERE {where}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [as_row(values) for values in cursor.fetchall()]


def rank(query: Query, rows, engine=None) -> list[Hit]:
    """The exact part, the same for indexed candidates and for a scan of all stations."""
    engine = engine or travel.engine()
    want = query.mask
    ox, oy, oz = travel.unit_vector(query.lat, query.lng)
    threshold = travel.chord_threshold(engine.max_radius_m(query.mode, query.seconds))
    near = [
        row
        for row in rows
        if row[5] and row[3] & want == want and row[6] * ox + row[7] * oy + row[8] * oz >= threshold
    ]
    if query.open_now:
        near = [row for row in near if hours.is_open_at(_week(row[4]), query.moment)]
    times = engine.times((query.lat, query.lng), [(row[1], row[2]) for row in near], query.mode)
    hits = [
        Hit(row[0], seconds, geo.distance_m(query.lat, query.lng, row[1], row[2]))
        for row, seconds in zip(near, times, strict=True)
        if seconds is not None and seconds <= query.seconds
    ]
    hits.sort(key=lambda hit: (hit.seconds, hit.station_id))
    return hits


def _box(lat: float, lng: float, radius_m: float) -> tuple[str, list]:
    """A latitude/longitude box around the circle, a little larger (1 %, and a metre): the
    database drops most of the cells' stations outside the circle before any reaches Python.
    No longitude bound near a pole or across the antimeridian."""
    span = radius_m * 1.01 / travel.METRES_PER_DEGREE + 1e-5
    where, params = " AND latitude >= %s AND latitude <= %s", [lat - span, lat + span]
    edge = abs(lat) + span
    if edge < 89.0:
        wide = span / math.cos(math.radians(edge))
        if lng - wide > -180.0 and lng + wide < 180.0:
            where += " AND longitude >= %s AND longitude <= %s"
            params += [lng - wide, lng + wide]
    return where, params


def candidate_rows(query: Query, engine=None) -> list[tuple]:
    """The stations in the H3 cells covering the reachable circle and in the box around it:
    one indexed query (one IN list on the chosen resolution's column)."""
    engine = engine or travel.engine()
    radius = engine.max_radius_m(query.mode, query.seconds)
    resolution, found = cells.covering(query.lat, query.lng, radius)
    if resolution not in cells.RESOLUTIONS:  # pragma: no cover - a column per resolution
        raise ValueError(resolution)
    where = f"h3_r{resolution} IN ({', '.join(['%s'] * len(found))}) AND is_open = %s"
    params: list = [*found, True]
    box, box_params = _box(query.lat, query.lng, radius)
    where += box
    params += box_params
    if query.mask:
        where += " AND (amenity_mask & %s) = %s"
        params += [query.mask, query.mask]
    return station_rows(where, tuple(params))


def reach(query: Query, engine=None) -> list[Hit]:
    engine = engine or travel.engine()
    return rank(query, candidate_rows(query, engine), engine)


def brute_force(query: Query, all_rows, engine=None) -> list[Hit]:
    """Every station examined: what the index must agree with (bench, tests)."""
    return rank(query, all_rows, engine)


# How far the nearest station is, when nothing is within reach: rings of growing radius
# through the same index, then (rarely: nothing within 80 km) every station.
NEAREST_RADII_M = (5_000, 20_000, 80_000)


@dataclass(frozen=True)
class Nearest:
    station_id: int
    distance_m: float
    seconds: float | None  # by the engine, None when it finds no way


def _closest(query: Query, rows) -> tuple | None:
    wanted = [row for row in rows if row[5] and row[3] & query.mask == query.mask]
    if not wanted:
        return None
    return min(
        wanted, key=lambda row: (geo.distance_m(query.lat, query.lng, row[1], row[2]), row[0])
    )


def nearest(query: Query, engine=None) -> Nearest | None:
    """The station in service (with the amenities asked for; open now or not) nearest to
    the query's point in a straight line, and the engine's time to it; None if none."""
    engine = engine or travel.engine()
    found = None
    for radius in NEAREST_RADII_M:
        resolution, cells_found = cells.covering(query.lat, query.lng, radius)
        where = f"h3_r{resolution} IN ({', '.join(['%s'] * len(cells_found))}) AND is_open = %s"
        row = _closest(query, station_rows(where, (*cells_found, True)))
        if row is not None and geo.distance_m(query.lat, query.lng, row[1], row[2]) <= radius:
            found = row
            break
    if found is None:
        found = _closest(query, station_rows("is_open = %s", (True,)))
    if found is None:
        return None
    (seconds,) = engine.times((query.lat, query.lng), [(found[1], found[2])], query.mode)
    return Nearest(found[0], geo.distance_m(query.lat, query.lng, found[1], found[2]), seconds)
