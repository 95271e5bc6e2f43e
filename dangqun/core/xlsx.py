"""Writing .xlsx files for the back office (openpyxl, write-only): typed text stays text,
times are Shanghai wall-clock times, headers are bold and stay in view."""

import re
from io import BytesIO

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_title(title: str, fallback: str = "Sheet") -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return _BAD_SHEET_CHARS.sub(" ", str(title))[:31] or fallback


def _local(moment):
    # Excel has no time zones: write the wall-clock time in Shanghai.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


class Cells:
    """Cells of one write-only sheet."""

    def __init__(self, sheet):
        self.sheet = sheet

    def text(self, value) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=str(value if value is not None else ""))
        # Typed text stays text: "=..." typed by someone must not become a formula.
        cell.data_type = "s"
        return cell

    def moment(self, value) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=_local(value))
        cell.number_format = DATETIME_FORMAT
        return cell

    def date(self, value) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell

    def number(self, value) -> WriteOnlyCell:
        return WriteOnlyCell(self.sheet, value=value)


def add_sheet(book, title: str, columns: list[tuple[str, int]]) -> Cells:
    """A sheet with a bold header row of (label, width) columns, frozen below it."""
    sheet = book.create_sheet(title=sheet_title(title))
    for index, (_label, width) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    cells = Cells(sheet)
    header = []
    for label, _width in columns:
        cell = cells.text(label)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    return cells


def to_bytes(book) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
