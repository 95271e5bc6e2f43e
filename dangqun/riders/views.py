from django.shortcuts import render

from dangqun.core import geo, hours

from . import selectors

COORD_LABELS = geo.SYSTEMS


def geo_system(request) -> str:
    """The coordinate system the visitor asked for (?coord=); unknown falls back to WGS-84
    on pages (the API refuses it)."""
    try:
        return geo.parse_system(request.GET.get("coord"))
    except geo.ValidationFailed:
        return geo.WGS84


def coords_to_show(lat, lng, system: str) -> tuple[float, float]:
    return geo.from_wgs84(lat, lng, system)


def station_detail_context(request, station) -> dict:
    """The station page's context; other capabilities (charging) add their keys to it."""
    coord = geo_system(request)
    shown_lat, shown_lng = coords_to_show(station.latitude, station.longitude, coord)
    return {
        "station": station,
        "is_open": station.is_open_at(),
        "week": hours.week_rows(station.opening_hours),
        "amap_url": geo.amap_marker_url(station.latitude, station.longitude, station.name),
        "coord": coord,
        "coord_label": COORD_LABELS[coord],
        "shown_lat": shown_lat,
        "shown_lng": shown_lng,
        "charging_rooms": charging_rooms_for(station),
    }


def charging_rooms_for(station) -> list:
    """The station's charging rooms with live slots (the charging capability's selector)."""
    from dangqun.charging.selectors import rooms_for_station

    return rooms_for_station(station)


def station_detail(request, pk):
    station = selectors.public_station(pk=pk)
    return render(request, "riders/station_detail.html", station_detail_context(request, station))


def station_map(request):
    stations = list(selectors.public_stations())
    return render(request, "riders/map.html", {"stations": stations})
