"""The H3 spatial index of stations. A station stores its cell at a few resolutions; a reach
query picks the finest resolution whose grid disk around the origin stays small, and reads
the stations of those cells only (see travel.py for the times, search.py for the query)."""

import math

import h3

RESOLUTIONS = (5, 7, 9)
# Largest disk (in rings) a query may ask for at a resolution before going coarser.
MAX_RINGS = 12


def cells_of(lat: float, lng: float) -> dict[int, str]:
    return {r: h3.latlng_to_cell(lat, lng, r) for r in RESOLUTIONS}


def _min_spacing_m(resolution: int) -> float:
    """The smallest distance between neighbouring cell centres at this resolution: the
    minimum edge (pentagon-aware) times sqrt(3). A disk of k rings then covers at least
    k * spacing - (circumradius of a cell) around the origin."""
    # h3 gives the average edge; the smallest hexagon edge is ~ 0.5x... so use a wide margin.
    return h3.average_hexagon_edge_length(resolution, unit="m") * math.sqrt(3) * 0.5


def rings_for(radius_m: float, resolution: int) -> int:
    """Rings of a grid disk around the origin's cell that hold every cell with a point
    within radius_m of the origin (conservative: uses half the average spacing)."""
    spacing = _min_spacing_m(resolution)
    return int(math.ceil(radius_m / spacing)) + 1


def plan(radius_m: float) -> tuple[int, int]:
    """(resolution, rings): the finest resolution whose disk needs at most MAX_RINGS."""
    for resolution in sorted(RESOLUTIONS, reverse=True):
        rings = rings_for(radius_m, resolution)
        if rings <= MAX_RINGS:
            return resolution, rings
    coarsest = min(RESOLUTIONS)
    return coarsest, rings_for(radius_m, coarsest)


def disk(lat: float, lng: float, radius_m: float) -> tuple[int, list[str]]:
    resolution, rings = plan(radius_m)
    origin = h3.latlng_to_cell(lat, lng, resolution)
    return resolution, list(h3.grid_disk(origin, rings))
