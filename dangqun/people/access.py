"""Scoping: the one module that decides which records a member of staff may see.

Each scoped model is registered with the path from it to its Region and the roles that
may see it. Everything inside a role's region (by the region's materialized path) is
visible. Callers never filter by region themselves; missing and forbidden both raise
NotFound, so an outsider cannot tell them apart."""

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet

from dangqun.core.errors import NotFound
from dangqun.places.models import Region, ServiceCenter, Space

from .models import Person, StaffRole

Role = StaffRole.Role
ALL_ROLES = frozenset(Role.values)
MANAGERS = frozenset({Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.CENTER_STAFF})
ADMINS = frozenset({Role.DISTRICT_ADMIN, Role.STREET_ADMIN})

# model -> (lookup from the model to its Region, roles that may see it)
_SCOPED: dict[type[Model], tuple[str, frozenset]] = {}


def register(model: type[Model], region_lookup: str, roles: frozenset = ALL_ROLES) -> None:
    _SCOPED[model] = (region_lookup, roles)


register(Region, "", ALL_ROLES)
register(ServiceCenter, "region", ALL_ROLES)
register(Space, "center__region", ALL_ROLES)
register(Person, "home_region", MANAGERS)
register(StaffRole, "region", ADMINS)


def roles_of(user) -> list[StaffRole]:
    """The user's roles, read once per request object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_dq_roles", None)
    if cached is None:
        cached = list(StaffRole.objects.filter(person=user).select_related("region", "center"))
        user._dq_roles = cached
    return cached


def is_staff(user) -> bool:
    return bool(roles_of(user)) or getattr(user, "is_superuser", False)


def has_role(user, roles) -> bool:
    return getattr(user, "is_superuser", False) or any(r.role in roles for r in roles_of(user))


def region_of(obj: Model) -> Region | None:
    """The region a registered record belongs to, by the path it was registered with."""
    lookup, _roles = _SCOPED[type(obj)]
    for name in lookup.split("__") if lookup else []:
        obj = getattr(obj, name)
        if obj is None:
            return None
    return obj


def require(user, roles=MANAGERS, obj: Model | None = None) -> None:
    """The one guard of staff pages and endpoints: the user holds one of `roles` and, given a
    record, one of those roles reaches its region. Otherwise NotFound, the same answer as a
    missing record, so an outsider learns nothing."""
    if not has_role(user, roles):
        raise NotFound()
    if obj is not None and not covers(user, region_of(obj), roles=roles):
        raise NotFound()


def region_paths(user, roles=ALL_ROLES) -> list[str]:
    return [r.region.path for r in roles_of(user) if r.role in roles]


def _prefix_filter(lookup: str, paths: list[str]) -> Q:
    field = f"{lookup}__path__startswith" if lookup else "path__startswith"
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{field: path})
    return query


def scope(user, queryset: QuerySet, *, roles=None) -> QuerySet:
    """Only the rows of a registered model that this user's roles cover."""
    lookup, allowed = _SCOPED[queryset.model]
    if getattr(user, "is_superuser", False):
        return queryset
    paths = region_paths(user, roles or allowed)
    return queryset.filter(_prefix_filter(lookup, paths))


def get_or_404(user, queryset: QuerySet, *, roles=None, **lookup):
    try:
        return scope(user, queryset, roles=roles).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None


def covers(user, region: Region | None, *, roles=ALL_ROLES) -> bool:
    """Whether one of the user's roles reaches this region (for writes naming a region)."""
    if getattr(user, "is_superuser", False):
        return True
    if region is None:
        return False
    return any(region.path.startswith(p) for p in region_paths(user, roles))


def visible_regions(user) -> QuerySet:
    return scope(user, Region.objects.all())


# The centers and spaces a member of staff runs, read here once so that the back office's
# pages and API (registry and bookings) scope them alike.


def centers_for_staff(user) -> QuerySet:
    return scope(user, ServiceCenter.objects.select_related("region"), roles=MANAGERS)


def center_for_staff(user, *, slug) -> ServiceCenter:
    return get_or_404(
        user, ServiceCenter.objects.select_related("region"), roles=MANAGERS, slug=slug
    )


def space_for_staff(user, *, pk) -> Space:
    return get_or_404(
        user, Space.objects.select_related("center__region", "kind"), roles=MANAGERS, pk=pk
    )
