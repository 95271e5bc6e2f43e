"""Reads of stations and riders. Public reads show stations in service; staff reads are
scoped through people/access.py.

Other capabilities add what they know about a station (the charging room its live slots)
by registering a read here in their AppConfig.ready(): riders import none of them."""

from collections.abc import Callable, Iterable

from dangqun.core.errors import NotFound
from dangqun.core.sections import PersonSections
from dangqun.people import access
from dangqun.people.models import PersonTag
from dangqun.volunteers import selectors as volunteers

from .models import DemandSet, RiderProfile, Station


def public_stations():
    return Station.objects.filter(is_open=True).select_related("center", "region")


def public_station(*, pk) -> Station:
    try:
        return public_stations().get(pk=pk)
    except (Station.DoesNotExist, ValueError):
        raise NotFound() from None


def stations_by_id(ids) -> dict[int, Station]:
    """Stations by their ids (one query), whatever their state: for search hits."""
    return Station.objects.select_related("region", "center").in_bulk(list(ids))


def center_station(center_slug: str) -> Station | None:
    """The station a service center runs itself (kind "center"), if it has one."""
    return (
        Station.objects.filter(center__slug=center_slug, kind=Station.Kind.CENTER)
        .order_by("id")
        .first()
    )


def stations_for_staff(user):
    return access.scope(user, Station.objects.select_related("region", "center"))


def station_for_staff(user, *, pk) -> Station:
    return access.get_or_404(user, Station.objects.select_related("region", "center"), pk=pk)


def stations_with_amenities(queryset, codes):
    """Stations having every one of these amenities: one integer test on the mask."""
    from django.db.models import F

    from . import amenities

    mask = amenities.mask_of(codes)
    if not mask:
        return queryset
    return queryset.alias(has=F("amenity_mask").bitand(mask)).filter(has=mask)


def rider_profile(person) -> RiderProfile:
    profile = RiderProfile.objects.select_related("person").filter(person=person).first()
    if profile is None:
        raise NotFound()
    return profile


def rider_profile_or_none(person) -> RiderProfile | None:
    return RiderProfile.objects.filter(person=person).first()


def rider_tag(person) -> PersonTag | None:
    """The person's new-employment group tag (trade and platform live on it), if any."""
    return person.tags.filter(tag=PersonTag.Tag.NEW_EMPLOYMENT).first()


def demand_sets_for_staff(user):
    """Imported demand of the regions the user sees, for the coverage analysis."""
    return DemandSet.objects.filter(region__in=access.visible_regions(user)).select_related(
        "region"
    )


def volunteer_team_size() -> int:
    """Members of the riders' volunteer team (volunteers keeps the team)."""
    return volunteers.riders_team_size()


# --- what other capabilities add to a station ----------------------------------------------

# key -> read of many stations at once: station ids -> {station id: value}
_CARD_EXTRAS: dict[str, Callable[[list[int]], dict]] = {}
# key -> read of one station: station -> value
_PAGE_EXTRAS: dict[str, Callable[[Station], object]] = {}


def register_card_extra(key: str, read: Callable[[list[int]], dict]) -> None:
    """Each card of the stations' map gets card[key]: the value `read` gives for its station
    (None if none). `read` takes every station id of the page at once, so the map costs a
    fixed number of queries whatever the number of stations."""
    _CARD_EXTRAS[key] = read


def register_page_extra(key: str, read: Callable[[Station], object]) -> None:
    """The station's page gets `read(station)` in its context under key."""
    _PAGE_EXTRAS[key] = read


def card_extras(station_ids: Iterable[int]) -> dict[str, dict]:
    """For each registered key, the values by station id (no query without stations)."""
    ids = list(station_ids)
    return {key: read(ids) if ids else {} for key, read in _CARD_EXTRAS.items()}


def page_extras(station: Station) -> dict:
    return {key: read(station) for key, read in _PAGE_EXTRAS.items()}


# What other capabilities show a signed-in rider on the riders' page (a hold of a charging
# slot): a template and a read of the person each, registered by those apps.
home_sections = PersonSections()
