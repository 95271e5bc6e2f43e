"""Reads of the registry. The public pages show every center; staff reads are scoped
by people/access.py in the layers above."""

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from dangqun.core import geo

from .models import Region, ServiceCenter, Space, SpaceKind


def streets() -> QuerySet:
    return Region.objects.filter(level__in=[Region.Level.STREET, Region.Level.TOWN])


def space_kinds() -> QuerySet:
    return SpaceKind.objects.all()


def space_kinds_offered() -> QuerySet:
    """The kinds of space that at least one center has (what is worth offering as a filter)."""
    return SpaceKind.objects.filter(pk__in=Space.objects.values("kind")).order_by("id")


def space_kind_by_code(code: str) -> SpaceKind | None:
    return SpaceKind.objects.filter(code=str(code)).first()


def centers_public(*, street: Region | None = None, kind: SpaceKind | None = None) -> QuerySet:
    """Centers, optionally inside one street and offering one kind of space."""
    centers = ServiceCenter.objects.select_related("region").prefetch_related(
        Prefetch("spaces", queryset=Space.objects.select_related("kind"))
    )
    if street is not None:
        centers = centers.filter(region__path__startswith=street.path)
    if kind is not None:
        centers = centers.filter(spaces__kind=kind).distinct()
    return centers


def centers_by_distance(
    centers: Iterable[ServiceCenter], *, lat: float, lng: float
) -> list[ServiceCenter]:
    """The centers nearest first from a WGS-84 position, each with `distance_m` (whole
    metres, great-circle). A district has tens of centers: sorting them here is cheap."""
    found = list(centers)
    for center in found:
        metres = geo.distance_m(lat, lng, float(center.latitude), float(center.longitude))
        center.distance_m = round(metres)
    return sorted(found, key=lambda c: (c.distance_m, c.pk))


def spaces_of(center: ServiceCenter) -> QuerySet:
    return center.spaces.select_related("kind", "center")


def region_ancestors(region: Region) -> list[Region]:
    ids = [int(i) for i in region.path.strip("/").split("/") if i]
    by_id = Region.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


# Plain look-ups for the other apps' pages and endpoints (they do not read places' models
# themselves). Unscoped: staff scoping is people/access.py's, above this layer.


def regions() -> QuerySet:
    return Region.objects.order_by("path")


def region_by_id(pk) -> Region | None:
    """The region, or None for an unknown (or malformed) id."""
    try:
        return Region.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def centers() -> QuerySet:
    return ServiceCenter.objects.select_related("region").order_by("region__path", "name")


def centers_within(region: Region) -> QuerySet:
    """The centers of `region` and of every region inside it."""
    return ServiceCenter.objects.filter(region__path__startswith=region.path)


def center_by_slug(slug: str) -> ServiceCenter | None:
    return ServiceCenter.objects.select_related("region").filter(slug=str(slug)).first()


def spaces() -> QuerySet:
    return Space.objects.select_related("center__region", "kind")


def space_by_id(pk) -> Space | None:
    """The space, or None for an unknown (or malformed) id."""
    try:
        return spaces().filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        return None
