"""The free-space search reads rules and closed dates once, however many spaces there are."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from dangqun.bookings import selectors
from tests import factories
from tests.clients import count_queries


def _search_queries() -> tuple[int, int]:
    day = timezone.localdate() + timedelta(days=3)
    start = timezone.make_aware(datetime.combine(day, time(10)))
    n, found = count_queries(
        lambda: selectors.free_spaces(start=start, end=start + timedelta(hours=1))
    )
    return n, len(found)


def test_search_query_count_does_not_grow_with_spaces(db):
    center = factories.CenterFactory(opening_hours=["08:00-20:00"] * 7)
    for _ in range(3):
        factories.SpaceFactory(center=center, is_bookable=True)
    few_queries, few_found = _search_queries()
    other = factories.CenterFactory(opening_hours=["08:00-20:00"] * 7)
    for _ in range(20):
        factories.SpaceFactory(center=other, is_bookable=True)
    many_queries, many_found = _search_queries()
    assert (few_found, many_found) == (3, 23)
    assert many_queries == few_queries
