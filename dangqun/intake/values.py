"""The extra fields of a request: each item says which it carries and of what type; the
values a request brings are checked and normalised here (for pages, the API and Open311)."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from dangqun.core.errors import ValidationFailed
from dangqun.core.schemas import FIRST_DAY, LAST_DAY
from dangqun.core.text import clean_text

from .models import ServiceField, ServiceItem

Datatype = ServiceField.Datatype
MAX_TEXT = 500
TRUE_WORDS = {"true", "1", "yes", "on", "y", "是"}
FALSE_WORDS = {"false", "0", "no", "off", "n", "否"}


def choice_keys(field: ServiceField) -> list[str]:
    return [str(choice.get("key")) for choice in field.choices or []]


def _clean_one(field: ServiceField, raw):
    code = field.code
    if field.datatype == Datatype.BOOL:
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationFailed(_("Answer yes or no."), field=code)
    if isinstance(raw, (dict, list)):
        raise ValidationFailed(_("Give a single value."), field=code)
    text = clean_text(raw, field=code, max_length=MAX_TEXT)
    if field.datatype == Datatype.TEXT:
        return text
    if field.datatype == Datatype.NUMBER:
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or abs(number) >= 10**12:
            raise ValidationFailed(_("Give a number."), field=code)
        return int(number) if number == number.to_integral_value() else str(number)
    if field.datatype == Datatype.DATE:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValidationFailed(_("Give a date as YYYY-MM-DD."), field=code) from None
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationFailed(
                _("Enter a date from %(first)s to %(last)s.")
                % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
                field=code,
            )
        return day.isoformat()
    if field.datatype == Datatype.CHOICE:
        if text not in choice_keys(field):
            raise ValidationFailed(_("Choose one of the options offered."), field=code)
        return text
    raise ValidationFailed(_("Unknown field type."), field=code)  # pragma: no cover


def _is_empty(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def clean_values(item: ServiceItem, values: dict | None, fields=None) -> dict:
    """The values the item's fields take, normalised; a clear error on the first field
    that is missing or wrong. Keys the item does not know are refused, not dropped."""
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise ValidationFailed(_("The details must be a set of named values."), field="values")
    fields = list(fields if fields is not None else item.fields.all())
    known = {field.code for field in fields}
    for key in values:
        if key not in known:
            raise ValidationFailed(_("This service has no such detail."), field=str(key)[:40])
    cleaned = {}
    for field in fields:
        raw = values.get(field.code)
        if _is_empty(raw):
            if field.required:
                raise ValidationFailed(_("This detail is required."), field=field.code)
            continue
        cleaned[field.code] = _clean_one(field, raw)
    return cleaned


def shown_value(field: ServiceField, value) -> str:
    """A stored value as a person reads it."""
    if value is None or value == "":
        return ""
    if field.datatype == Datatype.BOOL:
        return str(_("Yes") if value else _("No"))
    if field.datatype == Datatype.CHOICE:
        for choice in field.choices or []:
            if str(choice.get("key")) == str(value):
                return str(choice.get("name") or value)
    return str(value)
