"""Writes of the catalogue: add a service item with its typed extra fields, change it, stop
or restart offering it. The staff pages and the staff API call these same functions
(re-exported by services.py).

Changing an item never breaks the requests made for it: a request keeps its own copy of
the unit, the due date and the values it was given, and the extra fields those values
answer stay readable: a field that requests answered keeps its code and type and cannot
be removed, and an option that requests chose cannot be dropped."""

from django.db import transaction
from django.utils.translation import gettext as _

from dangqun.core import audit
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.text import clean_text
from dangqun.partners.selectors import partnership_for
from dangqun.people import access
from dangqun.places import selectors as places
from dangqun.places.models import Region, ServiceCenter

from . import selectors
from .models import Kind, ServiceField, ServiceItem, ServiceRequest

MAX_TEXT = 2000
MAX_FIELDS = 30
MAX_CHOICES = 50


def may_edit_item(user, item: ServiceItem) -> bool:
    """The one rule of who changes a catalogue item and stops or restarts offering it: the
    staff of the item's center (and above); an item of a street or of the district, only
    the admins of that region (and above). The pages ask it to show their links; the
    pages, the API and the services below refuse with it."""
    roles = access.MANAGERS if item.center_id else access.ADMINS
    return access.covers(user, item.owner_region, roles=roles)


def item_for_edit(user, *, code: str) -> ServiceItem:
    """The item with this code, if this user may change it; NotFound otherwise (the same
    answer as for a missing item)."""
    item = selectors.items_for_staff(user).filter(code=str(code)[:60]).first()
    if item is None or not may_edit_item(user, item):
        raise NotFound()
    return item


def _is_code(code: str) -> bool:
    return code.isascii() and code.replace("_", "").replace("-", "").isalnum()


def _clean_field_definitions(fields) -> list[dict]:
    """The extra fields, checked; an error names the row and its field
    (`fields.<n>.<name>`, n counted from 0 in the order given)."""
    fields = list(fields or [])
    if len(fields) > MAX_FIELDS:
        raise ValidationFailed(_("At most %(n)d extra fields.") % {"n": MAX_FIELDS}, field="fields")
    cleaned, seen = [], set()
    for n, spec in enumerate(fields):
        at = f"fields.{n}."
        code = clean_text(spec.get("code"), field=at + "code", max_length=40, required=True)
        if not _is_code(code):
            raise ValidationFailed(
                _("Use letters, digits, - and _ only (no spaces)."), field=at + "code"
            )
        if code in seen:
            raise ValidationFailed(_("Each field needs its own short code."), field=at + "code")
        seen.add(code)
        datatype = spec.get("datatype")
        if datatype not in ServiceField.Datatype.values:
            raise ValidationFailed(_("Unknown field type."), field=at + "datatype")
        choices = spec.get("choices") or [] if datatype == ServiceField.Datatype.CHOICE else []
        if datatype == ServiceField.Datatype.CHOICE and not choices:
            raise ValidationFailed(_("A choice field needs its options."), field=at + "choices")
        if len(choices) > MAX_CHOICES:
            raise ValidationFailed(
                _("At most %(n)d options.") % {"n": MAX_CHOICES}, field=at + "choices"
            )
        options, keys = [], set()
        for choice in choices:
            key = clean_text(choice.get("key"), field=at + "choices", max_length=40, required=True)
            if key in keys:
                raise ValidationFailed(
                    _("Each option needs its own key: “%(key)s” is given twice.") % {"key": key},
                    field=at + "choices",
                )
            keys.add(key)
            name = clean_text(choice.get("name"), field=at + "choices", max_length=120) or key
            options.append({"key": key, "name": name})
        order = spec.get("order")
        cleaned.append(
            {
                "code": code,
                "label": clean_text(
                    spec.get("label"), field=at + "label", max_length=120, required=True
                ),
                "datatype": datatype,
                "required": bool(spec.get("required")),
                "choices": options,
                "help_text": clean_text(
                    spec.get("help_text"), field=at + "help_text", max_length=200
                ),
                "order": order if isinstance(order, int) and 0 <= order <= 32767 else n,
            }
        )
    return cleaned


def _clean_item(
    *,
    name,
    name_en,
    kind,
    unit,
    staff_group,
    description,
    materials,
    online,
    counter,
    time_limit_days,
    location_required,
) -> dict:
    if kind not in Kind.values:
        raise ValidationFailed(_("Choose one of the five kinds of service."), field="kind")
    if not online and not counter:
        raise ValidationFailed(_("Offer it online, at the counter or both."), field="online")
    if (
        isinstance(time_limit_days, bool)
        or not isinstance(time_limit_days, int)
        or not 1 <= time_limit_days <= 365
    ):
        raise ValidationFailed(
            _("The time limit is 1 to 365 working days."), field="time_limit_days"
        )
    return {
        "name": clean_text(name, field="name", max_length=120, required=True),
        "name_en": clean_text(name_en, field="name_en", max_length=120),
        "kind": kind,
        "unit": clean_text(unit, field="unit", max_length=80, required=True),
        "staff_group": clean_text(staff_group, field="staff_group", max_length=80),
        "description": clean_text(
            description, field="description", max_length=MAX_TEXT, multiline=True
        ),
        "materials": clean_text(materials, field="materials", max_length=MAX_TEXT, multiline=True),
        "online": bool(online),
        "counter": bool(counter),
        "time_limit_days": time_limit_days,
        "location_required": bool(location_required),
    }


def item_centers(center: ServiceCenter | None, region: Region | None):
    """The centers offering an item: its own, or every center within its region."""
    return [center] if center is not None else places.centers_within(region)


