"""Travel-time engines: how long from a point to each of some stations, by e-bike or on
foot. One interface (TravelEngine); the engine in use is chosen by the RIDERS_TRAVEL
setting. The default estimates from the straight line; the OSRM engine asks a routing
service's `table` API over HTTP. Defaults and their sources are in the README ("Settings").
"""

import json
import logging
import math
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dangqun.core import geo

log = logging.getLogger(__name__)

EBIKE, WALK = "ebike", "walk"
MODES = {EBIKE: _("By e-bike"), WALK: _("On foot")}
# The engines' names in words, for people (pages, the Excel export).
ENGINE_LABELS = {
    "straight_line": _(
        "Estimated from the straight-line distance, a detour factor and a usual speed"
    ),
    "osrm": _("From the route planner (OSRM), along the roads"),
}


def engine_label(name: str):
    return ENGINE_LABELS.get(name, name)


EARTH_RADIUS_M = geo.EARTH_RADIUS_M
METRES_PER_DEGREE = geo.METRES_PER_DEGREE


class TravelEngine(Protocol):
    name: str

    def max_radius_m(self, mode: str, seconds: float) -> float:
        """No place further than this (straight line) can be reached within `seconds`."""

    def times(self, origin: tuple[float, float], targets: list[tuple[float, float]], mode: str):
        """Seconds from origin to each target (None: not reachable), in the targets' order."""


def config() -> dict:
    return settings.RIDERS_TRAVEL


def speed_m_s(mode: str) -> float:
    kmh = config()["EBIKE_KMH"] if mode == EBIKE else config()["WALK_KMH"]
    return float(kmh) / 3.6


class StraightLineEngine:
    """Great-circle distance times a detour (circuity) factor, at a constant speed per mode."""

    name = "straight_line"

    def __init__(self, *, detour: float | None = None):
        self.detour = float(detour if detour is not None else config()["DETOUR"])

    def max_radius_m(self, mode: str, seconds: float) -> float:
        return seconds * speed_m_s(mode) / self.detour

    def times(self, origin, targets, mode):
        lat, lng = origin
        factor = self.detour / speed_m_s(mode)
        return [geo.distance_m(lat, lng, t_lat, t_lng) * factor for t_lat, t_lng in targets]


class OsrmEngine:
    """An OSRM server's table service: one request from the origin to all candidates.
    The candidates are first bounded by the straight line at the mode's speed (a route is
    never shorter than the straight line), so a request never lists every station."""

    name = "osrm"

    def __init__(self, *, base_url: str | None = None, timeout: float | None = None):
        self.base_url = (base_url or config()["OSRM_URL"]).rstrip("/")
        self.timeout = float(timeout if timeout is not None else config()["HTTP_TIMEOUT"])

    def max_radius_m(self, mode: str, seconds: float) -> float:
        return seconds * speed_m_s(mode)

    def times(self, origin, targets, mode):
        if not targets:
            return []
        profile = config()["OSRM_PROFILES"][mode]
        points = ";".join(f"{lng:.6f},{lat:.6f}" for lat, lng in [origin, *targets])
        url = (
            f"{self.base_url}/table/v1/{profile}/{points}"
            f"?sources=0&destinations={';'.join(str(i) for i in range(1, len(targets) + 1))}"
            "&annotations=duration"
        )
        with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310
            answer = json.load(response)
        if answer.get("code") != "Ok":
            raise EngineUnavailable(answer.get("code", "no code"))
        row = answer["durations"][0]
        if len(row) != len(targets):
            raise EngineUnavailable("wrong number of durations")
        return [None if value is None else float(value) for value in row]


class EngineUnavailable(RuntimeError):
    pass


class FallbackEngine:
    """The configured routing engine, or the straight-line estimate when it does not answer
    (the answer then says which engine estimated the times)."""

    def __init__(self, primary, fallback):
        self.primary, self.fallback = primary, fallback
        self.name = primary.name

    def max_radius_m(self, mode, seconds):
        return max(
            self.primary.max_radius_m(mode, seconds), self.fallback.max_radius_m(mode, seconds)
        )

    def times(self, origin, targets, mode):
        try:
            result = self.primary.times(origin, targets, mode)
            self.name = self.primary.name
            return result
        except (OSError, ValueError, KeyError, urllib.error.URLError, EngineUnavailable) as error:
            log.warning(
                "travel engine %s failed (%s); straight-line estimate", self.primary.name, error
            )
            self.name = self.fallback.name
            return self.fallback.times(origin, targets, mode)


def engine() -> TravelEngine:
    kind = config()["ENGINE"]
    if kind == "osrm":
        return FallbackEngine(OsrmEngine(), StraightLineEngine())
    return StraightLineEngine()


def unit_vector(lat: float, lng: float) -> tuple[float, float, float]:
    """The point on the unit sphere; the chord test below compares dot products."""
    phi, lam = math.radians(lat), math.radians(lng)
    cos_phi = math.cos(phi)
    return (cos_phi * math.cos(lam), cos_phi * math.sin(lam), math.sin(phi))


def chord_threshold(radius_m: float) -> float:
    """Points with dot(origin, p) >= this lie within radius_m along the great circle."""
    return math.cos(min(math.pi, radius_m / EARTH_RADIUS_M))
