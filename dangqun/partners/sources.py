"""What partners delivered through the apps above this one (activities, intake, volunteers),
read back through functions those apps register here from their `apps.ready()`: this app
sits below them in the import layers and cannot import them.

A source is called with the level of grouping (`by`: "partner", "sub_brand" or "brand"),
the ids of that level and a period [start, end] of local dates. It answers rows
`(id, metric, day, value)`: `day` is the local date a countable thing happened on (a
session's start, a request's closing, a ledger entry's date) for metrics that add up over
days, or None for a count over the whole period that does not (distinct activities,
distinct people). Days let the figures compare a pledge with what was delivered within an
agreement's term only. A source runs a fixed number of queries, whatever the ids.

A brand is its sub-brands: a source groups through `sub_brand__brand`. The lookups a
source needs from its records to the partner, sub-brand or brand are its own business."""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

PARTNER, SUB_BRAND, BRAND = "partner", "sub_brand", "brand"
LEVELS = (PARTNER, SUB_BRAND, BRAND)

# The metrics the registered sources count.
ACTIVITIES = "activities"  # activities held: at least one session held in the period
SESSIONS = "sessions"  # sessions held: begun in the period, activity not cancelled
PERSON_TIMES = "person_times"  # check-ins at those sessions
PEOPLE = "people"  # distinct people checked in at those sessions
REQUESTS = "requests"  # intake requests resolved in the period
VOLUNTEER_MINUTES = "volunteer_minutes"  # credit and honour minutes of the hours ledger

Row = tuple[int, str, date | None, int]
Source = Callable[..., Iterable[Row]]

_SOURCES: dict[str, Source] = {}


def register(name: str, source: Source) -> None:
    """`source(*, by, ids, start, end)` -> rows (id, metric, day or None, value)."""
    _SOURCES[name] = source


def registered() -> list[str]:
    return sorted(_SOURCES)


@dataclass
class Delivery:
    """What one partner, sub-brand or brand delivered in the period."""

    totals: Counter = field(default_factory=Counter)
    daily: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def __getitem__(self, metric: str) -> int:
        return self.totals[metric]

    def within(self, metric: str, spans: Iterable[tuple[date, date]]) -> int:
        """The metric counted on the days inside any of the spans (first, last)."""
        spans = list(spans)
        return sum(
            value
            for day, value in self.daily[metric].items()
            if any(first <= day <= last for first, last in spans)
        )


def delivered(*, by: str, ids: Iterable[int], start: date, end: date) -> dict[int, Delivery]:
    """Every registered source's count for each id (every id present, zero when nothing)."""
    if by not in LEVELS:
        raise ValueError(f"by must be one of {LEVELS}")
    ids = sorted(set(ids))
    found = {pk: Delivery() for pk in ids}
    if not ids:
        return found
    for name in sorted(_SOURCES):
        for pk, metric, day, value in _SOURCES[name](by=by, ids=ids, start=start, end=end):
            if pk not in found or not value:
                continue
            found[pk].totals[metric] += value
            if day is not None:
                found[pk].daily[metric][day] += value
    return found