@transaction.atomic
def item_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    unit: str,
    center: ServiceCenter | None = None,
    region: Region | None = None,
    name_en: str = "",
    staff_group: str = "",
    description: str = "",
    materials: str = "",
    online: bool = True,
    counter: bool = True,
    time_limit_days: int = 5,
    location_required: bool = False,
    fields=(),
    partner=None,
    sub_brand=None,
) -> ServiceItem:
    """A catalogue entry of one center, or of a street or the district (then every center
    inside offers it)."""
    if (center is None) == (region is None):
        raise ValidationFailed(_("Give either a center or a region."), field="center")
    owner = center.region if center is not None else region
    if not access.covers(actor, owner, roles=access.MANAGERS):
        raise NotFound()
    if region is not None and not access.covers(actor, region, roles=access.ADMINS):
        raise NotFound()
    code = clean_text(code, field="code", max_length=60, required=True)
    if not _is_code(code):
        raise ValidationFailed(_("Use letters, digits, - and _ only (no spaces)."), field="code")
    data = _clean_item(
        name=name,
        name_en=name_en,
        kind=kind,
        unit=unit,
        staff_group=staff_group,
        description=description,
        materials=materials,
        online=online,
        counter=counter,
        time_limit_days=time_limit_days,
        location_required=location_required,
    )
    data["partner"], data["sub_brand"] = partnership_for(
        item_centers(center, region), partner=partner, sub_brand=sub_brand
    )
    definitions = _clean_field_definitions(fields)
    if ServiceItem.objects.filter(code=code).exists():
        raise ValidationFailed(_("This code is in use already."), field="code")
    item = ServiceItem.objects.create(
        code=code, center=center, region=region, owner_region=owner, **data
    )
    ServiceField.objects.bulk_create(ServiceField(item=item, **spec) for spec in definitions)
    audit.record(actor, "intake.item_create", item, {"code": code})
    return item


def _answered(item: ServiceItem) -> dict[str, set]:
    """For each field code, the values the item's requests gave it (as text)."""
    answered: dict[str, set] = {}
    for values in ServiceRequest.objects.filter(item=item).values_list("values", flat=True):
        for code, value in (values or {}).items():
            answered.setdefault(code, set()).add(str(value))
    return answered


@transaction.atomic
def item_update(
    *,
    actor,
    item: ServiceItem,
    name: str,
    kind: str,
    unit: str,
    name_en: str = "",
    staff_group: str = "",
    description: str = "",
    materials: str = "",
    online: bool = True,
    counter: bool = True,
    time_limit_days: int = 5,
    location_required: bool = False,
    fields=(),
    partner=None,
    sub_brand=None,
) -> ServiceItem:
    """Change an item and its extra fields (given in full: a field left out is removed).
    The code and the owner stay. Requests made already keep what they were given; a field
    they answered keeps its code and type, and an option they chose stays."""
    if not may_edit_item(actor, item):
        raise NotFound()
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    data = _clean_item(
        name=name,
        name_en=name_en,
        kind=kind,
        unit=unit,
        staff_group=staff_group,
        description=description,
        materials=materials,
        online=online,
        counter=counter,
        time_limit_days=time_limit_days,
        location_required=location_required,
    )
    data["partner"], data["sub_brand"] = partnership_for(
        item_centers(item.center, item.region),
        partner=partner,
        sub_brand=sub_brand,
        kept=(item.partner, item.sub_brand),
    )
    definitions = _clean_field_definitions(fields)
    existing = {f.code: f for f in item.fields.all()}
    answered = _answered(item) if existing else {}
    given = {spec["code"]: n for n, spec in enumerate(definitions)}
    for code, field in existing.items():
        if code in answered and code not in given:
            raise ValidationFailed(
                _("Requests answered “%(label)s”: it cannot be removed. Make it optional instead.")
                % {"label": field.label},
                field="fields",
            )
    for n, spec in enumerate(definitions):
        field = existing.get(spec["code"])
        if field is None or spec["code"] not in answered:
            continue
        if spec["datatype"] != field.datatype:
            raise ValidationFailed(
                _("Requests answered this field: its type cannot change."),
                field=f"fields.{n}.datatype",
            )
        if field.datatype == ServiceField.Datatype.CHOICE:
            kept = {c["key"] for c in spec["choices"]}
            dropped = sorted(answered[spec["code"]] - kept)
            if dropped:
                raise ValidationFailed(
                    _("Requests chose “%(key)s”: keep this option.") % {"key": dropped[0]},
                    field=f"fields.{n}.choices",
                )
    before = {
        "fields": sorted(existing),
        **{key: getattr(item, key) for key in ("name", "unit", "time_limit_days")},
    }
    for key, value in data.items():
        setattr(item, key, value)
    item.save()
    ServiceField.objects.filter(item=item).exclude(code__in=list(given)).delete()
    for spec in definitions:
        field = existing.get(spec["code"])
        if field is None:
            ServiceField.objects.create(item=item, **spec)
        else:
            for key, value in spec.items():
                setattr(field, key, value)
            field.save()
    audit.record(actor, "intake.item_update", item, {"before": before, "fields": sorted(given)})
    return item


@transaction.atomic
def item_set_active(*, actor, item: ServiceItem, active: bool) -> ServiceItem:
    """Offer an item again, or stop offering it (requests made for it stay)."""
    if not may_edit_item(actor, item):
        raise NotFound()
    item.is_active = active
    item.save(update_fields=["is_active"])
    audit.record(actor, "intake.item_active", item, {"active": active})
    return item
