"""Reading what a page says about a posted form (the markup of includes/field.html and
includes/form_errors.html)."""

import re


def field_error(page: str, field: str) -> str:
    """The error shown beside a field ('' when there is none)."""
    found = re.search(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', page)
    return found.group(1) if found else ""


def error_box(page: str) -> str:
    """What the error box above the form says ('' when there is none)."""
    found = re.search(r'<div class="error-box" role="alert">(.*?)</div>', page, re.S)
    return found.group(1) if found else ""
