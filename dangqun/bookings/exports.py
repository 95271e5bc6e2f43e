"""Excel files of bookings for the back office: times in Shanghai local time, mobile
numbers masked, headers in the language shown. Offices exchange lists as .xlsx."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from dangqun.core.templatetags.dq import loc
from dangqun.core.xlsx import Cells, add_sheet, to_bytes

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


def _row(cells: Cells, booking: Booking) -> list[WriteOnlyCell]:
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
    cells = add_sheet(book, _("Bookings"), _columns())
    for booking in bookings:
        cells.sheet.append(_row(cells, booking))
    return to_bytes(book)
