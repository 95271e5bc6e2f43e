"""The partners' figures as an Excel workbook: one sheet per partner, sub-brand and brand,
each pledge with what is due, what was delivered, the per cent and the state in words."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from dangqun.core import xlsx
from dangqun.core.templatetags.dq import loc

from . import figures

PLEDGES = (figures.PLEDGE_SESSIONS, figures.PLEDGE_HOURS, figures.PLEDGE_MONEY)


def _delivered_columns() -> list[tuple[str, int]]:
    return [
        (_("Activities held"), 10),
        (_("Sessions held"), 10),
        (_("Person-times"), 10),
        (_("People"), 10),
        (_("Requests handled"), 10),
        (_("Volunteer hours"), 10),
    ]


def _delivered(cells, row) -> list:
    return [
        cells.number(row.activities),
        cells.number(row.sessions),
        cells.number(row.person_times),
        cells.number(row.people),
        cells.number(row.requests),
        cells.number(row.volunteer_hours),
    ]


def _partners_sheet(book, rows) -> None:
    columns = [(_("Partner"), 28), (_("Status"), 10), *_delivered_columns()]
    columns += [(_("Money received (¥)"), 12), (_("Goods received (¥)"), 12)]
    for metric in PLEDGES:
        label = figures.PLEDGE_LABELS[metric]
        columns += [
            (_("%(pledge)s: due") % {"pledge": label}, 12),
            (_("%(pledge)s: delivered") % {"pledge": label}, 12),
            (_("%(pledge)s: per cent") % {"pledge": label}, 8),
            (_("%(pledge)s: state") % {"pledge": label}, 10),
        ]
    columns.append((_("Overall state"), 10))
    cells = xlsx.add_sheet(book, _("Partners"), columns)
    for row in rows:
        line = [cells.text(loc(row.obj)), cells.text(row.obj.get_status_display())]
        line += _delivered(cells, row)
        line += [cells.number(row.money), cells.number(row.goods)]
        pledges = {pledge.metric: pledge for pledge in row.pledges}
        for metric in PLEDGES:
            pledge = pledges.get(metric)
            if pledge is None:
                line += [cells.text("")] * 4
            else:
                line += [
                    cells.number(pledge.due_shown),
                    cells.number(pledge.delivered_shown),
                    cells.number(pledge.percent),
                    cells.text(pledge.state_label),
                ]
        line.append(cells.text(row.state_label))
        cells.sheet.append(line)


def _sub_brands_sheet(book, rows) -> None:
    columns = [(_("Sub-brand"), 24), (_("Partner"), 24), (_("Center"), 24), (_("Brand"), 20)]
    cells = xlsx.add_sheet(book, _("Sub-brands"), columns + _delivered_columns())
    for row in rows:
        sub = row.obj
        line = [
            cells.text(loc(sub)),
            cells.text(loc(sub.partner)),
            cells.text(loc(sub.center)),
            cells.text(loc(sub.brand) if sub.brand else ""),
        ]
        cells.sheet.append(line + _delivered(cells, row))


def _brands_sheet(book, rows) -> None:
    columns = [(_("Brand"), 24), (_("Region"), 16)]
    cells = xlsx.add_sheet(book, _("Brands"), columns + _delivered_columns())
    for row in rows:
        line = [cells.text(loc(row.obj)), cells.text(loc(row.obj.region))]
        cells.sheet.append(line + _delivered(cells, row))


def workbook(found: figures.Figures) -> bytes:
    book = Workbook(write_only=True)
    _partners_sheet(book, found.partners)
    _sub_brands_sheet(book, found.sub_brands)
    _brands_sheet(book, found.brands)
    return xlsx.to_bytes(book)
