"""The one rule for text that people type: checked once, where it enters (services, forms,
API schemas), so that whatever is stored can always be shown, exported and sent.

Refused: lone UTF-16 surrogates (no database or file format can hold them) and control
characters (openpyxl, XML and SMS gateways refuse them), except tab and newline in
multi-line text. Kept text is NFC-normalised and trimmed; Windows line ends become "\\n"."""

import unicodedata

from django.utils.translation import gettext_lazy as _

from .errors import ValidationFailed

_ALLOWED_IN_MULTILINE = frozenset("\t\n")
# Characters that show nothing and do not make a text non-blank: the format characters
# (category Cf: zero-width space and joiners, BOM, direction marks, soft hyphen) and the
# fillers that render empty (Hangul fillers, the blank Braille pattern).
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u115f\u1160\u3164\uffa0\u2800"
BROKEN_CHARACTER = _("This text contains a broken character; please type it again.")
CONTROL_CHARACTER = _("This text contains a control character that cannot be stored.")


def problem(text: str, *, multiline: bool = False):
    """Why this text cannot be stored, or None when it can."""
    for char in text:
        if "\ud800" <= char <= "\udfff":
            return BROKEN_CHARACTER
        if unicodedata.category(char) == "Cc" and not (multiline and char in _ALLOWED_IN_MULTILINE):
            return CONTROL_CHARACTER
    return None


def normalise(value, *, multiline: bool = False) -> str:
    """NFC, trimmed, line ends unified; no check (see `problem`)."""
    text = "" if value is None else str(value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).strip()


def is_blank(text: str) -> bool:
    return all(
        char.isspace() or char in _INVISIBLE or unicodedata.category(char) == "Cf" for char in text
    )


def clean_text(
    value,
    *,
    field: str,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
    message=None,
) -> str:
    """The text as stored, or ValidationFailed naming the field."""
    text = normalise(value, multiline=multiline)
    why = problem(text, multiline=multiline)
    if why:
        raise ValidationFailed(why, field=field)
    if is_blank(text):
        if required:
            raise ValidationFailed(message or _("This field is required."), field=field)
        return ""
    if len(text) > max_length:
        raise ValidationFailed(_("At most %(n)d characters.") % {"n": max_length}, field=field)
    return text
