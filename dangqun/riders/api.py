"""API of the riders' capability under /api/v1/riders/: stations (read by anyone, written
by staff of the station's region), reach search, GeoJSON, coverage analysis (staff) and a
rider's own registration. Coordinates go in and out in the system named by `coord`
(wgs84, gcj02, bd09); they are stored WGS-84."""

from typing import Annotated

from django.http import JsonResponse
from ninja import Router, Schema, Status
from pydantic import Field

from dangqun.accounts.auth import AUTH
from dangqun.core import geo
from dangqun.core.schemas import Id, Latitude, Longitude, MultilineText, Text
from dangqun.people import access
from dangqun.people.decorators import staff_endpoint
from dangqun.people.selectors import Trade

from . import amenities, coverage, presenters, search, selectors, services, travel
from .models import Station

router = Router(tags=["riders"])


class AmenityOut(Schema):
    code: str
    label: str


class StationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    region: str
    center: str | None
    operator: str
    phone: str
    address: str
    description: str
    amenities: list[str]
    opening_hours: list[str]
    open_now: bool
    capacity: int | None
    lat: float
    lng: float
    coord: str
    is_open: bool
    photo_url: str | None
    url: str


class ReachHitOut(Schema):
    station: StationOut
    seconds: int
    minutes: float
    distance_m: int


class NearestOut(Schema):
    """When nothing is within reach: the nearest station in service (straight line), and
    the travel time to it (None when the engine finds no way)."""

    station: StationOut
    distance_m: int
    minutes: int | None


class ReachOut(Schema):
    origin: dict
    minutes: int
    mode: str
    engine: str
    count: int
    results: list[ReachHitOut]
    nearest: NearestOut | None = None


# The name of a coordinate system: wgs84, gcj02 or bd09 (the service reads it).
Coord = Annotated[Text, Field(max_length=20)]
# Minutes of travel; the service holds the configured bound (RIDERS_TRAVEL["MAX_MINUTES"]).
Minutes = Annotated[int, Field(ge=1, le=24 * 60)]


AmenityCodes = Annotated[list[Annotated[Text, Field(max_length=40)]], Field(max_length=50)]
# Seven day specs, Monday first ("08:30-12:00", "24h", "" for closed).
Week = Annotated[list[Annotated[Text, Field(max_length=100)]], Field(max_length=7)]


class StationIn(Schema):
    name: Annotated[Text, Field(max_length=120)] | None = None  # required for a new one
    kind: Station.Kind | None = None
    region: Id | None = None
    center: Annotated[Text, Field(max_length=60)] | None = None
    operator: Annotated[Text, Field(max_length=120)] | None = None
    phone: Annotated[Text, Field(max_length=30)] | None = None
    address: Annotated[Text, Field(max_length=200)] | None = None
    description: Annotated[MultilineText, Field(max_length=5000)] | None = None
    amenities: (
        Annotated[list[Annotated[Text, Field(max_length=40)]], Field(max_length=50)] | None
    ) = None
    opening_hours: (
        Annotated[list[Annotated[Text, Field(max_length=100)]], Field(max_length=7)] | None
    ) = None
    capacity: Annotated[int, Field(ge=1, le=10_000)] | None = None
    # In the system named by `coord`; within the district's area too (the service checks).
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    coord: Coord = "wgs84"
    is_open: bool | None = None


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None


class PointIn(Schema):
    lat: Latitude
    lng: Longitude


class DemandIn(Schema):
    lat: Latitude
    lng: Longitude
    count: Annotated[float, Field(ge=0, le=1_000_000, allow_inf_nan=False)]


class CoverageIn(Schema):
    region: Id
    minutes: Minutes = 10
    mode: Annotated[Text, Field(max_length=10)] = travel.EBIKE
    k: Annotated[int, Field(ge=0, le=coverage.MAX_K)] = 3
    coord: Coord = "wgs84"
    use_riders: bool = True
    demand: Annotated[list[DemandIn], Field(max_length=coverage.MAX_DEMAND_ROWS)] | None = None
    candidates: Annotated[list[PointIn], Field(max_length=coverage.MAX_CANDIDATES)] | None = None


class RiderIn(Schema):
    trade: Trade
    platform: Annotated[Text, Field(max_length=60)] = ""
    location_consent: bool = False
    work_lat: Latitude | None = None
    work_lng: Longitude | None = None
    coord: Coord = "wgs84"
    # A village or community (a region id, GET /places/regions) instead of, or with, a point.
    work_region: Id | None = None
    volunteer: bool = False


class RiderOut(Schema):
    trade: str
    platform: str
    work_area: str | None
    work_area_center: dict | None
    work_region: int | None = None
    work_region_name: str | None = None
    location_consent_at: str | None
    volunteer: bool


@router.get("/riders/amenities", response=list[AmenityOut], summary="The amenity vocabulary")
def amenity_list(request):
    return [{"code": c, "label": str(label)} for c, label in amenities.AMENITIES]


