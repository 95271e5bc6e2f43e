"""Writes of the registry of regions, centers, spaces and kinds of space."""

import re
import uuid
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from dangqun.core import audit, hours
from dangqun.core.errors import ValidationFailed
from dangqun.core.geo import check_in_area, parse_coordinate
from dangqun.core.photos import checked_photo
from dangqun.core.text import clean_text

from .models import Region, ServiceCenter, Space, SpaceKind

# Which levels may sit under which: the administrative tree of a district.
_CHILD_LEVELS = {
    None: {Region.Level.DISTRICT},
    Region.Level.DISTRICT: {Region.Level.STREET, Region.Level.TOWN},
    Region.Level.STREET: {Region.Level.VILLAGE, Region.Level.COMMUNITY},
    Region.Level.TOWN: {Region.Level.VILLAGE, Region.Level.COMMUNITY},
}


@transaction.atomic
def region_create(
    *, actor, name: str, level: str, parent: Region | None = None, name_en: str = ""
) -> Region:
    name = _required_text(name, field="name", max_length=100)
    if level not in _CHILD_LEVELS.get(parent.level if parent else None, set()):
        raise ValidationFailed(
            _("This level cannot sit under the chosen parent region."), field="level"
        )
    if Region.objects.filter(parent=parent, name=name).exists():
        raise ValidationFailed(_("A region of this name exists here already."), field="name")
    name_en = _optional_text(name_en, field="name_en", max_length=100)
    region = Region.objects.create(name=name, name_en=name_en, level=level, parent=parent)
    region.path = f"{parent.path if parent else '/'}{region.pk}/"
    region.save(update_fields=["path"])
    audit.record(actor, "region.create", region, {"name": name, "level": level})
    return region


# The one text rule (core.text): no control characters or broken characters, NFC, trimmed;
# a name of spaces or zero-width characters alone is blank; too long is refused, never cut.
def _required_text(value, *, field: str, max_length: int) -> str:
    return clean_text(value, field=field, max_length=max_length, required=True)


def _optional_text(value, *, field: str, max_length: int, multiline: bool = False) -> str:
    return clean_text(value, field=field, max_length=max_length, multiline=multiline)


DESCRIPTION_MAX_LENGTH = 10_000
PHONE_MAX_LENGTH = 30
# A mainland mobile number, or a landline with its area code (010 and 02x: 8 digits after;
# the other codes of four digits: 7 or 8), written with spaces, dashes or parentheses,
# optionally after +86 and before an extension ("转 123", "ext. 123", "x123", or "-123" after
# a landline).
_MOBILE = r"1[3-9]\d{9}"
_LANDLINE = r"0(?:10|2\d)\d{8}|0[3-9]\d{2}\d{7,8}"
_NUMBER = re.compile(rf"(?:\+86|0086)?(?:{_MOBILE}|{_LANDLINE})")
_LANDLINE_ONLY = re.compile(rf"(?:\+86|0086)?(?:{_LANDLINE})")
_WRITTEN = re.compile(r"[\d\s()\-+]+")
_EXTENSION = re.compile(r"(?P<main>.+?)\s*(?:转|分机|ext\.?|x|#)\s*(?P<ext>\d{1,6})", re.I)
_DASH_EXTENSION = re.compile(r"(?P<main>.+?)\s*-\s*(?P<ext>\d{1,6})")


def _digits(written: str) -> str:
    return re.sub(r"[\s()\-]", "", written) if _WRITTEN.fullmatch(written) else ""


def clean_phone(value, *, field: str = "phone") -> str:
    """A center's phone as typed (trimmed, spaces collapsed), or ValidationFailed: a mobile
    or a landline with its area code, optionally with an extension; never cut."""
    text = " ".join(_optional_text(value, field=field, max_length=200).split())
    if not text:
        return ""
    named = _EXTENSION.fullmatch(text)
    dashed = _DASH_EXTENSION.fullmatch(text)
    valid = (
        _NUMBER.fullmatch(_digits(text))
        or (named and _NUMBER.fullmatch(_digits(named["main"])))
        or (dashed and _LANDLINE_ONLY.fullmatch(_digits(dashed["main"])))
    )
    if not valid:
        raise ValidationFailed(
            _(
                "Enter a phone number: a mobile number of 11 digits, or a landline with its "
                "area code (like 0571-88888888), optionally with an extension (转 123)."
            ),
            field=field,
        )
    if len(text) > PHONE_MAX_LENGTH:
        raise ValidationFailed(
            _("At most %(n)d characters.") % {"n": PHONE_MAX_LENGTH}, field=field
        )
    return text


def _place(data: dict) -> dict:
    """Latitude and longitude, each a number, together within the district's area (or
    China's box when the district's is not configured)."""
    latitude = parse_coordinate(data.get("latitude"), kind="latitude", field="latitude")
    longitude = parse_coordinate(data.get("longitude"), kind="longitude", field="longitude")
    check_in_area(latitude, longitude, field="latitude", lng_field="longitude")
    return {"latitude": latitude, "longitude": longitude}


def _optional_decimal(value, *, field: str, maximum: Decimal) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or number <= 0 or number > maximum:
        raise ValidationFailed(_("Enter a positive number."), field=field)
    return number


