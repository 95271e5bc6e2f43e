"""Reads of stations and riders. Public reads show stations in service; staff reads are
scoped through people/access.py."""

from dangqun.core.errors import NotFound
from dangqun.people import access

from .models import Station


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
