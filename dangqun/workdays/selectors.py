"""The working-day calendar: which days are official working days, and deadlines counted
in working days.

A day is a working day when it is Monday to Friday, unless the State Council made it a
public holiday; a Saturday or Sunday is one when it was made a make-up working day (调休).
The arrangement comes from the chinese-calendar package for the years it covers; for
other years, from the days district staff entered (OfficialDay), which also override the
package day by day. A year neither covered by the package nor entered completely
(OfficialYear.complete) is counted from weekdays alone, and results touching it are
"estimated".

The counting rule (deadline_after): the day of submission itself never counts, whether it
is a working day or not; the deadline is the Nth working day after it. So a request
submitted on a Saturday, a holiday, or after hours on a Friday alike starts counting at the
next working day, which is day 1. working_days_between() counts the same way, so a request
resolved on its deadline took exactly N working days.

Fast: each year is built once into a day-by-day table with running totals (the package
is read once per process; the entered days with two queries), kept per process and
re-read after CACHE_SECONDS or at once after a write in this process."""

from __future__ import annotations

import threading
import time
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from django.utils.translation import gettext_lazy as _

from .models import OfficialDay, OfficialYear

CACHE_SECONDS = 60
MAX_WORKING_DAYS = 3660  # ten years of counting is more than any time limit


@dataclass(frozen=True)
class Deadline:
    date: date
    estimated: bool


@dataclass(frozen=True)
class SpecialDay:
    """A day that differs from the weekday rule (or is named by the arrangement)."""

    date: date
    kind: str  # "holiday" | "workday"
    name: str
    source: str  # "package" | "entered"

    @property
    def working(self) -> bool:
        return self.kind == OfficialDay.Kind.WORKDAY


class Source:
    PACKAGE = "package"  # the chinese-calendar package covers the year
    ENTERED = "entered"  # district staff entered the year completely
    ESTIMATED = "estimated"  # weekdays only (plus any days entered so far)


@dataclass(frozen=True)
class YearStatus:
    year: int
    source: str
    estimated: bool
    complete: bool  # entered completely by district staff
    entered_days: int


# --- the package ------------------------------------------------------------------------

PACKAGE_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": _("Anti-Fascist 70th Day"),
}


@cache
def _package() -> dict[int, dict[date, tuple[bool, str]]]:
    """year -> {day: (working, holiday name)} from the chinese-calendar package."""
    from chinese_calendar import holidays, workdays

    years: dict[int, dict[date, tuple[bool, str]]] = {}
    for day, name in holidays.items():
        years.setdefault(day.year, {})[day] = (False, name or "")
    for day, name in workdays.items():
        years.setdefault(day.year, {})[day] = (True, name or "")
    return years


def package_years() -> frozenset[int]:
    """The years the installed chinese-calendar package covers."""
    return frozenset(_package())


def package_day(day: date) -> str | None:
    """ "holiday" or "workday" where the package names this day, else None."""
    found = _package().get(day.year, {}).get(day)
    if found is None:
        return None
    return _kind(found[0])


# --- entered days, cached per process ----------------------------------------------------


@dataclass
class _Year:
    year: int
    estimated: bool
    working: bytes  # one byte per day of the year, 1 = working day
    running: list[int]  # running[i] = working days among the first i days of the year

    @property
    def total(self) -> int:
        return self.running[-1]


@dataclass
class _Snapshot:
    loaded_at: float
    entered: dict[date, tuple[bool, str]]
    complete: frozenset[int]
    years: dict[int, _Year] = field(default_factory=dict)


_lock = threading.Lock()
_snapshot: _Snapshot | None = None


def forget(*args, **kwargs) -> None:
    """Drop the cached calendar (after a write; a signal receiver, hence the arguments)."""
    global _snapshot
    _snapshot = None


def _load() -> _Snapshot:
    global _snapshot
    snap = _snapshot
    if snap is not None and time.monotonic() - snap.loaded_at < CACHE_SECONDS:
        return snap
    with _lock:
        entered = {
            day: (kind == OfficialDay.Kind.WORKDAY, name)
            for day, kind, name in OfficialDay.objects.values_list("date", "kind", "name")
        }
        complete = frozenset(
            OfficialYear.objects.filter(complete=True).values_list("year", flat=True)
        )
        snap = _Snapshot(loaded_at=time.monotonic(), entered=entered, complete=complete)
        _snapshot = snap
    return snap


