"""Chinese personal identifiers: mainland mobile numbers and resident ID numbers
(GB 11643-1999), their validation and their masked display."""

import re
import unicodedata
from datetime import date

from django.utils.translation import gettext_lazy as _

from dangqun.core.errors import ValidationFailed

# Mainland mobile numbers: 11 digits starting 13-19 (an optional +86 / 86 prefix is dropped).
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def mobile_digits(value: str) -> str:
    """A mobile number as typed (`139 0013 9000`, `139-0013-9000`, `+86 139…`, full-width
    digits) without its spaces, dashes, brackets and country code; not yet checked. The one
    normalising step of every look-up by mobile number, whole or in part."""
    # NFKC turns full-width input (１３８…, ＋８６) into ASCII; other digits are refused.
    digits = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", str(value or "")))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def normalize_mobile(value: str, *, field: str = "mobile") -> str:
    digits = mobile_digits(value)
    if not _MOBILE.match(digits):
        raise ValidationFailed(
            _("Enter a mainland mobile number of 11 digits, starting with 13 to 19."),
            field=field,
        )
    return digits


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalize_resident_id(value: str, *, field: str = "resident_id") -> str:
    """Check an 18-character resident ID number: format, birth date and check digit."""
    number = unicodedata.normalize("NFKC", str(value or "")).strip().upper().replace(" ", "")
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise ValidationFailed(
            _("A resident ID number has 18 characters: 17 digits and a digit or X."), field=field
        )
    if birth_date_from_id(number) is None:
        raise ValidationFailed(
            _("The birth date inside this ID number is not a real date."), field=field
        )
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationFailed(
            _("This ID number's check digit is wrong: please check each digit."), field=field
        )
    return number


def birth_date_from_id(number: str) -> date | None:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    return born if date(1900, 1, 1) <= born <= date.today() else None


def mask_mobile(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}" if mobile and len(mobile) == 11 else "****"


def mask_resident_id(number: str) -> str:
    """First six (the region of issue) and last four, as staff may see it."""
    return f"{number[:6]}{'*' * 8}{number[-4:]}" if number else ""


def mask_name(name: str) -> str:
    """王小明 -> 王**: enough for a door check, not enough to identify."""
    return f"{name[0]}{'*' * (len(name) - 1)}" if name else ""
