"""Coverage and siting analysis for street and district officials.

The district is laid out as H3 cells (resolution 8, about 0.74 km² each). Demand weights
come from riders' registered work areas and/or counts imported from a file. A demand cell
is covered when some open station is reachable from its centre within N minutes (the same
travel engine and search as the riders' reach search). New sites are chosen greedily for
maximal covering: each round takes the candidate that covers the most still-uncovered
demand; a tie goes to the candidate listed first (existing centers without a station
first, then the heaviest uncovered cells). Greedy is within (1 - 1/e) of the best K.

An analysis cannot stall: every place it uses (the region's centers and stations, demand
points, candidates) must lie in the district's area (settings.DISTRICT_AREA, else China's
box), and before a grid is built its size is estimated from the bounding box; over
MAX_GRID_CELLS cells (about 147,000 km² at resolution 8) the analysis is refused with a
message that states the bound. Riders' work areas outside the district's area are not the
district's demand and are left out."""

import math
from dataclasses import dataclass, field

import h3
from django.utils.translation import gettext as _

from dangqun.core import geo
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.templatetags.dq import loc
from dangqun.people import access
from dangqun.places.models import Region, ServiceCenter

from . import cells, search, travel
from .models import DemandSet, RiderProfile, Station

RESOLUTION = 8
MARGIN_M = 2000
MAX_K = 20
MAX_CANDIDATES = 300
MAX_DEMAND_ROWS = 20000
# The most cells one analysis may lay out (its grid, and the box of all it looks at).
MAX_GRID_CELLS = 200_000


@dataclass
class Hex:
    cell: str
    lat: float
    lng: float
    weight: float
    seconds: float | None = None  # to the nearest open station, None: beyond N minutes

    @property
    def covered(self) -> bool:
        return self.seconds is not None


@dataclass
class Site:
    rank: int
    label: str
    lat: float
    lng: float
    gain: float
    share_after: float
    cells: list[str] = field(default_factory=list)
    cell: str = ""  # the H3 cell the site is the middle of, "" for a center

    @property
    def amap_url(self) -> str:
        return geo.amap_marker_url(self.lat, self.lng, self.label)


@dataclass
class Analysis:
    region: Region
    minutes: int
    mode: str
    engine: str
    hexes: list[Hex]
    sites: list[Site]
    candidates: int
    stations: int

    @property
    def total(self) -> float:
        return sum(h.weight for h in self.hexes)

    @property
    def covered(self) -> float:
        return sum(h.weight for h in self.hexes if h.covered)

    @property
    def share(self) -> float:
        return self.covered / self.total if self.total else 0.0

    @property
    def uncovered_hexes(self) -> list[Hex]:
        return sorted((h for h in self.hexes if not h.covered), key=lambda h: -h.weight)


def _subtree(region: Region):
    return Region.objects.filter(path__startswith=region.path)


def region_points(region: Region) -> list[tuple[float, float]]:
    """The region's centers and stations; one outside the district's area is refused, by
    name, so that the staff can correct it."""
    regions = _subtree(region)
    points = []
    places = [
        (_("Center %(name)s: %(error)s"), ServiceCenter.objects.filter(region__in=regions)),
        (_("Station %(name)s: %(error)s"), Station.objects.filter(region__in=regions)),
    ]
    for message, rows in places:
        for place in rows.order_by("pk"):
            lat, lng = float(place.latitude), float(place.longitude)
            if not geo.district_area().holds(lat, lng):
                error = geo.outside_area_message()
                raise ValidationFailed(
                    message % {"name": place.name, "error": error}, field="region"
                )
            points.append((lat, lng))
    return points


def _box(points) -> tuple[float, float, float, float]:
    """South, west, north, east of the points, with the grid's margin."""
    lats = [p[0] for p in points]
    lngs = [p[1] for p in points]
    lat_margin = MARGIN_M / 111_000
    mean_lat = math.radians(sum(lats) / len(lats))
    lng_margin = MARGIN_M / (111_000 * max(0.2, math.cos(mean_lat)))
    return (
        min(lats) - lat_margin,
        min(lngs) - lng_margin,
        max(lats) + lat_margin,
        max(lngs) + lng_margin,
    )


def cells_needed(points) -> int:
    """About how many res-8 cells the box around the points (with the margin) holds: the
    box's area on the sphere over the cells' average area. Nothing is built to know it."""
    if not points:
        return 0
    south, west, north, east = _box(points)
    south, north = max(south, -90.0), min(north, 90.0)
    area_km2 = (
        (geo.EARTH_RADIUS_M / 1000) ** 2
        * math.radians(min(east - west, 360.0))
        * abs(math.sin(math.radians(north)) - math.sin(math.radians(south)))
    )
    return math.ceil(area_km2 / h3.average_hexagon_area(RESOLUTION, unit="km^2"))


