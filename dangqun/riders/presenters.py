"""How stations, reach answers and riders look outside: in the API (dicts) and on pages.
Coordinates are shown in the system asked for."""

from django.urls import reverse

from dangqun.core import geo
from dangqun.volunteers import selectors as volunteers

from . import search, selectors, travel
from .models import RiderProfile, Station


def shown(lat, lng, system: str) -> tuple[float, float]:
    s_lat, s_lng = geo.from_wgs84(float(lat), float(lng), system)
    return round(s_lat, 6), round(s_lng, 6)


def station_dict(station: Station, system: str = geo.WGS84, *, moment=None) -> dict:
    lat, lng = shown(station.latitude, station.longitude, system)
    return {
        "id": station.pk,
        "name": station.name,
        "kind": station.kind,
        "kind_label": str(station.get_kind_display()),
        "region": station.region.name,
        "center": station.center.name if station.center_id else None,
        "operator": station.operator,
        "phone": station.phone,
        "address": station.address,
        "description": station.description,
        "amenities": list(station.amenities),
        "opening_hours": list(station.opening_hours),
        "open_now": station.is_open_at(moment),
        "capacity": station.capacity,
        "lat": lat,
        "lng": lng,
        "coord": system,
        "is_open": station.is_open,
        "photo_url": station.photo.url if station.photo else None,
        "url": reverse("riders:station_detail", args=[station.pk]),
    }


def feature_collection(stations, system: str = geo.WGS84) -> dict:
    """RFC 7946 wants WGS-84 and [longitude, latitude]; another system is named in the
    collection's "coord" member for Chinese map libraries that need it."""
    features = []
    for station in stations:
        lat, lng = shown(station.latitude, station.longitude, system)
        features.append(
            {
                "type": "Feature",
                "id": station.pk,
                "geometry": {"type": "Point", "coordinates": [lng, lat]},
                "properties": {
                    "name": station.name,
                    "kind": station.kind,
                    "amenities": list(station.amenities),
                    "open_now": station.is_open_at(),
                    "url": reverse("riders:station_detail", args=[station.pk]),
                },
            }
        )
    return {"type": "FeatureCollection", "coord": system, "features": features}


def reach_results(query: search.Query) -> tuple[list[tuple[Station, search.Hit]], str]:
    """The hits with their stations (one query for all of them), and the engine's name."""
    engine = travel.engine()
    hits = search.reach(query, engine)
    by_id = selectors.stations_by_id([h.station_id for h in hits])
    return [(by_id[h.station_id], h) for h in hits if h.station_id in by_id], engine.name


def nearest_shown(query: search.Query) -> dict | None:
    """The nearest station in service when nothing is within reach: the station, its
    straight-line distance and the engine's time."""
    found = search.nearest(query)
    if found is None:
        return None
    station = selectors.stations_by_id([found.station_id]).get(found.station_id)
    if station is None:  # pragma: no cover - removed between the two reads
        return None
    return {
        "station": station,
        "distance_m": round(found.distance_m),
        "distance_km": round(found.distance_m / 1000, 1),
        "minutes": None if found.seconds is None else max(1, round(found.seconds / 60)),
    }


def reach_answer(query: search.Query, system: str) -> dict:
    pairs, engine_name = reach_results(query)
    o_lat, o_lng = shown(query.lat, query.lng, system)
    nearest = None if pairs else nearest_shown(query)
    return {
        "nearest": None
        if nearest is None
        else {
            "station": station_dict(nearest["station"], system, moment=query.moment),
            "distance_m": nearest["distance_m"],
            "minutes": nearest["minutes"],
        },
        "origin": {"lat": o_lat, "lng": o_lng, "coord": system},
        "minutes": query.minutes,
        "mode": query.mode,
        "engine": engine_name,
        "count": len(pairs),
        "results": [
            {
                "station": station_dict(station, system, moment=query.moment),
                "seconds": round(hit.seconds),
                "minutes": round(hit.seconds / 60, 1),
                "distance_m": round(hit.distance_m),
            }
            for station, hit in pairs
        ],
    }


def rider_dict(profile: RiderProfile) -> dict:
    tag = selectors.rider_tag(profile.person)
    center = None
    if profile.work_cell:
        from . import cells

        lat, lng = cells.center_of(profile.work_cell)
        center = {"lat": round(lat, 6), "lng": round(lng, 6), "coord": geo.WGS84}
    return {
        "trade": tag.trade if tag else "",
        "platform": tag.platform if tag else "",
        "work_area": profile.work_cell or None,
        "work_area_center": center,
        "work_region": profile.work_region_id,
        "work_region_name": profile.work_region.name if profile.work_region_id else None,
        "location_consent_at": profile.location_consent_at.isoformat()
        if profile.location_consent_at
        else None,
        "volunteer": volunteers.is_in_riders_team(profile.person),
    }
