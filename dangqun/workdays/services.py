"""Writes of the entered calendar: a year's whole arrangement at once (the staff page), or
one day at a time (the API). Only district admins and superusers may write."""

import re
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dangqun.core import audit
from dangqun.core.errors import NotFound, PermissionDenied, ValidationFailed
from dangqun.core.text import clean_text
from dangqun.people import access

from . import selectors
from .errors import LinesRefused
from .models import OfficialDay, OfficialYear

KIND_WORDS = {
    "holiday": OfficialDay.Kind.HOLIDAY,
    "休": OfficialDay.Kind.HOLIDAY,
    "假": OfficialDay.Kind.HOLIDAY,
    "workday": OfficialDay.Kind.WORKDAY,
    "班": OfficialDay.Kind.WORKDAY,
    "上班": OfficialDay.Kind.WORKDAY,
}
MIN_YEAR, MAX_YEAR = 2000, 2100
NAME_LENGTH = OfficialDay._meta.get_field("name").max_length


def may_edit(user) -> bool:
    return access.has_role(user, {access.Role.DISTRICT_ADMIN})


def require_editor(actor) -> None:
    if not may_edit(actor):
        raise PermissionDenied(_("Only district admins may change the official calendar."))


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(
            _("Choose a year from %(min)d to %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            field="year",
        )


@dataclass(frozen=True)
class DayLine:
    date: date
    kind: str
    name: str


def _may_be_workday(day: date) -> bool:
    """A make-up working day is a weekend day, or a correction of a package holiday."""
    return day.weekday() >= 5 or selectors.package_day(day) == OfficialDay.Kind.HOLIDAY


_LINE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[\s,，]+(\S+)(?:[\s,，]+(.*))?$")


def parse_lines(text: str, *, year: int) -> list[DayLine]:
    """Read lines like "2027-10-01 holiday 国庆节" or "2027-09-26 班 国庆节调休".
    Every line is checked; one wrong line refuses them all, naming each wrong line."""
    problems: list[str] = []
    days: list[DayLine] = []
    seen: set[date] = set()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            problems.append(
                _("Line %(n)d: write a date, the kind and a name, e.g. 2027-10-01 holiday 国庆节.")
                % {"n": number}
            )
            continue
        text_date, word, name = match.group(1), match.group(2), (match.group(3) or "").strip()
        try:
            day = date.fromisoformat("-".join(part.zfill(2) for part in text_date.split("-")))
        except ValueError:
            problems.append(
                _("Line %(n)d: %(date)s is not a date.") % {"n": number, "date": text_date}
            )
            continue
        kind = KIND_WORDS.get(word.lower())
        if kind is None:
            problems.append(
                _("Line %(n)d: the kind must be holiday (休) or workday (班).") % {"n": number}
            )
            continue
        if day.year != year:
            problems.append(
                _("Line %(n)d: %(date)s is not in %(year)d.")
                % {"n": number, "date": day.isoformat(), "year": year}
            )
        elif day in seen:
            problems.append(
                _("Line %(n)d: %(date)s is given twice.") % {"n": number, "date": day.isoformat()}
            )
        elif len(name) > NAME_LENGTH:
            problems.append(
                _("Line %(n)d: the name is longer than %(max)d characters.")
                % {"n": number, "max": NAME_LENGTH}
            )
        elif kind == OfficialDay.Kind.WORKDAY and not _may_be_workday(day):
            problems.append(
                _(
                    "Line %(n)d: %(date)s is a working day already; only a Saturday, a Sunday "
                    "or a holiday of the package can be made a working day."
                )
                % {"n": number, "date": day.isoformat()}
            )
        seen.add(day)
        days.append(DayLine(day, kind, name))
    if problems:
        raise LinesRefused(problems)
    return days


@transaction.atomic
def official_year_enter(*, actor, year: int, lines: str, complete: bool) -> list[OfficialDay]:
    """Replace the days entered for `year` with these lines, all or nothing, and record
    whether the year is now entered completely."""
    require_editor(actor)
    _check_year(year)
    days = parse_lines(lines, year=year)
    if complete and not days:
        raise ValidationFailed(
            _("A complete year has at least its holidays; enter them first."), field="lines"
        )
    try:
        with transaction.atomic():
            OfficialDay.objects.filter(date__year=year).delete()
            made = OfficialDay.objects.bulk_create(
                [OfficialDay(date=d.date, kind=d.kind, name=d.name, entered_by=actor) for d in days]
            )
            record, _created = OfficialYear.objects.update_or_create(
                year=year, defaults={"complete": complete, "updated_by": actor}
            )
    except IntegrityError:
        # Another admin saved the same year at the same moment.
        raise ValidationFailed(
            _("Someone saved this year at the same moment. Reload the page and check."),
            field="lines",
        ) from None
    audit.record(
        actor,
        "workdays.year_enter",
        record,
        {"year": year, "days": len(made), "complete": complete},
    )
    selectors.forget()
    transaction.on_commit(selectors.forget)
    return made


@transaction.atomic
def official_day_add(*, actor, day: date, kind: str, name: str = "") -> OfficialDay:
    require_editor(actor)
    _check_year(day.year)
    if kind not in OfficialDay.Kind.values:
        raise ValidationFailed(_("The kind must be holiday or workday."), field="kind")
    name = clean_text(name, field="name", max_length=NAME_LENGTH)
    if kind == OfficialDay.Kind.WORKDAY and not _may_be_workday(day):
        raise ValidationFailed(
            _(
                "This is a working day already; only a Saturday, a Sunday or a holiday of the "
                "package can be made a working day."
            ),
            field="date",
        )
    try:
        with transaction.atomic():
            made, created = OfficialDay.objects.get_or_create(
                date=day, defaults={"kind": kind, "name": name, "entered_by": actor}
            )
    except IntegrityError:  # entered by someone else at the same moment
        created = False
    if not created:
        raise ValidationFailed(_("This date is entered already."), field="date")
    audit.record(actor, "workdays.day_add", made, {"date": day.isoformat(), "kind": kind})
    selectors.forget()
    transaction.on_commit(selectors.forget)
    return made


@transaction.atomic
def official_day_remove(*, actor, day: date) -> None:
    """Remove the day entered for this date (NotFound if none is entered)."""
    require_editor(actor)
    entered = OfficialDay.objects.filter(date=day).first()
    if entered is None:
        raise NotFound()
    audit.record(actor, "workdays.day_remove", entered, {"date": day.isoformat()})
    entered.delete()
    selectors.forget()
    transaction.on_commit(selectors.forget)


@transaction.atomic
def official_year_mark(*, actor, year: int, complete: bool) -> OfficialYear:
    require_editor(actor)
    _check_year(year)
    if complete and not OfficialDay.objects.filter(date__year=year).exists():
        raise ValidationFailed(
            _("A complete year has at least its holidays; enter them first."), field="complete"
        )
    record, _created = OfficialYear.objects.update_or_create(
        year=year, defaults={"complete": complete, "updated_by": actor}
    )
    audit.record(actor, "workdays.year_mark", record, {"year": year, "complete": complete})
    selectors.forget()
    transaction.on_commit(selectors.forget)
    return record
