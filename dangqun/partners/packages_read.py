"""Reads of service packages (服务包): which fit a person, the public list and page with
the contents each app describes, the staff's lists (scoped in people/access.py), and the
figures: how many people of each target group used something from a package in a period."""

import uuid
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dangqun.core.errors import NotFound
from dangqun.people import access, groups
from dangqun.people.models import PersonTag

from . import selectors
from .models import PackageEntry, ServicePackage
from .package_sources import Shown, source

Status = ServicePackage.Status


def _packages() -> QuerySet:
    return ServicePackage.objects.select_related("region", "home_region")


def _years_before(day: date, years: int) -> date:
    """The same day `years` before (28 February for a 29th in a common year): a person born
    on or before it is at least `years` old on `day`."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def fits(package: ServicePackage, person, today: date | None = None) -> bool:
    """Whether `person` is among those the package is for: they hold one of its group tags
    (read from `person.tags`, prefetched by the caller for a list), and their age and home
    region fall in the package's band and region when those are given. The same reading
    of a person as an activity's eligibility (people/groups.py)."""
    today = today or timezone.localdate()
    return (
        bool(groups.held_tags(person) & set(package.target_groups))
        and groups.age_band_problem(person, package.min_age, package.max_age, today) is None
        and groups.lives_in(person, package.home_region)
    )


def packages_for_person(person) -> list[ServicePackage]:
    """The active packages whose target group this person is in (none for a visitor)."""
    if not getattr(person, "is_authenticated", False):
        return []
    reader = (
        get_user_model()
        .objects.select_related("home_region")
        .prefetch_related("tags")
        .get(pk=person.pk)
    )
    today = timezone.localdate()
    return [p for p in _packages().filter(status=Status.ACTIVE) if fits(p, reader, today)]


def packages_public() -> QuerySet:
    """Every active package of the district, the district's own first."""
    return _packages().filter(status=Status.ACTIVE).order_by("region__path", "name", "id")


def packages_for_home(person, limit: int = 6) -> tuple[list, list]:
    """The home page's two lists: the packages that fit the person ("for you"), then the
    others of the district."""
    mine = packages_for_person(person)
    taken = {p.pk for p in mine}
    others = [p for p in packages_public()[: limit + len(taken)] if p.pk not in taken]
    return mine, others[:limit]


def package_public(public_id) -> ServicePackage:
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
        return _packages().get(public_id=key, status=Status.ACTIVE)
    except (ValueError, ServicePackage.DoesNotExist):
        raise NotFound() from None


def item_codes_for_person(person) -> list[str]:
    """The codes of the service items in this person's packages, in the packages' order
    (the intake catalogue shows them first, as "for you")."""
    packages = packages_for_person(person)
    if not packages:
        return []
    codes = PackageEntry.objects.filter(
        package__in=packages, kind=PackageEntry.Kind.ITEM
    ).values_list("reference", flat=True)
    return list(dict.fromkeys(codes))


def contents(package: ServicePackage) -> dict[str, list[tuple[PackageEntry, Shown]]]:
    """The package's entries grouped by kind, each with what its app shows of it (an entry
    whose thing is gone is left out). One query per kind, whatever the number of entries."""
    entries = list(package.entries.all())
    shown: dict[str, list] = {kind: [] for kind in PackageEntry.Kind.values}
    for kind in PackageEntry.Kind.values:
        mine = [e for e in entries if e.kind == kind]
        found = source(kind)
        if not mine or found is None:
            continue
        described = found.describe([e.reference for e in mine])
        shown[kind] = [(e, described[e.reference]) for e in mine if e.reference in described]
    return shown


def entry_choices() -> dict[str, list[tuple[str, str]]]:
    """What staff may put in a package, by kind."""
    return {
        kind: (found.choices() if (found := source(kind)) else [])
        for kind in PackageEntry.Kind.values
    }


# --- staff ----------------------------------------------------------------------------------


def packages_for_staff(user, *, status: str | None = None) -> QuerySet:
    packages = access.scope(user, _packages())
    if status in Status.values:
        packages = packages.filter(status=status)
    return packages.order_by("status", "region__path", "name", "id")


def package_for_staff(user, public_id) -> ServicePackage:
    return access.get_or_404(user, _packages(), public_id=str(public_id)[:40])


# The regions whose packages a user may run: the partners' own reads.
regions_for_staff = selectors.regions_for_staff
region_for_staff = selectors.region_for_staff


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def figures(package: ServicePackage, *, start: date, end: date) -> dict:
    """How many people of each target group used something from the package from `start`
    to `end` (both days included): distinct people who hold the group's tag, fall in the
    package's age band (their age on `end`) and home region, and made a request for one of
    its items, attended or had a confirmed place at an activity of one of its kinds, or
    had a confirmed booking of one of its spaces. `total` counts each person once.
    A constant number of queries: the entries, then one per answer."""
    groups = list(package.target_groups)
    answer = {"total": 0, "groups": dict.fromkeys(groups, 0)}
    by_kind: dict[str, list[str]] = {}
    for kind, reference in package.entries.values_list("kind", "reference"):
        by_kind.setdefault(kind, []).append(reference)
    used = Q(pk__in=[])
    for kind, references in by_kind.items():
        found = source(kind)
        if found is not None:
            used |= Q(pk__in=found.users(references, _moment(start), _moment(end + timedelta(1))))
    people = get_user_model().objects.filter(used)
    if package.min_age is not None:
        people = people.filter(birth_date__lte=_years_before(end, package.min_age))
    if package.max_age is not None:
        people = people.filter(birth_date__gt=_years_before(end, package.max_age + 1))
    if package.home_region_id is not None:
        people = people.filter(home_region__path__startswith=package.home_region.path)
    rows = (
        PersonTag.objects.filter(tag__in=groups, person__in=people.values("pk"))
        .values("tag")
        .annotate(n=Count("person", distinct=True))
    )
    for row in rows:
        answer["groups"][row["tag"]] = row["n"]
    answer["total"] = (
        PersonTag.objects.filter(tag__in=groups, person__in=people.values("pk"))
        .values("person")
        .distinct()
        .count()
    )
    return answer


def group_choices() -> list[tuple[str, str]]:
    """The group tags a package may aim at, with their names."""
    return [(value, str(label)) for value, label in PersonTag.Tag.choices]
