"""Excel export of a coverage analysis: the figures, the demand cells, the suggested sites."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from dangqun.core.xlsx import add_sheet, to_bytes

from . import travel


def coverage_workbook(analysis) -> bytes:
    book = Workbook(write_only=True)
    summary = add_sheet(book, _("Summary"), [(_("Figure"), 34), (_("Value"), 30)])
    rows = [
        (_("Region"), str(analysis.region)),
        (_("Within (minutes)"), analysis.minutes),
        (pgettext("travel mode", "How"), str(travel.MODES[analysis.mode])),
        (_("Travel times"), str(travel.engine_label(analysis.engine))),
        (_("Demand in all"), analysis.total),
        (_("Demand covered"), analysis.covered),
        (_("Share covered"), round(analysis.share, 4)),
        (_("Demand cells"), len(analysis.hexes)),
        (_("Cells beyond reach"), len(analysis.uncovered_hexes)),
        (_("Open stations considered"), analysis.stations),
        (_("Candidate sites"), analysis.candidates),
    ]
    for label, value in rows:
        cell = summary.number(value) if isinstance(value, int | float) else summary.text(value)
        summary.sheet.append([summary.text(label), cell])
    cells = add_sheet(
        book,
        _("Demand cells"),
        [
            (_("H3 cell"), 18),
            (_("Latitude"), 11),
            (_("Longitude"), 11),
            (_("Demand"), 9),
            (_("Covered"), 9),
            (_("Minutes to the nearest station"), 14),
        ],
    )
    for h in sorted(analysis.hexes, key=lambda h: (h.covered, -h.weight, h.cell)):
        cells.sheet.append(
            [
                cells.text(h.cell),
                cells.number(round(h.lat, 6)),
                cells.number(round(h.lng, 6)),
                cells.number(h.weight),
                cells.text(_("yes") if h.covered else _("no")),
                cells.number(None if h.seconds is None else round(h.seconds / 60, 1)),
            ]
        )
    sites = add_sheet(
        book,
        _("Suggested sites"),
        [
            (_("Rank"), 6),
            (_("Site"), 36),
            (_("Latitude"), 11),
            (_("Longitude"), 11),
            (_("Demand it adds"), 12),
            (_("Share covered after"), 12),
            (_("Open in Amap"), 40),
        ],
    )
    for s in analysis.sites:
        sites.sheet.append(
            [
                sites.number(s.rank),
                sites.text(s.label),
                sites.number(round(s.lat, 6)),
                sites.number(round(s.lng, 6)),
                sites.number(s.gain),
                sites.number(round(s.share_after, 4)),
                sites.text(s.amap_url),
            ]
        )
    return to_bytes(book)
