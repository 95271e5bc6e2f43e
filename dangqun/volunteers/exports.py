"""Excel files of volunteering: the hours ledger (every line, where it came from, who
entered it) and a team's roster with hours. Names as stored, mobile numbers masked, hours
as stored minutes and as hours; headers in the language shown."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from dangqun.core import audit
from dangqun.core.cleaning import clean_text
from dangqun.core.templatetags.dq import loc
from dangqun.core.xlsx import Cells, add_sheet, to_bytes

from . import rules, selectors
from .services.common import require_leader


def _text(cells: Cells, value):
    return cells.text(clean_text(str(value if value is not None else ""), multiline=False))


def _ledger_columns() -> list[tuple[str, int]]:
    return [
        (_("Date"), 11),
        (_("Volunteer"), 12),
        (_("Mobile number"), 14),
        (_("Team"), 22),
        (_("Kind"), 22),
        (_("Source"), 30),
        (_("Minutes"), 9),
        (_("Hours"), 8),
        (_("Task"), 24),
        (_("Reason"), 30),
        (_("Entered by"), 12),
        (_("Written at"), 17),
    ]


def _ledger_row(cells: Cells, entry) -> list:
    return [
        cells.date(entry.date),
        _text(cells, entry.person.name),
        _text(cells, entry.person.masked_mobile),
        _text(cells, loc(entry.team)),
        _text(cells, entry.get_kind_display()),
        _text(cells, entry.get_source_display()),
        cells.number(entry.minutes),
        cells.number(float(entry.minutes) / 60),
        _text(cells, entry.shift.task.title if entry.shift_id else ""),
        _text(cells, entry.reason),
        _text(cells, entry.entered_by.name if entry.entered_by_id else _("(from check-in)")),
        cells.moment(entry.created_at),
    ]


def ledger_workbook(entries, *, title: str) -> bytes:
    """`entries`: HoursEntry rows with person, team, shift__task and entered_by selected."""
    book = Workbook(write_only=True)
    cells = add_sheet(book, title, _ledger_columns())
    for entry in entries:
        cells.sheet.append(_ledger_row(cells, entry))
    return to_bytes(book)


def roster_workbook(rows, *, title: str) -> bytes:
    """`rows`: selectors.roster(team) rows (membership, credit, honour)."""
    book = Workbook(write_only=True)
    cells = add_sheet(
        book,
        title,
        [
            (_("Volunteer"), 12),
            (_("Mobile number"), 14),
            (_("Role"), 8),
            (_("Status"), 16),
            (_("Joined"), 17),
            (_("Credit hours"), 10),
            (_("Honour hours"), 10),
            (_("Stars"), 6),
        ],
    )
    for row in rows:
        person = row.membership.person
        cells.sheet.append(
            [
                _text(cells, person.name),
                _text(cells, person.masked_mobile),
                _text(cells, row.membership.get_role_display()),
                _text(cells, row.membership.get_status_display()),
                cells.moment(row.membership.joined_at),
                cells.number(float(rules.half_hours(row.credit))),
                cells.number(float(rules.half_hours(row.honour))),
                cells.number(rules.stars_for(row.total)),
            ]
        )
    return to_bytes(book)


# --- the back office's downloads (issue 15, the staff pages): read, written and audited
# (who took which list out, with how many rows), as one function each for any door.


def ledger_export(*, actor, title: str, entries, scope_obj, start, end) -> bytes:
    """`entries`: selectors.ledger_for_staff(...) of a region or center the actor sees."""
    rows = list(entries)
    content = ledger_workbook(rows, title=title)
    audit.record(
        actor,
        "volunteers.export",
        scope_obj,
        {"what": "ledger", "start": start.isoformat(), "end": end.isoformat(), "rows": len(rows)},
    )
    return content


def roster_export(*, actor, team) -> bytes:
    rows = selectors.roster(team)
    content = roster_workbook(rows, title=loc(team))
    audit.record(actor, "volunteers.export", team, {"what": "roster", "rows": len(rows)})
    return content


# --- a team leader's downloads (lead_views): the same files, for the team's leaders --------


def team_export(*, actor, team, what: str) -> bytes:
    """The team's ledger ("ledger") or roster ("roster") as Excel, for its leaders and the
    staff of its region; audited, since names and masked numbers leave the platform."""
    require_leader(actor, team)
    if what != "ledger":
        return roster_export(actor=actor, team=team)
    rows = list(selectors.team_ledger(team))
    content = ledger_workbook(rows, title=loc(team))
    audit.record(actor, "volunteers.export", team, {"what": "ledger", "rows": len(rows)})
    return content
