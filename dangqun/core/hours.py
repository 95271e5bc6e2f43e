"""Opening hours: seven day specs, Monday first. A day spec is "" (closed), "24h"
(open all day and night) or intervals like "08:30-12:00,13:30-17:30"."""

import re
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .errors import ValidationFailed


def local(moment: datetime | None) -> datetime | None:
    """A moment in Shanghai time (+08:00), as answers give it and people read it. A moment
    at the very edge of what Python holds (a row stored before the input boundary, year
    9999) stays in UTC rather than breaking every list that shows it."""
    if moment is None:
        return None
    try:
        return timezone.localtime(moment)
    except OverflowError:
        return moment


ALL_DAY = "24h"
WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
_INTERVAL = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})$")


def _minutes(hour: str, minute: str) -> int:
    value = int(hour) * 60 + int(minute)
    if int(minute) > 59 or value > 24 * 60:
        raise ValueError
    return value


def parse_day(spec: str) -> list[tuple[int, int]]:
    """Return the day's open intervals in minutes since midnight; raise ValueError if bad."""
    spec = (spec or "").strip().replace("，", ",").replace("：", ":")
    if not spec or spec.lower() in {"closed", "休息", "闭馆"}:
        return []
    if spec.lower() in {ALL_DAY, "24小时", "00:00-24:00", "0:00-24:00"}:
        return [(0, 24 * 60)]
    intervals = []
    for part in spec.split(","):
        match = _INTERVAL.match(part.strip())
        if not match:
            raise ValueError(part)
        start, end = _minutes(*match.group(1, 2)), _minutes(*match.group(3, 4))
        if end <= start:
            raise ValueError(part)
        intervals.append((start, end))
    intervals.sort()
    for (_s1, e1), (s2, _e2) in zip(intervals, intervals[1:], strict=False):
        if s2 < e1:
            raise ValueError(spec)
    return intervals


def format_day(intervals: list[tuple[int, int]]) -> str:
    if not intervals:
        return ""
    if intervals == [(0, 24 * 60)]:
        return ALL_DAY
    return ",".join(f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}" for s, e in intervals)


def normalize_week(week, *, field: str = "opening_hours") -> list[str]:
    """Validate seven day specs and return them in canonical form."""
    if not isinstance(week, list | tuple) or len(week) != 7:
        raise ValidationFailed(
            _("Give opening hours for all seven days, Monday first."), field=field
        )
    result = []
    for index, spec in enumerate(week):
        try:
            result.append(format_day(parse_day(str(spec or ""))))
        except ValueError:
            raise ValidationFailed(
                _(
                    "%(day)s: write hours like 08:30-12:00,13:30-17:30, or 24h, or leave empty "
                    "for closed."
                )
                % {"day": WEEKDAYS[index]},
                field=field,
            ) from None
    return result


def is_open_at(week: list[str], moment: datetime | None = None) -> bool:
    moment = timezone.localtime(moment)
    minutes = moment.hour * 60 + moment.minute
    return any(s <= minutes < e for s, e in parse_day(week[moment.weekday()]))


def is_all_day_every_day(week: list[str]) -> bool:
    return all(day == ALL_DAY for day in week)


def describe_day(spec: str) -> str:
    if not spec:
        return str(pgettext_lazy("opening hours", "Closed"))
    if spec == ALL_DAY:
        return str(_("Open 24 hours"))
    return spec.replace(",", ", ")


def week_rows(week: list[str], moment: datetime | None = None) -> list[dict]:
    today = timezone.localtime(moment).weekday()
    return [
        {"day": WEEKDAYS[i], "hours": describe_day(spec), "today": i == today}
        for i, spec in enumerate(week)
    ]


def default_week() -> list[str]:
    return ["08:30-17:30"] * 5 + ["09:00-17:00", ""]