def _year(snap: _Snapshot, year: int) -> _Year:
    built = snap.years.get(year)
    if built is not None:
        return built
    package = _package().get(year, {})
    first = date(year, 1, 1)
    length = (date(year + 1, 1, 1) - first).days if year < 9999 else 365
    working = bytearray(length)
    running = [0] * (length + 1)
    day = first
    for i in range(length):
        if day in snap.entered:
            is_working = snap.entered[day][0]
        elif day in package:
            is_working = package[day][0]
        else:
            is_working = day.weekday() < 5
        working[i] = is_working
        running[i + 1] = running[i] + is_working
        day += timedelta(days=1)
    built = _Year(
        year=year,
        estimated=year not in package_years() and year not in snap.complete,
        working=bytes(working),
        running=running,
    )
    snap.years[year] = built
    return built


# --- the public reads ------------------------------------------------------------------


def is_working_day(day: date) -> bool:
    cal = _year(_load(), day.year)
    return bool(cal.working[day.timetuple().tm_yday - 1])


def is_estimated(year: int) -> bool:
    """Whether this year's days come from weekdays alone (not official yet)."""
    return _year(_load(), year).estimated


def deadline_after(start: date, working_days: int) -> Deadline:
    """The Nth working day after `start`. The start day itself never counts (working day or
    not): a request submitted on a weekend or holiday starts counting at the next working
    day, which is day 1. N = 0 gives `start`. `estimated` is True when any day from the day
    after `start` up to the deadline falls in a year neither covered by the package nor
    entered completely (for N = 0: when `start`'s year is)."""
    if working_days < 0 or working_days > MAX_WORKING_DAYS:
        raise ValueError("working_days out of range")
    snap = _load()
    cal = _year(snap, start.year)
    if working_days == 0:
        return Deadline(start, cal.estimated)
    estimated = False
    offset = start.timetuple().tm_yday  # days of this year already passed, start included
    remaining = working_days
    while True:
        if offset < len(cal.working):
            # Days after the start in this year are touched only if there are any.
            estimated = estimated or cal.estimated
        target = cal.running[offset] + remaining
        if target <= cal.total:
            index = bisect_left(cal.running, target) - 1  # first day reaching the target
            return Deadline(date(cal.year, 1, 1) + timedelta(days=index), estimated)
        remaining = target - cal.total
        cal = _year(snap, cal.year + 1)
        offset = 0


def working_days_between(start: date, end: date) -> int:
    """The working days after `start` up to and including `end`; 0 if end <= start."""
    if end <= start:
        return 0
    snap = _load()
    first = _year(snap, start.year)
    start_index = start.timetuple().tm_yday
    end_index = end.timetuple().tm_yday
    if start.year == end.year:
        return first.running[end_index] - first.running[start_index]
    count = first.total - first.running[start_index]
    for year in range(start.year + 1, end.year):
        count += _year(snap, year).total
    return count + _year(snap, end.year).running[end_index]


def year_status(year: int) -> YearStatus:
    snap = _load()
    entered = sum(1 for d in snap.entered if d.year == year)
    complete = year in snap.complete
    if year in package_years():
        source = Source.PACKAGE
    elif complete:
        source = Source.ENTERED
    else:
        source = Source.ESTIMATED
    return YearStatus(
        year=year,
        source=source,
        estimated=source == Source.ESTIMATED,
        complete=complete,
        entered_days=entered,
    )


def _kind(working: bool) -> str:
    return OfficialDay.Kind.WORKDAY if working else OfficialDay.Kind.HOLIDAY


def special_days(year: int) -> list[SpecialDay]:
    """The year's holidays and make-up working days, the entered ones overriding the
    package's (weekend holidays of the package included, as the arrangement names them)."""
    snap = _load()
    days: dict[date, SpecialDay] = {}
    for day, (working, name) in _package().get(year, {}).items():
        label = PACKAGE_NAMES.get(name, name)
        days[day] = SpecialDay(day, _kind(working), str(label), Source.PACKAGE)
    for day, (working, name) in snap.entered.items():
        if day.year == year:
            days[day] = SpecialDay(day, _kind(working), name, Source.ENTERED)
    return [days[d] for d in sorted(days)]


def years_listed(today: date) -> list[YearStatus]:
    """The years the staff page lists: last year to two years ahead, and any entered."""
    snap = _load()
    years = set(range(today.year - 1, today.year + 3))
    years |= {d.year for d in snap.entered} | set(snap.complete)
    return [year_status(y) for y in sorted(years)]


# --- the entered days, as the staff page edits them ---------------------------------------


def year_record(year: int) -> OfficialYear | None:
    """Whether and by whom the year was marked entered completely (None: never marked)."""
    return OfficialYear.objects.filter(year=year).first()


def entered_lines(year: int) -> str:
    """The days entered for the year, one a line as the staff page's form takes them."""
    days = OfficialDay.objects.filter(date__year=year).order_by("date")
    return "\n".join(f"{d.date.isoformat()} {d.kind} {d.name}".rstrip() for d in days)