def check_size(points, *, field: str) -> None:
    """Refuse an analysis whose box would need more than MAX_GRID_CELLS cells."""
    needed = cells_needed(points)
    if needed > MAX_GRID_CELLS:
        bound_km2 = MAX_GRID_CELLS * h3.average_hexagon_area(RESOLUTION, unit="km^2")
        raise ValidationFailed(
            _(
                "This analysis would need about %(needed)s grid cells; the bound is %(bound)s "
                "cells (about %(km2)s km²). Check the coordinates of the places it uses."
            )
            % {
                "needed": f"{needed:,}",
                "bound": f"{MAX_GRID_CELLS:,}",
                "km2": f"{round(bound_km2, -3):,.0f}",
            },
            field=field,
        )


def rider_demand(region: Region, grid: set[str]) -> dict[str, float]:
    """Riders' work areas (kept with consent) that fall in the region's grid, or whose
    work area was placed in the region."""
    weights: dict[str, float] = {}
    area = geo.district_area()
    rows = RiderProfile.objects.exclude(work_cell="").values_list("work_cell", "work_region__path")
    for cell, path in rows:
        in_region = (path or "").startswith(region.path) and _cell_in(cell, area)
        if cell in grid or in_region:
            weights[cell] = weights.get(cell, 0.0) + 1.0
    return weights


def _cell_in(cell: str, area) -> bool:
    try:
        return area.holds(*h3.cell_to_latlng(cell))
    except (ValueError, h3.H3BaseException):
        return False


