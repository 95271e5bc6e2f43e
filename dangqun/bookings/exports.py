"""Excel files of bookings for the back office: times in Shanghai local time, mobile
numbers masked, headers in the language shown. Offices exchange lists as .xlsx.

Whatever a row holds, the file is written: a character no worksheet may hold (a control
character stored before the text rule) is left out, and a time beyond what Shanghai's
clock can show (bookings.times) is written as text in UTC."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from dangqun.core.cleaning import clean_text
from dangqun.core.templatetags.dq import loc
from dangqun.core.xlsx import Cells, add_sheet, to_bytes

from . import times
from .models import Booking


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


def _text(cells: Cells, value) -> WriteOnlyCell:
    return cells.text(clean_text(str(value if value is not None else ""), multiline=False))


def _moment(cells: Cells, value) -> WriteOnlyCell:
    if value is None or times.in_shanghai(value) is not None:
        return cells.moment(value)
    return cells.text(times.label(value))


def _row(cells: Cells, booking: Booking) -> list[WriteOnlyCell]:
    entered_by = "" if booking.created_by_id == booking.booker_id else str(booking.created_by)
    return [
        _text(cells, loc(booking.space.center)),
        _text(cells, loc(booking.space)),
        _moment(cells, booking.start),
        _moment(cells, booking.end),
        _text(cells, booking.booker.name),
        _text(cells, booking.booker.masked_mobile),
        _text(cells, booking.purpose),
        cells.number(booking.headcount),
        _text(cells, booking.get_status_display()),
        _text(cells, booking.reason),
        _text(cells, _("yes") if booking.series_id else ""),
        _text(cells, entered_by),
        _moment(cells, booking.created_at),
    ]


def bookings_workbook(bookings) -> bytes:
    """One sheet, a header row and a row per booking; returns the .xlsx file's bytes."""
    book = Workbook(write_only=True)
    cells = add_sheet(book, _("Bookings"), _columns())
    for booking in bookings:
        cells.sheet.append(_row(cells, booking))
    return to_bytes(book)
