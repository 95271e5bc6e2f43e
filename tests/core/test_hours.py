from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from dangqun.core import hours
from dangqun.core.errors import ValidationFailed

SH = ZoneInfo("Asia/Shanghai")


def test_day_specs_are_normalised():
    week = hours.normalize_week(
        [
            "8:30-12:00, 13:30-17:30",
            "24小时",
            "",
            "closed",
            "09:00-17:00",
            "24h",
            "13:30-17:30,08:30-12:00",
        ]
    )
    assert week == [
        "08:30-12:00,13:30-17:30",
        "24h",
        "",
        "",
        "09:00-17:00",
        "24h",
        "08:30-12:00,13:30-17:30",
    ]


@pytest.mark.parametrize(
    "bad", ["9-17", "17:00-09:00", "08:00-12:00,11:00-13:00", "25:00-26:00", "08:61-09:00", "open"]
)
def test_bad_day_spec_names_the_day_and_field(bad):
    week = ["08:00-17:00"] * 3 + [bad] + ["08:00-17:00"] * 3
    for language, day in (("en", "Thursday"), ("zh-hans", "星期四")):
        with pytest.raises(ValidationFailed) as caught, translation.override(language):
            hours.normalize_week(week)
        assert caught.value.field == "opening_hours"
        assert day in str(caught.value.message)


def test_week_must_have_seven_days():
    with pytest.raises(ValidationFailed):
        hours.normalize_week(["08:00-17:00"] * 6)


def test_open_at_respects_intervals_and_weekday():
    week = ["08:30-12:00,13:30-17:30"] * 5 + ["", "24h"]
    monday = datetime(2026, 11, 23, tzinfo=SH)
    assert hours.is_open_at(week, monday.replace(hour=8, minute=30))
    assert not hours.is_open_at(week, monday.replace(hour=12, minute=30))
    assert not hours.is_open_at(week, monday.replace(hour=17, minute=30))
    saturday, sunday = datetime(2026, 11, 28, 10, tzinfo=SH), datetime(2026, 11, 29, 3, tzinfo=SH)
    assert not hours.is_open_at(week, saturday)
    assert hours.is_open_at(week, sunday)


def test_open_at_uses_shanghai_time_for_utc_moments():
    week = ["09:00-10:00"] * 7
    # 01:30 UTC is 09:30 in Shanghai
    assert hours.is_open_at(week, datetime(2026, 11, 23, 1, 30, tzinfo=ZoneInfo("UTC")))


@given(
    st.lists(
        st.tuples(st.integers(0, 23), st.integers(0, 59), st.integers(1, 120)),
        min_size=1,
        max_size=1,
    )
)
def test_format_parse_round_trip(parts):
    hour, minute, length = parts[0]
    start = hour * 60 + minute
    end = min(start + length, 24 * 60)
    spec = hours.format_day([(start, end)])
    assert hours.parse_day(spec) == [(start, end)]
