"""Demand files for the coverage analysis: pick-up counts per place that officials
import (CSV in UTF-8 or GB18030, or an Excel workbook), read into a named demand set."""

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _

from dangqun.core import audit, geo
from dangqun.core.errors import ValidationFailed
from dangqun.core.text import clean_text, normalise, problem
from dangqun.people import access
from dangqun.places.models import Region

from .coverage import MAX_DEMAND_ROWS
from .models import DemandSet

REQUIRED_COLUMNS = ("lat", "lng", "count")


def _rows_of(upload) -> list[list]:
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any unreadable workbook is the same refusal
            raise ValidationFailed(
                _("This file is neither a CSV nor an Excel (.xlsx) file."), field="file"
            ) from None
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise ValidationFailed(
                _("This file is neither a CSV nor an Excel (.xlsx) file."), field="file"
            ) from None
    return list(csv.reader(io.StringIO(text)))


def parse_demand_file(upload, *, coord: str = "wgs84") -> list[dict]:
    """Columns lat, lng, count (any order, more columns ignored), a header row first.
    Every bad row is reported, by its row number; one bad row refuses the whole file."""
    system = geo.parse_system(coord, field="coord")
    rows = [r for r in _rows_of(upload) if any(c not in (None, "") for c in r)]
    if not rows:
        raise ValidationFailed(_("The file is empty."), field="file")
    header = [str(c or "").strip().lower() for c in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValidationFailed(
            _("Missing columns: %(columns)s. The first row must name lat, lng and count.")
            % {"columns": ", ".join(missing)},
            field="file",
        )
    if len(rows) - 1 > MAX_DEMAND_ROWS:
        raise ValidationFailed(
            _("At most %(n)s rows in one file.") % {"n": MAX_DEMAND_ROWS}, field="file"
        )
    at = {c: header.index(c) for c in REQUIRED_COLUMNS}
    points, errors = [], []
    for number, row in enumerate(rows[1:], 2):
        cell = lambda name, row=row: row[at[name]] if at[name] < len(row) else None  # noqa: E731
        try:
            lat = float(geo.parse_coordinate(cell("lat"), kind="latitude", field="lat"))
            lng = float(geo.parse_coordinate(cell("lng"), kind="longitude", field="lng"))
        except ValidationFailed as error:
            errors.append(_("Row %(n)s: %(error)s") % {"n": number, "error": error.message})
            continue
        try:
            count = float(str(cell("count")).strip())
            if not count >= 0 or count == float("inf"):
                raise ValueError
        except (TypeError, ValueError):
            errors.append(_("Row %(n)s: the count must be a number, 0 or more.") % {"n": number})
            continue
        w_lat, w_lng = geo.to_wgs84(lat, lng, system)
        if not geo.district_area().holds(w_lat, w_lng):
            errors.append(
                _("Row %(n)s: %(error)s") % {"n": number, "error": geo.outside_area_message()}
            )
            continue
        points.append({"lat": round(w_lat, 6), "lng": round(w_lng, 6), "count": count})
    if errors:
        shown = errors[:20]
        if len(errors) > 20:
            shown.append(_("… and %(n)s more rows.") % {"n": len(errors) - 20})
        raise ValidationFailed(" ".join(str(e) for e in shown), field="file")
    return points


def demand_import(*, actor, region: Region, name: str, upload, coord="wgs84") -> DemandSet:
    access.require(actor, access.MANAGERS, region)
    name = clean_text(name, field="name", max_length=120)  # a typed name is never cut
    points = parse_demand_file(upload, coord=coord)
    with transaction.atomic():
        demand = DemandSet.objects.create(
            # No name typed: the file's, shortened to fit (it is only a label).
            name=name or _file_label(upload),
            region=region,
            points=points,
            total=sum(p["count"] for p in points),
            created_by=actor,
        )
        audit.record(actor, "demand.import", demand, {"rows": len(points)})
    return demand


def _file_label(upload) -> str:
    label = normalise(getattr(upload, "name", "") or "")
    return label[:120] if label and not problem(label) else "demand"