@router.get("/riders/stations", response=list[StationOut], summary="Stations in service")
def station_list(
    request, amenity: Annotated[Text, Field(max_length=400)] = "", coord: Coord = "wgs84"
):
    system = geo.parse_system(coord, field="coord")
    wanted = amenities.normalize(amenity, field="amenity")
    stations = selectors.stations_with_amenities(selectors.public_stations(), wanted)
    return [presenters.station_dict(s, system) for s in stations]


@router.get(
    "/riders/stations.geojson",
    url_name="station_geojson",
    summary="Stations as a GeoJSON FeatureCollection (RFC 7946: WGS-84 unless ?coord=)",
)
def station_geojson(request, coord: Coord = "wgs84"):
    system = geo.parse_system(coord, field="coord")
    body = presenters.feature_collection(selectors.public_stations(), system)
    return JsonResponse(body, content_type="application/geo+json")


@router.get("/riders/stations/{station_id}", response=StationOut, summary="One station")
def station_get(request, station_id: Id, coord: Coord = "wgs84"):
    system = geo.parse_system(coord, field="coord")
    return presenters.station_dict(selectors.public_station(pk=station_id), system)


@router.get(
    "/riders/reach",
    response={200: ReachOut, 400: ErrorOut},
    summary="What can I reach within N minutes from here",
)
def reach(
    request,
    lat: Latitude,
    lng: Longitude,
    minutes: Minutes = 10,
    mode: Annotated[Text, Field(max_length=10)] = travel.EBIKE,
    amenities: Annotated[Text, Field(max_length=400)] = "",
    open_now: bool = False,
    coord: Coord = "wgs84",
):
    query = search.make_query(
        lat=lat,
        lng=lng,
        minutes=minutes,
        mode=mode,
        amenities=amenities,
        open_now=open_now,
        coord=coord,
    )
    return presenters.reach_answer(query, geo.parse_system(coord))


# --- staff --------------------------------------------------------------------------------


@router.get(
    "/riders/staff/stations", response=list[StationOut], auth=AUTH, summary="Stations (staff)"
)
@staff_endpoint(roles=access.MANAGERS)
def staff_station_list(request, coord: Coord = "wgs84"):
    system = geo.parse_system(coord, field="coord")
    return [presenters.station_dict(s, system) for s in selectors.stations_for_staff(request.user)]


@router.post(
    "/riders/staff/stations",
    response={201: StationOut, 400: ErrorOut},
    auth=AUTH,
    summary="Add a station",
)
@staff_endpoint(roles=access.MANAGERS)
def staff_station_create(request, payload: StationIn):
    data = payload.dict(exclude_unset=True)
    station = services.station_create(actor=request.user, data=data)
    return Status(201, presenters.station_dict(station, geo.parse_system(payload.coord)))


@router.patch(
    "/riders/staff/stations/{station_id}",
    response={200: StationOut, 400: ErrorOut},
    auth=AUTH,
    summary="Change a station",
)
@staff_endpoint(roles=access.MANAGERS)
def staff_station_update(request, station_id: Id, payload: StationIn):
    station = selectors.station_for_staff(request.user, pk=station_id)
    data = payload.dict(exclude_unset=True)
    station = services.station_update(actor=request.user, station=station, data=data)
    return presenters.station_dict(station, geo.parse_system(payload.coord))


@router.delete(
    "/riders/staff/stations/{station_id}",
    response={204: None, 409: ErrorOut},
    auth=AUTH,
    summary="Remove a station added by mistake (refused once anything is attached to it)",
)
@staff_endpoint(roles=access.MANAGERS)
def staff_station_delete(request, station_id: Id):
    station = selectors.station_for_staff(request.user, pk=station_id)
    services.station_delete(actor=request.user, station=station)
    return Status(204, None)


@router.post(
    "/riders/staff/coverage", auth=AUTH, summary="Coverage and siting analysis of a region"
)
@staff_endpoint(roles=access.MANAGERS)
def staff_coverage(request, payload: CoverageIn):
    analysis = coverage.analyse_for_staff(
        request.user,
        region_id=payload.region,
        minutes=payload.minutes,
        mode=payload.mode,
        k=payload.k,
        coord=payload.coord,
        use_riders=payload.use_riders,
        demand=[d.dict() for d in payload.demand] if payload.demand is not None else None,
        candidates=[c.dict() for c in payload.candidates]
        if payload.candidates is not None
        else None,
    )
    return coverage.as_json(analysis, geo.parse_system(payload.coord))


# --- a rider's own registration -------------------------------------------------------------


@router.get("/riders/me", response={200: RiderOut}, auth=AUTH, summary="My rider registration")
def rider_me(request):
    return presenters.rider_dict(selectors.rider_profile(request.user))


@router.put(
    "/riders/me",
    response={200: RiderOut, 400: ErrorOut},
    auth=AUTH,
    summary="Register as a new-employment worker (or change it)",
)
def rider_register(request, payload: RiderIn):
    profile = services.rider_register(person=request.user, **payload.dict())
    return presenters.rider_dict(profile)


@router.delete(
    "/riders/me/work-area",
    response={200: RiderOut},
    auth=AUTH,
    summary="Withdraw consent to location data: the work area is erased",
)
def rider_withdraw(request):
    return presenters.rider_dict(services.rider_withdraw_location_consent(person=request.user))
