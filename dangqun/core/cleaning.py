"""Clean the rows stored before the one text rule (core.text) was enforced everywhere, so that
no list, export, feed or XML stays poisoned by one bad value.

Written once, called from a data migration of each app with that app's (model, fields):

    from dangqun.core import cleaning

    class Migration(migrations.Migration):
        dependencies = [("places", "0002_builtin_space_kinds")]
        operations = [cleaning.operation("places", {"ServiceCenter": ["name", "description"]})]

What it does, row by row, only where something changes (never deleting a row):
- text (CharField: one line; TextField: lines): control characters are removed, except tab
  and newline in multi-line text; line ends become "\\n"; the other breaks of a line (tab,
  newline, vertical tab, form feed, next line) become a space in one-line text; lone
  surrogates (and on SQLite, bytes that are not UTF-8) are removed;
- JSON (JSONField): every string in it, and every key, likewise (multi-line allowed);
- dates and times outside 1900-01-01..2100-12-31 are counted and printed, not changed: a
  person decides what they should have been.
"""

import datetime
import re
from contextlib import contextmanager

from django.db import migrations, models

FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)

_SURROGATES = re.compile("[\ud800-\udfff]")
# Breaks of a line: a space in one-line text, a newline (or a tab) kept in multi-line text.
_BREAKS = re.compile("[\t\n\x0b\x0c\x1c-\x1e\x85]")
_CONTROLS_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROLS_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str, *, multiline: bool) -> str:
    """The text without what can never be stored or shown; unchanged when nothing is wrong."""
    cleaned = _SURROGATES.sub("", text)
    if multiline:
        cleaned = cleaned.replace("\r\n", "\n").replace("\r", "\n")
        cleaned = cleaned.replace("\x0b", "\n").replace("\x0c", "\n").replace("\x85", "\n")
        return _CONTROLS_LINES.sub("", cleaned)
    cleaned = _BREAKS.sub(" ", cleaned.replace("\r\n", " ").replace("\r", " "))
    return _CONTROLS_ONE_LINE.sub("", cleaned)


def clean_json(value):
    """Every string (and key) of a JSON value cleaned as multi-line text."""
    if isinstance(value, str):
        return clean_text(value, multiline=True)
    if isinstance(value, list):
        return [clean_json(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(key, multiline=True): clean_json(item) for key, item in value.items()}
    return value


def _cleaner(field: models.Field):
    if isinstance(field, models.JSONField):
        return clean_json
    if isinstance(field, models.TextField):
        return lambda value: clean_text(value, multiline=True)
    if isinstance(field, models.CharField):
        return lambda value: clean_text(value, multiline=False)
    raise TypeError(f"{field.model.__name__}.{field.name} is not a text or JSON field")


def clean_rows(model, fields: list[str], *, batch: int = 500) -> int:
    """Clean the fields of every row of the model; the number of rows changed."""
    cleaners = {name: _cleaner(model._meta.get_field(name)) for name in fields}
    pending = []  # written after the reading, so no write meets an open cursor
    rows = model._default_manager.order_by("pk").values_list("pk", *fields)
    for pk, *values in rows.iterator(chunk_size=batch):
        changes = {}
        for name, value in zip(fields, values, strict=True):
            if value is None:
                continue
            cleaned = cleaners[name](value)
            if cleaned != value:
                changes[name] = cleaned
        if changes:
            pending.append((pk, changes))
    for pk, changes in pending:
        model._default_manager.filter(pk=pk).update(**changes)
    return len(pending)


def dates_out_of_range(model) -> dict[str, int]:
    """How many rows hold a date or time outside 1900..2100, by field (only those with any).
    Counted in the database: such a value may not even load into Python."""
    found = {}
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            low = datetime.datetime.combine(FIRST_DAY, datetime.time.min, tzinfo=datetime.UTC)
            high = datetime.datetime.combine(LAST_DAY, datetime.time.max, tzinfo=datetime.UTC)
        elif isinstance(field, models.DateField):
            low, high = FIRST_DAY, LAST_DAY
        else:
            continue
        outside = models.Q(**{f"{field.name}__lt": low}) | models.Q(**{f"{field.name}__gt": high})
        count = model._default_manager.filter(outside).count()
        if count:
            found[field.name] = count
    return found


@contextmanager
def _readable_text(connection):
    """On SQLite, read text that is not UTF-8 (the bytes of a lone surrogate) as escapes the
    cleaning removes, instead of failing on the row."""
    raw = getattr(connection, "connection", None)
    if connection.vendor != "sqlite" or raw is None:
        yield
        return
    previous = raw.text_factory
    raw.text_factory = lambda data: data.decode("utf-8", errors="surrogateescape")
    try:
        yield
    finally:
        raw.text_factory = previous


def clean_app(apps, schema_editor, app_label: str, specs: dict[str, list[str]], out=print):
    """Clean the app's models' fields and report dates out of range; returns the report."""
    report = {}
    with _readable_text(schema_editor.connection):
        for model_name, fields in specs.items():
            model = apps.get_model(app_label, model_name)
            changed = clean_rows(model, fields)
            dates = dates_out_of_range(model)
            report[model_name] = {"cleaned": changed, "dates_out_of_range": dates}
            if changed:
                out(f"  {app_label}.{model_name}: {changed} rows cleaned of unstorable text")
            for name, count in dates.items():
                out(
                    f"  {app_label}.{model_name}.{name}: {count} rows with a date outside "
                    f"{FIRST_DAY}..{LAST_DAY} (kept; please correct them)"
                )
    return report


def operation(app_label: str, specs: dict[str, list[str]]) -> migrations.RunPython:
    """The migration's operation: clean forwards; nothing to undo backwards."""

    def forwards(apps, schema_editor):
        clean_app(apps, schema_editor, app_label, specs)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
