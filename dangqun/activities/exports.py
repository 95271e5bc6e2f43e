"""Excel files of an activity for the back office: its registrations (one row a person,
a column a session) and its attendance (one row a check-in, the figures, and for an
exhibition the visitors counted each day). Mobile numbers masked; times in Shanghai."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from dangqun.core import audit
from dangqun.core.xlsx import add_sheet, to_bytes

from . import selectors, staff_selectors


def _session_label(session) -> str:
    start, end = timezone.localtime(session.start), timezone.localtime(session.end)
    return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"


def registrations_workbook(sessions, registrations) -> bytes:
    """A row per registration; a column per session with the check-in time."""
    book = Workbook(write_only=True)
    columns = [
        (pgettext("person", "Name"), 12),
        (_("Mobile number"), 14),
        (_("Status"), 14),
        (_("Short code"), 10),
        (_("Walk-in"), 8),
        (_("Signed up at"), 17),
        (_("Sessions attended"), 10),
        *[(_session_label(s), 17) for s in sessions],
    ]
    cells = add_sheet(book, _("Registrations"), columns)
    for registration in registrations:
        by_session = {c.session_id: c for c in registration.check_ins.all()}
        person = registration.person
        cells.sheet.append(
            [
                cells.text(person.name),
                cells.text(person.masked_mobile),
                cells.text(registration.get_status_display()),
                cells.text(registration.short_code),
                cells.text(_("yes") if registration.is_walk_in else ""),
                cells.moment(registration.created_at),
                cells.number(len(by_session)),
                *[
                    cells.moment(by_session[s.pk].checked_in_at) if s.pk in by_session else None
                    for s in sessions
                ],
            ]
        )
    return to_bytes(book)


def attendance_workbook(entries, figures, days) -> bytes:
    """Sheet 1: every check-in. Sheet 2: person-times and distinct people, and per group.
    Sheet 3 (exhibitions): visitors counted by staff per day."""
    book = Workbook(write_only=True)
    cells = add_sheet(
        book,
        _("Check-ins"),
        [
            (_("Session"), 20),
            (pgettext("person", "Name"), 12),
            (_("Mobile number"), 14),
            (_("Short code"), 10),
            (pgettext("check-in method", "How"), 28),
            (_("Checked in at"), 17),
            (_("Checked out at"), 17),
            (_("Checked in by"), 12),
        ],
    )
    for entry in entries:
        person = entry.registration.person
        cells.sheet.append(
            [
                cells.text(_session_label(entry.session)),
                cells.text(person.name),
                cells.text(person.masked_mobile),
                cells.text(entry.registration.short_code),
                cells.text(entry.get_method_display()),
                cells.moment(entry.checked_in_at),
                cells.moment(entry.checked_out_at),
                cells.text(entry.by.name if entry.by else ""),
            ]
        )
    summary = add_sheet(book, _("Figures"), [(_("Figure"), 30), (_("Value"), 12)])
    rows = [
        (_("Sessions"), figures["sessions"]),
        (_("Person-times"), figures["person_times"]),
        (_("Distinct people"), figures["people"]),
        (_("Visitors counted by staff"), figures["exhibition_visitors_counted"]),
    ]
    for tag in figures["by_tag"].values():
        rows.append((_("%(group)s: person-times") % {"group": tag["label"]}, tag["person_times"]))
        rows.append((_("%(group)s: people") % {"group": tag["label"]}, tag["people"]))
    for label, value in rows:
        summary.sheet.append([summary.text(label), summary.number(value)])
    if days:
        counted = add_sheet(book, _("Visitors per day"), [(_("Date"), 12), (_("Visitors"), 10)])
        for day in days:
            counted.sheet.append([counted.date(day.date), counted.number(day.visitors)])
    return to_bytes(book)


# The back office's two downloads: read within the actor's scope, written, and audited (who
# took which list out, with how many rows), as one service each for the page and any door.


def registrations_export(*, actor, activity) -> bytes:
    sessions = list(activity.sessions.all())
    registrations = list(selectors.registrants_for_staff(actor, activity))
    content = registrations_workbook(sessions, registrations)
    audit.record(
        actor, "activity.export", activity, {"what": "registrations", "rows": len(registrations)}
    )
    return content


def attendance_export(*, actor, activity) -> bytes:
    entries = staff_selectors.attendance_entries(activity)
    figures = selectors.attendance(activities=staff_selectors.one(activity))
    content = attendance_workbook(entries, figures, list(activity.visit_days.all()))
    audit.record(actor, "activity.export", activity, {"what": "attendance", "rows": len(entries)})
    return content
