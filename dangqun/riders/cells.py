"""The H3 spatial index of stations. A station stores its cell at a few resolutions; a reach
query covers the reachable circle with the cells of one resolution (the finest that needs
few cells) and reads only the stations of those cells (search.py)."""

import math

import h3
from h3.api import basic_int

RESOLUTIONS = (5, 6, 7, 8, 9)
# A query uses the finest resolution whose covering has at most this many cells.
MAX_CELLS = 60
_EARTH_RADIUS_M = 6371008.8
_SIDES = 12


def cells_of(lat: float, lng: float) -> dict[int, str]:
    return {r: h3.latlng_to_cell(lat, lng, r) for r in RESOLUTIONS}


def _buffer_m(resolution: int) -> float:
    """More than the largest distance between a point and the centre of its cell at this
    resolution: twice the average edge (hexagons vary by well under that; the test checks)."""
    return 2.0 * h3.average_hexagon_edge_length(resolution, unit="m")


def _estimated_cells(radius_m: float, resolution: int) -> float:
    area_m2 = h3.average_hexagon_area(resolution, unit="m^2")
    return math.pi * _reach_m(radius_m, resolution) ** 2 / area_m2


def _reach_m(radius_m: float, resolution: int) -> float:
    return (radius_m + _buffer_m(resolution)) / math.cos(math.pi / _SIDES) * 1.05


def resolution_for(radius_m: float) -> int:
    for resolution in sorted(RESOLUTIONS, reverse=True):
        if _estimated_cells(radius_m, resolution) <= MAX_CELLS:
            return resolution
    return min(RESOLUTIONS)


def _destination(lat: float, lng: float, bearing: float, distance_m: float) -> tuple[float, float]:
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


def covering(lat: float, lng: float, radius_m: float) -> tuple[int, list[str]]:
    """(resolution, cells) such that every point within radius_m of (lat, lng) lies in one of
    the cells: a cell holding such a point has its centre within radius + buffer, and the
    polygon drawn around that circle (vertices pushed out, plus 5 % for the flat lat/lng
    edges) holds every such centre; H3 takes the cells whose centres are inside."""
    resolution = resolution_for(radius_m)
    reach = _reach_m(radius_m, resolution)
    ring = [_destination(lat, lng, 2 * math.pi * i / _SIDES, reach) for i in range(_SIDES)]
    # The integer API: no string per cell inside h3; we format the hex strings once.
    found = set(basic_int.polygon_to_cells(basic_int.LatLngPoly(ring), resolution))
    found.add(basic_int.latlng_to_cell(lat, lng, resolution))
    return resolution, [format(cell, "x") for cell in sorted(found)]


WORK_AREA_RESOLUTION = 8  # about 0.74 km² a cell: an area, not a spot


def work_area_cell(lat: float, lng: float) -> str:
    return h3.latlng_to_cell(lat, lng, WORK_AREA_RESOLUTION)


def neighbourhood(cell: str, rings: int = 1) -> list[str]:
    return list(h3.grid_disk(cell, rings))


def center_of(cell: str) -> tuple[float, float]:
    return h3.cell_to_latlng(cell)
