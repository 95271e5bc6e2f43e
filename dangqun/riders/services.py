"""Writes of the riders' capability: stations (staff) and riders' registrations."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangqun.core import audit, geo, hours
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.photos import checked_photo
from dangqun.core.text import clean_text
from dangqun.people import access
from dangqun.people.models import PersonTag
from dangqun.places import selectors as places
from dangqun.places.models import Region, ServiceCenter
from dangqun.volunteers import services as volunteers

from . import amenities as amenity_vocabulary
from . import cells
from .errors import StationInUse
from .models import RiderProfile, Station

STATION_FIELDS = (
    "name",
    "kind",
    "region",
    "center",
    "operator",
    "phone",
    "address",
    "description",
    "amenities",
    "opening_hours",
    "capacity",
    "latitude",
    "longitude",
    "is_open",
)


def _region(actor, value) -> Region:
    region = value if isinstance(value, Region) else Region.objects.filter(pk=_int(value)).first()
    if region is None or not access.covers(actor, region, roles=access.MANAGERS):
        raise ValidationFailed(_("Choose a region you look after."), field="region")
    return region


def _center(actor, value) -> ServiceCenter | None:
    if value in (None, ""):
        return None
    if isinstance(value, ServiceCenter):
        value = value.slug
    try:
        return access.center_for_staff(actor, slug=str(value))
    except NotFound:
        raise ValidationFailed(_("Choose a center you look after."), field="center") from None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def clean_station(actor, data: dict, *, current: Station | None = None) -> dict:
    """Validate station fields (all for a new one, those given for an update); every
    refusal names its field. Coordinates come in the system named by data["coord"]."""
    clean: dict = {}
    given = {k: v for k, v in data.items() if k in STATION_FIELDS}
    if current is None or "name" in given:
        clean["name"] = clean_text(
            given.get("name"),
            field="name",
            max_length=120,
            required=True,
            message=_("Give the station a name."),
        )
    if current is None or "kind" in given:
        kind = given.get("kind") or Station.Kind.WARM_BEE
        if kind not in Station.Kind.values:
            raise ValidationFailed(_("Unknown kind of station."), field="kind")
        clean["kind"] = kind
    if current is None or "region" in given:
        clean["region"] = _region(actor, given.get("region"))
    if "center" in given:
        clean["center"] = _center(actor, given.get("center"))
    for field, limit in (("operator", 120), ("phone", 30), ("address", 200)):
        if field in given:
            clean[field] = clean_text(given[field], field=field, max_length=limit)
    if "description" in given:
        clean["description"] = str(given["description"] or "").strip()
    if "amenities" in given:
        clean["amenities"] = amenity_vocabulary.normalize(given["amenities"])
    if "opening_hours" in given:
        clean["opening_hours"] = hours.normalize_week(given["opening_hours"])
    if "capacity" in given:
        capacity = given["capacity"]
        if capacity in (None, ""):
            clean["capacity"] = None
        else:
            number = _int(capacity)
            if number is None or not 0 < number <= 10000:
                raise ValidationFailed(
                    _("Capacity must be a whole number from 1 to 10000."), field="capacity"
                )
            clean["capacity"] = number
    if "is_open" in given:
        clean["is_open"] = bool(given["is_open"])
    if current is None or "latitude" in given or "longitude" in given:
        system = geo.parse_system(data.get("coord"), field="coord")
        lat = geo.parse_coordinate(
            given.get("latitude", current.latitude if current else None),
            kind="latitude",
            field="latitude",
        )
        lng = geo.parse_coordinate(
            given.get("longitude", current.longitude if current else None),
            kind="longitude",
            field="longitude",
        )
        wgs_lat, wgs_lng = geo.to_wgs84(float(lat), float(lng), system)
        # A station is a place in the district: one far outside it would stretch the
        # coverage analysis's grid over half the country.
        geo.check_in_area(wgs_lat, wgs_lng, field="latitude", lng_field="longitude")
        clean["latitude"] = geo.parse_coordinate(wgs_lat, kind="latitude", field="latitude")
        clean["longitude"] = geo.parse_coordinate(wgs_lng, kind="longitude", field="longitude")
    return clean


@transaction.atomic
def station_create(*, actor, data: dict, photo=None) -> Station:
    clean = clean_station(actor, data)
    station = Station(**clean)
    if photo is not None:
        ext, upload = checked_photo(photo)
        station.photo.save(f"station.{ext}", upload, save=False)
    station.save()
    audit.record(actor, "station.create", station, {"name": station.name})
    return station


@transaction.atomic
def station_update(*, actor, station: Station, data: dict, photo=None) -> Station:
    station = Station.objects.select_for_update().get(pk=station.pk)
    clean = clean_station(actor, data, current=station)
    for field, value in clean.items():
        setattr(station, field, value)
    if photo is not None:
        ext, upload = checked_photo(photo)
        station.photo.save(f"station.{ext}", upload, save=False)
    station.save()
    audit.record(actor, "station.update", station, {"fields": sorted(clean)})
    return station


# --- riders ---------------------------------------------------------------------------------


def _work_cell(lat, lng, coord) -> str:
    system = geo.parse_system(coord, field="coord")
    lat_value = float(geo.parse_coordinate(lat, kind="latitude", field="work_lat"))
    lng_value = float(geo.parse_coordinate(lng, kind="longitude", field="work_lng"))
    wgs_lat, wgs_lng = geo.to_wgs84(lat_value, lng_value, system)
    return cells.work_area_cell(wgs_lat, wgs_lng)


def _region_of_cell(cell: str) -> Region | None:
    """Regions have no outline here; a work area belongs to the region of the nearest
    center within 10 km (none if there is none)."""
    lat, lng = cells.center_of(cell)
    best = None
    for center in ServiceCenter.objects.select_related("region"):
        distance = geo.distance_m(lat, lng, float(center.latitude), float(center.longitude))
        if distance <= 10_000 and (best is None or distance < best[0]):
            best = (distance, center.region)
    return best[1] if best else None


LOCAL_LEVELS = (Region.Level.VILLAGE, Region.Level.COMMUNITY)


def work_regions():
    """The villages and communities a rider may name as the usual work area."""
    return places.regions().filter(level__in=LOCAL_LEVELS).select_related("parent")


def _work_region(value) -> Region | None:
    if value in (None, ""):
        return None
    region = work_regions().filter(pk=_int(value)).first() if _int(value) else None
    if region is None:
        raise ValidationFailed(
            _("Choose a village or community from the list."), field="work_region"
        )
    return region


def rider_register(
    *,
    person,
    trade: str,
    platform: str,
    location_consent: bool = False,
    work_lat=None,
    work_lng=None,
    coord: str = "wgs84",
    work_region=None,
    volunteer: bool = False,
) -> RiderProfile:
    """Register (or update) the person as a new-employment worker: the group tag with trade
    and platform in people/, the work area here (a point, kept as its H3 cell, and/or a
    village or community), kept only with consent to location data.
    Two first registrations at once: the unique person (and person+tag) lets one insert,
    the other's transaction rolls back whole and runs once more as an update."""
    if trade not in PersonTag.Trade.values:
        raise ValidationFailed(_("Choose your trade."), field="trade")
    platform = clean_text(platform, field="platform", max_length=60)
    has_point = work_lat not in (None, "") or work_lng not in (None, "")
    region = _work_region(work_region)
    if (has_point or region is not None) and not location_consent:
        raise ValidationFailed(
            _("To keep your usual work area we need your consent to store location data."),
            field="location_consent",
        )
    cell = _work_cell(work_lat, work_lng, coord) if has_point else ""
    for attempt in (1, 2):
        try:
            return _rider_save(person, trade, platform, cell, region, volunteer)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _rider_save(
    person, trade: str, platform: str, cell: str, region: Region | None, volunteer: bool
) -> RiderProfile:
    PersonTag.objects.update_or_create(
        person=person,
        tag=PersonTag.Tag.NEW_EMPLOYMENT,
        defaults={"trade": trade, "platform": platform},
    )
    profile, created = RiderProfile.objects.select_for_update().get_or_create(person=person)
    if cell or region is not None:
        profile.work_cell = cell
        profile.work_region = region or _region_of_cell(cell)
        profile.location_consent_at = profile.location_consent_at or timezone.now()
    profile.save()
    volunteers.riders_team_set(actor=person, join=bool(volunteer))
    audit.record(
        person,
        "rider.register" if created else "rider.update",
        profile,
        {"trade": trade, "work_area": bool(profile.work_cell or profile.work_region_id)},
    )
    return profile


@transaction.atomic
def rider_withdraw_location_consent(*, person) -> RiderProfile:
    """Consent withdrawn: the work area is erased at once, not merely hidden."""
    profile = RiderProfile.objects.select_for_update().filter(person=person).first()
    if profile is None:
        raise NotFound()
    profile.work_cell = ""
    profile.work_region = None
    profile.location_consent_at = None
    profile.save()
    audit.record(person, "rider.location_consent_withdrawn", profile, {})
    return profile


@transaction.atomic
def station_delete(*, actor, station: Station) -> None:
    """Remove a station added by mistake. A station with anything attached (a charging room,
    its history) is refused: take it out of service instead, so the history stays."""
    station = Station.objects.select_for_update().get(pk=station.pk)
    for relation in Station._meta.related_objects:
        attached = relation.related_model.objects.filter(**{relation.field.name: station})
        if (relation.one_to_many or relation.one_to_one) and attached.exists():
            raise StationInUse(
                _("This station has records attached; take it out of service instead."),
                field="is_open",
            )
    audit.record(actor, "station.delete", station, {"name": station.name})
    station.delete()
