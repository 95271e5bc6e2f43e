"""Excel file of the charging room's usage: per day and per hour of day (Shanghai time)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from dangqun.core.xlsx import add_sheet, to_bytes


def _columns(first: str) -> list[tuple[str, int]]:
    return [
        (first, 12),
        (pgettext("charging", "Sessions"), 10),
        (_("Distinct riders"), 12),
        (_("Charges"), 10),
        (_("Swaps"), 10),
    ]


def usage_workbook(figures: dict) -> bytes:
    book = Workbook(write_only=True)
    days = add_sheet(book, _("Per day"), _columns(_("Day")))
    for row in figures["by_day"]:
        days.sheet.append(
            [days.date(row["key"])]
            + [days.number(row[k]) for k in ("sessions", "riders", "charges", "swaps")]
        )
    hours = add_sheet(book, _("Per hour of day"), _columns(_("Hour")))
    for row in figures["by_hour"]:
        hours.sheet.append(
            [hours.text(f"{row['key']:02d}:00")]
            + [hours.number(row[k]) for k in ("sessions", "riders", "charges", "swaps")]
        )
    return to_bytes(book)
