"""Whole numbers typed into a form or sent to the API: one rule for "a number from low to
high", and a message naming the field (a 30-digit number or a word is refused the same way)."""

from django.utils.translation import gettext as _

from .errors import ValidationFailed


def whole_number(value, *, field: str, low: int, high: int, message=None) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        number = low - 1
    if isinstance(value, bool) or not low <= number <= high:
        raise ValidationFailed(
            message
            or _("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high},
            field=field,
        )
    return number
