"""Writes of service packages (服务包): staff of a region make a package for target groups
(at least one group tag; an age band and a home region narrow it), put service items,
activities of a kind and spaces in it, change it and archive it. Every write is audited;
a refusal names its field."""

from django.db import transaction
from django.utils.translation import gettext as _

from dangqun.core import audit
from dangqun.core.errors import ValidationFailed
from dangqun.core.text import clean_text
from dangqun.people import access
from dangqun.people.models import PersonTag

from .models import PackageEntry, ServicePackage
from .package_sources import source

MAX_ENTRIES = 60
MAX_AGE = 150


def _groups(target_groups) -> list[str]:
    if isinstance(target_groups, str) or not isinstance(target_groups, list | tuple | set):
        raise ValidationFailed(_("Choose the groups from the list."), field="target_groups")
    groups = []
    for tag in target_groups:
        if not isinstance(tag, str) or tag not in PersonTag.Tag.values:
            raise ValidationFailed(_("Choose the groups from the list."), field="target_groups")
        if tag not in groups:
            groups.append(tag)
    if not groups:
        raise ValidationFailed(
            _("A package needs at least one target group."), field="target_groups"
        )
    return groups


def _age(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AGE:
        raise ValidationFailed(_("Enter an age from 0 to %(n)d.") % {"n": MAX_AGE}, field=field)
    return value


def _entries(entries, region) -> list[tuple[str, str]]:
    """[(kind, reference)] checked by the app that holds each thing (it exists and a
    package of `region` may hold it); an error names the entry (`entries.<n>.kind` /
    `entries.<n>.reference`, n counted from 0)."""
    entries = list(entries or [])
    if len(entries) > MAX_ENTRIES:
        raise ValidationFailed(
            _("At most %(n)d things in a package.") % {"n": MAX_ENTRIES}, field="entries"
        )
    cleaned = []
    for n, entry in enumerate(entries):
        kind, reference = (
            (entry.get("kind"), entry.get("reference")) if isinstance(entry, dict) else entry
        )
        found = source(kind) if kind in PackageEntry.Kind.values else None
        if found is None:
            raise ValidationFailed(_("Choose the kind from the list."), field=f"entries.{n}.kind")
        reference = clean_text(
            reference if reference is None or isinstance(reference, str) else str(reference),
            field=f"entries.{n}.reference",
            max_length=60,
            required=True,
        )
        checked = found.check(reference, region)
        if checked is None:
            raise ValidationFailed(
                _(
                    "There is no such thing in the package's region to put in it: choose "
                    "from the list."
                ),
                field=f"entries.{n}.reference",
            )
        if (kind, checked) not in cleaned:
            cleaned.append((kind, checked))
    return cleaned


def _clean(
    *, region, name, name_en, description, target_groups, min_age, max_age, home_region, entries
) -> tuple[dict, list]:
    data = {
        "name": clean_text(name, field="name", max_length=120, required=True),
        "name_en": clean_text(name_en, field="name_en", max_length=120),
        "description": clean_text(
            description, field="description", max_length=2000, multiline=True
        ),
        "target_groups": _groups(target_groups),
        "min_age": _age(min_age, "min_age"),
        "max_age": _age(max_age, "max_age"),
        "home_region": home_region,
    }
    if (
        data["min_age"] is not None
        and data["max_age"] is not None
        and data["max_age"] < data["min_age"]
    ):
        raise ValidationFailed(_("The maximum age is below the minimum age."), field="max_age")
    if home_region is not None and not home_region.path.startswith(region.path):
        raise ValidationFailed(
            _("Choose a home region within the package's region."), field="home_region"
        )
    return data, _entries(entries, region)


def _save_entries(package: ServicePackage, entries: list[tuple[str, str]]) -> None:
    package.entries.all().delete()
    PackageEntry.objects.bulk_create(
        PackageEntry(package=package, kind=kind, reference=reference, order=n)
        for n, (kind, reference) in enumerate(entries)
    )


def _summary(package: ServicePackage, entries) -> dict:
    return {
        "name": package.name,
        "target_groups": package.target_groups,
        "min_age": package.min_age,
        "max_age": package.max_age,
        "home_region": package.home_region_id,
        "entries": [f"{kind}:{reference}" for kind, reference in entries],
    }


@transaction.atomic
def package_create(
    *,
    actor,
    region,
    name: str,
    target_groups,
    name_en: str = "",
    description: str = "",
    min_age: int | None = None,
    max_age: int | None = None,
    home_region=None,
    entries=(),
) -> ServicePackage:
    """A package of `region` (a street or the district), by the staff of that region."""
    if region is None:
        raise ValidationFailed(_("Choose the region of the package."), field="region")
    access.require(actor, access.MANAGERS, region)
    data, cleaned = _clean(
        region=region,
        name=name,
        name_en=name_en,
        description=description,
        target_groups=target_groups,
        min_age=min_age,
        max_age=max_age,
        home_region=home_region,
        entries=entries,
    )
    package = ServicePackage.objects.create(region=region, created_by=actor, **data)
    _save_entries(package, cleaned)
    audit.record(actor, "service_package.create", package, _summary(package, cleaned))
    return package


@transaction.atomic
def package_update(
    *,
    actor,
    package: ServicePackage,
    name: str,
    target_groups,
    name_en: str = "",
    description: str = "",
    min_age: int | None = None,
    max_age: int | None = None,
    home_region=None,
    entries=(),
) -> ServicePackage:
    """Change everything but the region; the entries given replace the package's."""
    access.require(actor, access.MANAGERS, package)
    data, cleaned = _clean(
        region=package.region,
        name=name,
        name_en=name_en,
        description=description,
        target_groups=target_groups,
        min_age=min_age,
        max_age=max_age,
        home_region=home_region,
        entries=entries,
    )
    for key, value in data.items():
        setattr(package, key, value)
    package.save()
    _save_entries(package, cleaned)
    audit.record(actor, "service_package.update", package, _summary(package, cleaned))
    return package


@transaction.atomic
def package_archive(*, actor, package: ServicePackage, archived: bool = True) -> ServicePackage:
    """Stop offering a package (it leaves the public lists; its figures stay), or offer it
    again."""
    access.require(actor, access.MANAGERS, package)
    status = ServicePackage.Status.ARCHIVED if archived else ServicePackage.Status.ACTIVE
    if package.status != status:
        package.status = status
        package.save(update_fields=["status"])
        audit.record(actor, "service_package.archive", package, {"status": status})
    return package
