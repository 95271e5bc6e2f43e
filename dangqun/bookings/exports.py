"""Excel files of bookings for the back office: times in Shanghai local time, mobile
numbers masked, headers in the language shown. Offices exchange lists as .xlsx."""

import re
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dangqun.core.templatetags.dq import loc

from .models import Booking

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _columns() -> list[tuple[str, int]]:
    return [
        (_("Center"), 24),
        (_("Space"), 20),
        (_("Start"), 17),
        (_("End"), 17),
        (_("Booked by"), 12),
        (_("Mobile number"), 14),
        (_("Purpose"), 30),
        (_("Headcount"), 10),
        (_("Status"), 12),
        (_("Reason"), 24),
        (_("Weekly"), 8),
        (_("Entered by"), 12),
        (_("Requested at"), 17),
    ]


def sheet_title() -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return _BAD_SHEET_CHARS.sub(" ", _("Bookings"))[:31] or "Bookings"


def _local(moment):
    # Excel has no time zones: write the wall-clock time in Shanghai.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


class _Row:
    def __init__(self, sheet):
        self.sheet = sheet

    def text(self, value) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=str(value or ""))
        # Typed text stays text: "=..." from a booking's purpose must not become a formula.
        cell.data_type = "s"
        return cell

    def moment(self, value) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=_local(value))
        cell.number_format = DATETIME_FORMAT
        return cell

    def number(self, value) -> WriteOnlyCell:
        return WriteOnlyCell(self.sheet, value=value)


def _row(cells: _Row, booking: Booking) -> list[WriteOnlyCell]:
    entered_by = "" if booking.created_by_id == booking.booker_id else str(booking.created_by)
    return [
        cells.text(loc(booking.space.center)),
        cells.text(loc(booking.space)),
        cells.moment(booking.start),
        cells.moment(booking.end),
        cells.text(booking.booker.name),
        cells.text(booking.booker.masked_mobile),
        cells.text(booking.purpose),
        cells.number(booking.headcount),
        cells.text(booking.get_status_display()),
        cells.text(booking.reason),
        cells.text(_("yes") if booking.series_id else ""),
        cells.text(entered_by),
        cells.moment(booking.created_at),
    ]


def bookings_workbook(bookings) -> bytes:
    """One sheet, a header row and a row per booking; returns the .xlsx file's bytes."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title())
    columns = _columns()
    for index, (_label, width) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    cells = _Row(sheet)
    header = []
    for label, _width in columns:
        cell = cells.text(label)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for booking in bookings:
        sheet.append(_row(cells, booking))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
