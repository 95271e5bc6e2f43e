"""Reads of stations and riders. Public reads show stations in service; staff reads are
scoped through people/access.py."""

from dangqun.core.errors import NotFound
from dangqun.people import access

from .models import RiderProfile, Station


def public_stations():
    return Station.objects.filter(is_open=True).select_related("center", "region")


def public_station(*, pk) -> Station:
    try:
        return public_stations().get(pk=pk)
    except (Station.DoesNotExist, ValueError):
        raise NotFound() from None


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


def volunteer_team_size() -> int:
    return RiderProfile.objects.filter(joined_volunteer_team=True).count()