def _optional_capacity(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 1 or number > 100000:
        raise ValidationFailed(_("Enter a whole number of people, at least 1."), field="capacity")
    return number


# The fields a center's form and API carry, each with its cleaning rule.
def _clean_center(data: dict) -> dict:
    clean = {
        "name": _required_text(data.get("name"), field="name", max_length=120),
        "name_en": _optional_text(data.get("name_en"), field="name_en", max_length=120),
        "address": _required_text(data.get("address"), field="address", max_length=200),
        **_place(data),
        "phone": clean_phone(data.get("phone")),
        "brand": _optional_text(data.get("brand"), field="brand", max_length=100),
        "description": _optional_text(
            data.get("description"),
            field="description",
            max_length=DESCRIPTION_MAX_LENGTH,
            multiline=True,
        ),
        "is_integrated": bool(data.get("is_integrated")),
        "area_m2": _optional_decimal(
            data.get("area_m2"), field="area_m2", maximum=Decimal("9999999")
        ),
        "opening_hours": hours.normalize_week(
            data.get("opening_hours") or hours.default_week(), field="opening_hours"
        ),
    }
    if data.get("opened_on"):
        clean["opened_on"] = data["opened_on"]
    return clean


# Web-address names made from an English name (up to 120 characters) are cut to fit their
# column with room for a "-2" suffix; they are derived, not typed text.
SLUG_BASE_LENGTH = ServiceCenter._meta.get_field("slug").max_length - 8
KIND_CODE_LENGTH = SpaceKind._meta.get_field("code").max_length


def _slug_of(text: str, length: int) -> str:
    return slugify(text)[:length].strip("-")


def _unique_slug(name: str, wanted: str = "") -> str:
    base = _slug_of(wanted or name, SLUG_BASE_LENGTH) or "center"
    slug, n = base, 1
    while ServiceCenter.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def center_create(*, actor, region: Region, data: dict, slug: str = "") -> ServiceCenter:
    clean = _clean_center(data)
    center = ServiceCenter.objects.create(
        region=region, slug=_unique_slug(clean["name_en"] or f"center-{region.pk}", slug), **clean
    )
    audit.record(actor, "center.create", center, {"name": center.name})
    return center


@transaction.atomic
def center_update(*, actor, center: ServiceCenter, data: dict) -> ServiceCenter:
    clean = _clean_center(data)
    changed = {k: str(v) for k, v in clean.items() if getattr(center, k) != v}
    for key, value in clean.items():
        setattr(center, key, value)
    center.save()
    audit.record(actor, "center.update", center, {"changed": sorted(changed)})
    return center


def _clean_space(center: ServiceCenter, data: dict, *, exclude_pk=None) -> dict:
    name = _required_text(data.get("name"), field="name", max_length=120)
    if center.spaces.filter(name=name).exclude(pk=exclude_pk).exists():
        raise ValidationFailed(_("This center has a space of this name already."), field="name")
    kind = data.get("kind")
    if not isinstance(kind, SpaceKind):
        kind = SpaceKind.objects.filter(code=str(kind or "")).first()
        if kind is None:
            raise ValidationFailed(_("Choose a kind of space from the list."), field="kind")
    own_hours = data.get("opening_hours")
    return {
        "name": name,
        "name_en": _optional_text(data.get("name_en"), field="name_en", max_length=120),
        "kind": kind,
        "area_m2": _optional_decimal(
            data.get("area_m2"), field="area_m2", maximum=Decimal("999999")
        ),
        "capacity": _optional_capacity(data.get("capacity")),
        "opening_hours": hours.normalize_week(own_hours) if own_hours else None,
        "is_bookable": bool(data.get("is_bookable")),
        "description": _optional_text(
            data.get("description"),
            field="description",
            max_length=DESCRIPTION_MAX_LENGTH,
            multiline=True,
        ),
    }


@transaction.atomic
def space_create(*, actor, center: ServiceCenter, data: dict) -> Space:
    space = Space.objects.create(center=center, **_clean_space(center, data))
    audit.record(actor, "space.create", space, {"name": space.name})
    return space


@transaction.atomic
def space_update(*, actor, space: Space, data: dict) -> Space:
    for key, value in _clean_space(space.center, data, exclude_pk=space.pk).items():
        setattr(space, key, value)
    space.save()
    audit.record(actor, "space.update", space, {"name": space.name})
    return space


def _store_photo(obj, upload, *, actor, action: str):
    extension, content = checked_photo(upload)
    # A random name: the uploader's file name may carry personal details.
    obj.photo.save(f"{uuid.uuid4().hex}.{extension}", content, save=True)
    audit.record(actor, action, obj, {})
    return obj


@transaction.atomic
def center_set_photo(*, actor, center: ServiceCenter, upload) -> ServiceCenter:
    return _store_photo(center, upload, actor=actor, action="center.set_photo")


@transaction.atomic
def space_set_photo(*, actor, space: Space, upload) -> Space:
    return _store_photo(space, upload, actor=actor, action="space.set_photo")


@transaction.atomic
def space_kind_create(*, actor, name: str, name_en: str = "", code: str = "") -> SpaceKind:
    name = _required_text(name, field="name", max_length=60)
    code = _slug_of(code or name_en, KIND_CODE_LENGTH) or f"kind-{SpaceKind.objects.count() + 1}"
    if SpaceKind.objects.filter(code=code).exists() or SpaceKind.objects.filter(name=name).exists():
        raise ValidationFailed(_("This kind of space exists already."), field="name")
    name_en = _optional_text(name_en, field="name_en", max_length=60)
    kind = SpaceKind.objects.create(code=code, name=name, name_en=name_en)
    audit.record(actor, "space_kind.create", kind, {"name": name})
    return kind