def point_demand(points: list[dict]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for point in points:
        cell = h3.latlng_to_cell(float(point["lat"]), float(point["lng"]), RESOLUTION)
        weights[cell] = weights.get(cell, 0.0) + float(point["count"])
    return weights


def grid_of(points: list[tuple[float, float]]) -> set[str]:
    """The res-8 cells of the box around the region's centers and stations, plus a margin."""
    if not points:
        return set()
    check_size(points, field="region")
    south, west, north, east = _box(points)
    box = h3.LatLngPoly([(south, west), (south, east), (north, east), (north, west)])
    return set(h3.polygon_to_cells(box, RESOLUTION))


def _station_rows(hexes: list[Hex], minutes: int, mode: str, engine) -> list[tuple]:
    """Open stations near the demand: the cells covering every demand cell's reach."""
    if not hexes:
        return []
    radius = engine.max_radius_m(mode, minutes * 60.0)
    found: set[str] = set()
    resolution = None
    lat0 = sum(h.lat for h in hexes) / len(hexes)
    lng0 = sum(h.lng for h in hexes) / len(hexes)
    spread = max(geo.distance_m(lat0, lng0, h.lat, h.lng) for h in hexes)
    resolution, found_cells = cells.covering(lat0, lng0, spread + radius)
    found.update(found_cells)
    where = f"is_open = %s AND h3_r{resolution} IN ({', '.join(['%s'] * len(found))})"
    return search.station_rows(where, (True, *sorted(found)))


def _landmarks() -> list[tuple[float, float, str]]:
    """The places a suggested site is named after: every center, by its village or
    community when it stands in one, else by its own name (in the page's language)."""
    local = {Region.Level.VILLAGE, Region.Level.COMMUNITY}
    return [
        (
            float(c.latitude),
            float(c.longitude),
            loc(c.region) if c.region.level in local else loc(c),
        )
        for c in ServiceCenter.objects.select_related("region").order_by("pk")
    ]


def near_label(lat: float, lng: float, landmarks) -> str:
    """ "Near 云会村 (1.2 km)": the nearest landmark and how far it is."""
    if not landmarks:
        return f"{lat:.5f}, {lng:.5f}"
    best = min(landmarks, key=lambda m: geo.distance_m(lat, lng, m[0], m[1]))
    km = geo.distance_m(lat, lng, best[0], best[1]) / 1000
    return _("Near %(place)s (%(km)s km)") % {"place": best[2], "km": f"{km:.1f}"}


def default_candidates(region: Region, hexes: list[Hex]) -> list[dict]:
    """Centers of the region without a station, then the heaviest uncovered cells (named
    by the nearest center's village or the center)."""
    candidates = []
    landmarks = _landmarks()
    with_station = set(
        Station.objects.filter(center__isnull=False).values_list("center_id", flat=True)
    )
    for center in ServiceCenter.objects.filter(region__in=_subtree(region)).order_by("name"):
        if center.pk not in with_station:
            candidates.append(
                {
                    "lat": float(center.latitude),
                    "lng": float(center.longitude),
                    "label": center.name,
                }
            )
    for hexagon in sorted((h for h in hexes if not h.covered), key=lambda h: (-h.weight, h.cell)):
        candidates.append(
            {
                "lat": hexagon.lat,
                "lng": hexagon.lng,
                "label": near_label(hexagon.lat, hexagon.lng, landmarks),
                "cell": hexagon.cell,
            }
        )
    return candidates[:MAX_CANDIDATES]


def greedy_sites(hexes: list[Hex], candidates: list[dict], minutes: int, mode: str, engine, k: int):
    """Maximal covering, greedily: K rounds, each taking the candidate that covers the most
    uncovered demand weight (the first listed on a tie); stops when nothing more is gained."""
    limit = minutes * 60.0
    uncovered = [h for h in hexes if not h.covered]
    total = sum(h.weight for h in hexes)
    covered_weight = sum(h.weight for h in hexes if h.covered)
    reaches: list[set[int]] = [set() for _ in candidates]
    points = [(c["lat"], c["lng"]) for c in candidates]
    for index, hexagon in enumerate(uncovered):
        times = engine.times((hexagon.lat, hexagon.lng), points, mode)
        for c_index, seconds in enumerate(times):
            if seconds is not None and seconds <= limit:
                reaches[c_index].add(index)
    taken: set[int] = set()
    sites = []
    for rank in range(1, k + 1):
        best, best_gain = None, 0.0
        for c_index, reach in enumerate(reaches):
            gain = sum(uncovered[i].weight for i in reach - taken)
            if gain > best_gain + 1e-9:
                best, best_gain = c_index, gain
        if best is None:
            break
        newly = reaches[best] - taken
        taken |= newly
        covered_weight += best_gain
        candidate = candidates[best]
        sites.append(
            Site(
                rank=rank,
                label=candidate.get("label") or f"{candidate['lat']:.5f}, {candidate['lng']:.5f}",
                lat=candidate["lat"],
                lng=candidate["lng"],
                gain=best_gain,
                share_after=covered_weight / total if total else 0.0,
                cells=sorted(uncovered[i].cell for i in newly),
                cell=candidate.get("cell", ""),
            )
        )
        reaches[best] = set()
    return sites


def analyse(
    region: Region,
    *,
    minutes: int = 10,
    mode: str = travel.EBIKE,
    k: int = 3,
    use_riders: bool = True,
    demand_points: list[dict] | None = None,
    candidates: list[dict] | None = None,
    engine=None,
) -> Analysis:
    engine = engine or travel.engine()
    places = region_points(region)
    grid = grid_of(places)
    for field_name, points in (("demand", demand_points), ("candidates", candidates)):
        for point in points or ():
            geo.check_in_area(point["lat"], point["lng"], field=field_name)
    weights: dict[str, float] = {}
    if use_riders:
        for cell, weight in rider_demand(region, grid).items():
            weights[cell] = weights.get(cell, 0.0) + weight
    for cell, weight in point_demand(demand_points or []).items():
        weights[cell] = weights.get(cell, 0.0) + weight
    hexes = []
    for cell in sorted(weights):
        if weights[cell] <= 0:
            continue
        lat, lng = h3.cell_to_latlng(cell)
        hexes.append(Hex(cell, lat, lng, weights[cell]))
    # Everything the search will look at stays within the bound too.
    check_size(
        [
            *places,
            *((h.lat, h.lng) for h in hexes),
            *((c["lat"], c["lng"]) for c in candidates or ()),
        ],
        field="demand",
    )
    rows = _station_rows(hexes, minutes, mode, engine)
    for hexagon in hexes:
        hits = search.rank(search.Query(hexagon.lat, hexagon.lng, minutes, mode), rows, engine)
        hexagon.seconds = hits[0].seconds if hits else None
    if candidates is None:
        candidates = default_candidates(region, hexes)
    sites = greedy_sites(hexes, candidates, minutes, mode, engine, k)
    return Analysis(region, minutes, mode, engine.name, hexes, sites, len(candidates), len(rows))


def clean_parameters(*, minutes, mode, k) -> tuple[int, str, int]:
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not search.MIN_MINUTES <= minutes <= search.max_minutes():
        raise ValidationFailed(
            _("Minutes must be a whole number from %(low)s to %(high)s.")
            % {"low": search.MIN_MINUTES, "high": search.max_minutes()},
            field="minutes",
        )
    if mode not in travel.MODES:
        raise ValidationFailed(
            _("Unknown way of travel. Use one of: %(modes)s.") % {"modes": ", ".join(travel.MODES)},
            field="mode",
        )
    try:
        k = int(k)
    except (TypeError, ValueError):
        k = -1
    if not 0 <= k <= MAX_K:
        raise ValidationFailed(
            _("The number of new sites must be from 0 to %(n)s.") % {"n": MAX_K}, field="k"
        )
    return minutes, mode, k


def _points_in(points: list[dict], system: str, *, field: str, weighted: bool) -> list[dict]:
    clean = []
    for index, point in enumerate(points, 1):
        try:
            lat = float(geo.parse_coordinate(point.get("lat"), kind="latitude", field=field))
            lng = float(geo.parse_coordinate(point.get("lng"), kind="longitude", field=field))
        except ValidationFailed as error:
            raise ValidationFailed(
                _("Item %(n)s: %(error)s") % {"n": index, "error": error.message}, field=field
            ) from None
        w_lat, w_lng = geo.to_wgs84(lat, lng, system)
        if not geo.district_area().holds(w_lat, w_lng):
            raise ValidationFailed(
                _("Item %(n)s: %(error)s") % {"n": index, "error": geo.outside_area_message()},
                field=field,
            )
        item = {"lat": w_lat, "lng": w_lng, "label": point.get("label") or ""}
        if weighted:
            count = point.get("count")
            if not isinstance(count, int | float) or count < 0:
                raise ValidationFailed(
                    _("Item %(n)s: the count must be a number, 0 or more.") % {"n": index},
                    field=field,
                )
            item["count"] = float(count)
        clean.append(item)
    return clean


def staff_region(user, region_id) -> Region:
    try:
        return access.get_or_404(user, Region.objects.all(), pk=int(region_id))
    except (TypeError, ValueError):
        raise NotFound() from None


def analyse_for_staff(
    user,
    *,
    region_id,
    minutes,
    mode,
    k,
    coord="wgs84",
    use_riders=True,
    demand=None,
    candidates=None,
    demand_set: DemandSet | None = None,
) -> Analysis:
    region = staff_region(user, region_id)
    minutes, mode, k = clean_parameters(minutes=minutes, mode=mode, k=k)
    system = geo.parse_system(coord, field="coord")
    points = _points_in(demand or [], system, field="demand", weighted=True)
    if demand_set is not None:
        points += demand_set.points
    sites = (
        _points_in(candidates, system, field="candidates", weighted=False) if candidates else None
    )
    if sites is not None and len(sites) > MAX_CANDIDATES:
        raise ValidationFailed(
            _("At most %(n)s candidate sites.") % {"n": MAX_CANDIDATES}, field="candidates"
        )
    return analyse(
        region,
        minutes=minutes,
        mode=mode,
        k=k,
        use_riders=use_riders,
        demand_points=points,
        candidates=sites,
    )


def _shown(lat, lng, system):
    s_lat, s_lng = geo.from_wgs84(lat, lng, system)
    return round(s_lat, 6), round(s_lng, 6)


def hex_geojson(analysis: Analysis, system: str = geo.WGS84) -> dict:
    """The demand cells as polygons (RFC 7946: [lng, lat], closed rings, counter-clockwise)."""
    features = []
    for hexagon in analysis.hexes:
        boundary = [_shown(lat, lng, system) for lat, lng in h3.cell_to_boundary(hexagon.cell)]
        ring = [[lng, lat] for lat, lng in boundary]
        ring.append(ring[0])
        features.append(
            {
                "type": "Feature",
                "id": hexagon.cell,
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    "weight": hexagon.weight,
                    "covered": hexagon.covered,
                    "minutes": None if hexagon.seconds is None else round(hexagon.seconds / 60, 1),
                },
            }
        )
    for site in analysis.sites:
        lat, lng = _shown(site.lat, site.lng, system)
        features.append(
            {
                "type": "Feature",
                "id": f"site-{site.rank}",
                "geometry": {"type": "Point", "coordinates": [lng, lat]},
                "properties": {
                    "rank": site.rank,
                    "label": site.label,
                    "gain": site.gain,
                    "amap_url": site.amap_url,
                },
            }
        )
    return {"type": "FeatureCollection", "coord": system, "features": features}


def as_json(analysis: Analysis, system: str = geo.WGS84) -> dict:
    return {
        "region": analysis.region.name,
        "minutes": analysis.minutes,
        "mode": analysis.mode,
        "engine": analysis.engine,
        "engine_label": str(travel.engine_label(analysis.engine)),
        "resolution": RESOLUTION,
        "demand_total": analysis.total,
        "demand_covered": analysis.covered,
        "share_covered": round(analysis.share, 4),
        "demand_cells": len(analysis.hexes),
        "uncovered_cells": len(analysis.uncovered_hexes),
        "stations_considered": analysis.stations,
        "candidates": analysis.candidates,
        "sites": [
            {
                "rank": s.rank,
                "label": s.label,
                "lat": _shown(s.lat, s.lng, system)[0],
                "lng": _shown(s.lat, s.lng, system)[1],
                "coord": system,
                "gain": s.gain,
                "share_after": round(s.share_after, 4),
                "cells": s.cells,
                "amap_url": s.amap_url,
            }
            for s in analysis.sites
        ],
        "geojson": hex_geojson(analysis, system),
    }
