"""The H3 spatial index of stations. A station stores its cell at a few resolutions; a reach
query covers the reachable circle with the cells of one resolution (the finest that needs
few cells) and reads only the stations of those cells (search.py)."""

import functools
import math

import h3
from h3.api import basic_int

from dangqun.core import geo

RESOLUTIONS = (5, 6, 7, 8, 9)
# A query uses the finest resolution whose grid disk around the origin's cell covers the
# reachable circle within MAX_RINGS rings (at most 37 cells: as many index lookups). Only a
# reach beyond the coarsest resolution's three rings takes more rings, then trimmed to the
# cells that can hold a point within reach.
MAX_RINGS = 3
MAX_CELLS = 37  # 1 + 3 * MAX_RINGS * (MAX_RINGS + 1)
# Share of the regular grid's reach relied on: H3 hexagons are not all the same size; the
# spacing is measured at the origin, this margin covers the change across a few rings.
_MARGIN = 0.8
_HALF_SQRT3 = math.sqrt(3) / 2


def cells_of(lat: float, lng: float) -> dict[int, str]:
    return {r: h3.latlng_to_cell(lat, lng, r) for r in RESOLUTIONS}


@functools.cache
def _edge_m(resolution: int) -> float:
    return h3.average_hexagon_edge_length(resolution, unit="m")


@functools.cache
def _buffer_m(resolution: int) -> float:
    """More than the largest distance between a point and the centre of its cell at this
    resolution: twice the average edge (hexagons vary by well under that; the test checks)."""
    return 2.0 * _edge_m(resolution)


def _disk_reach(spacing_m: float, rings: int) -> float:
    """How far from its centre cell's centre a disk of `rings` rings surely reaches, on a
    regular grid whose neighbouring centres are spacing_m apart: the ring's cells' centres
    are at least rings * spacing * sqrt(3)/2 away, and their union extends half an edge
    (spacing / (2 sqrt 3)) beyond; less the margin."""
    return _MARGIN * spacing_m * (rings * _HALF_SQRT3 + 0.5 / math.sqrt(3))


@functools.cache
def _largest_radius_m() -> list[tuple[int, float]]:
    """(resolution, the largest radius for which resolution_for takes it), finest first."""
    return [
        (r, _disk_reach(math.sqrt(3) * _edge_m(r), MAX_RINGS) - _edge_m(r))
        for r in sorted(RESOLUTIONS, reverse=True)
    ]


def resolution_for(radius_m: float) -> int:
    """The finest resolution at which MAX_RINGS rings most likely cover radius_m from a
    point anywhere in its cell (spacing about sqrt(3) edges; the point up to an edge off the
    centre). covering() then counts the rings it really needs."""
    for resolution, largest in _largest_radius_m():
        if radius_m <= largest:
            return resolution
    return min(RESOLUTIONS)


def _destination(lat: float, lng: float, bearing: float, distance_m: float) -> tuple[float, float]:
    """The point distance_m from (lat, lng) along the bearing (radians), on the sphere."""
    delta = distance_m / geo.EARTH_RADIUS_M
    phi1, lam1 = math.radians(lat), math.radians(lng)
    phi2 = math.asin(
        math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(bearing)
    )
    lam2 = lam1 + math.atan2(
        math.sin(bearing) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * math.sin(phi2),
    )
    return math.degrees(phi2), math.degrees(lam2)


def _flat_m(lat: float, lng: float, other: tuple[float, float], squeeze: float) -> float:
    """Distance in metres between two points a few cells apart, equirectangular (its error
    over such distances is far below the margins here)."""
    d_lng = (other[1] - lng + 180.0) % 360.0 - 180.0
    d_lat = other[0] - lat
    return math.sqrt(d_lat * d_lat + d_lng * d_lng * squeeze) * geo.METRES_PER_DEGREE


@functools.lru_cache(maxsize=16384)
def _spacing_m(origin: int) -> float:
    """The distance from the cell's centre to its nearest neighbour's centre."""
    centre = basic_int.cell_to_latlng(origin)
    squeeze = math.cos(math.radians(centre[0])) ** 2
    return min(
        _flat_m(centre[0], centre[1], basic_int.cell_to_latlng(n), squeeze)
        for n in basic_int.grid_ring(origin, 1)
    )


@functools.lru_cache(maxsize=16384)
def _disk(origin: int, rings: int) -> tuple[str, ...]:
    """The cells of the grid disk as the index stores them (hex strings), sorted."""
    return tuple(format(cell, "x") for cell in sorted(basic_int.grid_disk(origin, rings)))


def covering(lat: float, lng: float, radius_m: float) -> tuple[int, list[str]]:
    """(resolution, cells) such that every point within radius_m of (lat, lng) lies in one of
    the cells: the grid disk around the origin's cell of as many rings as reach past the
    circle (_disk_reach, from the spacing of the origin cell's own neighbours and the
    origin's distance from its cell's centre). Usually one to three rings (resolution_for);
    a disk of more rings is trimmed to the cells whose centre is within radius plus the
    largest point-to-centre distance. Riders ask from the same places again and again: the
    spacing and the disks of recent origin cells are kept (a few MB at most)."""
    resolution = resolution_for(radius_m)
    origin = basic_int.latlng_to_cell(lat, lng, resolution)
    centre = basic_int.cell_to_latlng(origin)
    squeeze = math.cos(math.radians(lat)) ** 2
    spacing = _spacing_m(origin)
    # 1 % more for the flat distance's own error over these few kilometres.
    needed = radius_m + 1.01 * _flat_m(lat, lng, centre, squeeze)
    per_ring = _MARGIN * spacing * _HALF_SQRT3
    rings = max(0, math.ceil((needed - _disk_reach(spacing, 0)) / per_ring))
    while _disk_reach(spacing, rings) < needed:  # rounding
        rings += 1
    if rings <= MAX_RINGS:
        return resolution, list(_disk(origin, rings))
    # Near enough to the origin for a flat (equirectangular) distance: its error over
    # tens of kilometres is well under the 3 % margin, so no cell within reach is dropped.
    limit = ((radius_m + _buffer_m(resolution)) * 1.03 / geo.METRES_PER_DEGREE) ** 2
    kept = []
    for cell in basic_int.grid_disk(origin, rings):
        c_lat, c_lng = basic_int.cell_to_latlng(cell)
        d_lng = (c_lng - lng + 180.0) % 360.0 - 180.0
        if (c_lat - lat) ** 2 + d_lng * d_lng * squeeze <= limit:
            kept.append(cell)
    # The integer API: no string per cell inside h3; the hex strings are made once here.
    return resolution, [format(cell, "x") for cell in sorted(kept)]


WORK_AREA_RESOLUTION = 8  # about 0.74 km² a cell: an area, not a spot


def work_area_cell(lat: float, lng: float) -> str:
    return h3.latlng_to_cell(lat, lng, WORK_AREA_RESOLUTION)


def center_of(cell: str) -> tuple[float, float]:
    return h3.cell_to_latlng(cell)
