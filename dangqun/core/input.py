"""The one boundary for what reaches the JSON API: the parser of the NinjaAPI.

Every body is parsed as JSON whatever its content type claims (so no check can be bypassed
with `text/plain`), must be a JSON object, and is walked once before any schema sees it:

- a string (or a key) holding a lone UTF-16 surrogate or a control character other than
  tab, newline and carriage return is refused (no database or file format holds them);
- a number outside the signed 64-bit range, or not finite, is refused (no column holds it).

Query strings (and the fields of a form body) get the same checks: a percent-encoded lone
surrogate (`%ED%A0%80`) is not UTF-8 and is refused, not replaced; a whole number of more
than 18 digits that would not fit in 64 bits is refused.

A refusal is a 400 `{"code", "message", "field"}` naming the field by its path
(`name`, `fields.2.label`); the per-field rules (lengths, ranges, NFC, trimming) belong to
the schemas' types (core/schemas.py)."""

import json
import math
import re
from urllib.parse import unquote_to_bytes

from django.utils.translation import gettext_lazy as _
from ninja.parser import Parser

from .errors import ValidationFailed
from .text import BROKEN_CHARACTER, problem

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
# Control characters (Unicode category Cc) other than tab, newline and carriage return,
# and the lone surrogates.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# A whole number that may not fit in 64 bits.
_LONG_INTEGER = re.compile(r"\s*[+-]?\d{19,}\s*")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BodyRefused(ValidationFailed):
    """The body as a whole cannot be read (not JSON, not an object)."""

    code = "malformed_body"


class OutOfRange(ValidationFailed):
    code = "out_of_range"


def out_of_range_message():
    return _("This number is out of range.")


def _shown(name: str) -> str:
    """A field name safe to send back (it may itself hold what was refused)."""
    return _UNSTORABLE.sub("\ufffd", name)


def _path(parts) -> str | None:
    return ".".join(_shown(str(p)) for p in parts) or None


def text_problem(text: str):
    """Why this text can never be stored (whatever field it is for), or None."""
    found = _UNSTORABLE.search(text)
    return problem(found.group(), multiline=True) if found else None


def _check_text(text: str, parts) -> None:
    why = text_problem(text)
    if why:
        raise ValidationFailed(why, field=_path(parts))


def _check_number(number, parts) -> None:
    if isinstance(number, bool):
        return
    if isinstance(number, int):
        fits = INT64_MIN <= number <= INT64_MAX
    else:
        fits = math.isfinite(number) and abs(number) <= INT64_MAX
    if not fits:
        raise OutOfRange(out_of_range_message(), field=_path(parts))


def check_value(value, path=()) -> None:
    """Walk a parsed JSON value (iteratively: no depth makes it fail) and refuse what can
    never be stored, naming the field."""
    stack = [(value, tuple(path))]
    while stack:
        item, parts = stack.pop()
        if isinstance(item, str):
            _check_text(item, parts)
        elif isinstance(item, int | float):
            _check_number(item, parts)
        elif isinstance(item, dict):
            for key, child in item.items():
                _check_text(key, (*parts, key))
                stack.append((child, (*parts, key)))
        elif isinstance(item, list):
            stack.extend((child, (*parts, index)) for index, child in enumerate(item))


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def _is_form(request) -> bool:
    content_type = (getattr(request, "content_type", "") or "").lower()
    return content_type.startswith(_FORM_TYPES)


def parse_json_body(raw: bytes, *, form: bool = False):
    """The body as JSON, or BodyRefused (a form body gets a message saying to send JSON)."""
    try:
        return json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        if form:
            message = _("Send the request body as JSON (Content-Type: application/json).")
            raise BodyRefused(message, field="body", code="unsupported_content_type") from None
        raise BodyRefused(_("The request body is not valid JSON."), field="body") from None


def _decoded(part: bytes, name: str) -> str:
    try:
        return unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        # A lone surrogate arrives percent-encoded as bytes that are not UTF-8.
        raise ValidationFailed(BROKEN_CHARACTER, field=_path([name])) from None


def check_query_string(raw) -> None:
    """Check a raw query string (as the client sent it) parameter by parameter."""
    if isinstance(raw, str):
        raw = raw.encode("latin-1", errors="replace")
    for pair in raw.split(b"&"):
        if not pair:
            continue
        key, _sep, value = pair.partition(b"=")
        name = unquote_to_bytes(key.replace(b"+", b" ")).decode("utf-8", errors="replace")
        for text in (_decoded(key, name), _decoded(value, name)):
            _check_text(text, [name])
        check_long_integer(_decoded(value, name), name)


def check_long_integer(text: str, name: str) -> None:
    """A parameter that is a whole number too large for 64 bits is refused."""
    if _LONG_INTEGER.fullmatch(text):
        digits = text.strip().lstrip("+-").lstrip("0")
        # Past 19 digits it cannot fit; Python would not even read 4,300 of them.
        _check_number(int(text) if len(digits) <= 20 else INT64_MAX + 1, [name])


def check_form(data) -> None:
    """The text fields of a form body (files are content, not text, and not looked at)."""
    for key, values in data.lists():
        _check_text(key, [key])
        for value in values:
            if isinstance(value, str):
                _check_text(value, [key])
                check_long_integer(value, key)


class CheckedParser(Parser):
    """The NinjaAPI's parser: JSON whatever the content type, an object, checked."""

    def parse_body(self, request):
        data = parse_json_body(request.body, form=_is_form(request))
        # Ninja parses each part of a mixed multipart body on its own (a request without
        # headers); only a whole body must be an object.
        if not isinstance(data, dict) and getattr(request, "META", None):
            raise BodyRefused(_("The request body must be a JSON object."), field="body")
        check_value(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        if data is getattr(request, "GET", None):
            check_query_string(request.META.get("QUERY_STRING", ""))
        elif data is not getattr(request, "FILES", None):
            check_form(data)
        return super().parse_querydict(data, list_fields, request)
