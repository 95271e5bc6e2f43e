"""The H3 spatial index of stations. A station stores its cell at a few resolutions; a reach
query covers the reachable circle with the cells of one resolution (the finest that needs
few cells) and reads only the stations of those cells (search.py)."""

import functools
import math

import h3
from h3.api import basic_int

RESOLUTIONS = (5, 6, 7, 8, 9)
# A query uses the finest resolution whose covering has at most this many cells.
MAX_CELLS = 60
_EARTH_RADIUS_M = 6371008.8
_HALF_SQRT3 = math.sqrt(3) / 2
_METRES_PER_DEGREE = _EARTH_RADIUS_M * math.pi / 180


def cells_of(lat: float, lng: float) -> dict[int, str]:
    return {r: h3.latlng_to_cell(lat, lng, r) for r in RESOLUTIONS}


@functools.cache
def _buffer_m(resolution: int) -> float:
    """More than the largest distance between a point and the centre of its cell at this
    resolution: twice the average edge (hexagons vary by well under that; the test checks)."""
    return 2.0 * h3.average_hexagon_edge_length(resolution, unit="m")


@functools.cache
def _average_area_m2(resolution: int) -> float:
    return h3.average_hexagon_area(resolution, unit="m^2")


def _estimated_cells(radius_m: float, resolution: int) -> float:
    area_m2 = _average_area_m2(resolution)
    return math.pi * (radius_m + _buffer_m(resolution)) ** 2 / area_m2


def resolution_for(radius_m: float) -> int:
    for resolution in sorted(RESOLUTIONS, reverse=True):
        if _estimated_cells(radius_m, resolution) <= MAX_CELLS:
            return resolution
    return min(RESOLUTIONS)


def _destination(lat: float, lng: float, bearing: float, distance_m: float) -> tuple[float, float]:
    """The point distance_m from (lat, lng) along the bearing (radians), on the sphere."""
    delta = distance_m / _EARTH_RADIUS_M
    phi1, lam1 = math.radians(lat), math.radians(lng)
    phi2 = math.asin(
        math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(bearing)
    )
    lam2 = lam1 + math.atan2(
        math.sin(bearing) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * math.sin(phi2),
    )
    return math.degrees(phi2), math.degrees(lam2)


def _unit(lat: float, lng: float) -> tuple[float, float, float]:
    phi, lam = math.radians(lat), math.radians(lng)
    return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))


def _distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    ax, ay, az = _unit(*a)
    bx, by, bz = _unit(*b)
    chord = math.sqrt((ax - bx) ** 2 + (ay - by) ** 2 + (az - bz) ** 2)
    return 2 * _EARTH_RADIUS_M * math.asin(min(1.0, chord / 2))


def covering(lat: float, lng: float, radius_m: float) -> tuple[int, list[str]]:
    """(resolution, cells) such that every point within radius_m of (lat, lng) lies in one of
    the cells. Such a point's cell has its centre within reach = radius + buffer of the
    origin. A grid disk around the origin's cell holds every cell whose centre is that near:
    neighbouring centres are at least `spacing` apart here (measured on the origin's own
    neighbours, less 20 % for the grid's distortion), and a disk of k rings reaches at least
    k * spacing * sqrt(3)/2 from its centre. Of the disk, the cells whose centre is within
    reach are kept."""
    resolution = resolution_for(radius_m)
    reach = radius_m + _buffer_m(resolution)
    origin = basic_int.latlng_to_cell(lat, lng, resolution)
    centre = basic_int.cell_to_latlng(origin)
    spacing = min(
        _distance_m(centre, basic_int.cell_to_latlng(n)) for n in basic_int.grid_ring(origin, 1)
    )
    rings = math.ceil((reach + _distance_m((lat, lng), centre)) / (0.8 * spacing * _HALF_SQRT3))
    # Near enough to the origin for a flat (equirectangular) distance: its error over tens
    # of kilometres is well under the 3 % margin, so no cell within reach is dropped.
    limit = (reach * 1.03 / _METRES_PER_DEGREE) ** 2
    squeeze = math.cos(math.radians(lat)) ** 2
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


def neighbourhood(cell: str, rings: int = 1) -> list[str]:
    return list(h3.grid_disk(cell, rings))


def center_of(cell: str) -> tuple[float, float]:
    return h3.cell_to_latlng(cell)
