"""The working-day calendar across the State Council's arrangements as the chinese-calendar
package has them (National Day and Spring Festival with their make-up days, 2024-2026), and
across a year the package lacks: weekdays only and "estimated" until district staff enter
the year, exact afterwards; entered days override the package."""

from datetime import date, timedelta

import pytest

from dangqun.people.models import StaffRole
from dangqun.workdays import selectors, services
from dangqun.workdays.models import OfficialDay, OfficialYear
from dangqun.workdays.selectors import Deadline, deadline_after, is_working_day
from dangqun.workdays.selectors import working_days_between as between
from tests import factories

pytestmark = pytest.mark.django_db

LACKING = max(selectors.package_years()) + 1  # 2027 with chinese-calendar 1.11

# The arrangement of 2027 as a district admin would type it (the test does not depend on
# the real one: it checks that what is entered is what counts).
YEAR_LINES = f"""
{LACKING}-10-01 holiday 国庆节
{LACKING}-10-04 休 国庆节
{LACKING}-10-05 holiday 国庆节
{LACKING}-10-06 holiday 国庆节
{LACKING}-10-07 holiday 国庆节
{LACKING}-10-09 班 国庆节调休
"""


@pytest.fixture
def admin(district):
    return factories.staff(StaffRole.Role.DISTRICT_ADMIN, district.district)


def test_the_package_covers_2024_to_2026_and_not_2027():
    years = selectors.package_years()
    assert {2024, 2025, 2026} <= years
    assert LACKING not in years and LACKING >= 2027


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 9, 26), True),  # Friday before National Day
        (date(2025, 9, 27), False),  # Saturday
        (date(2025, 9, 28), True),  # Sunday, make-up working day
        (date(2025, 10, 1), False),
        (date(2025, 10, 6), False),  # Mid-autumn inside the Golden Week
        (date(2025, 10, 8), False),  # Wednesday, still a holiday
        (date(2025, 10, 9), True),
        (date(2025, 10, 11), True),  # Saturday, make-up working day
        (date(2025, 10, 12), False),
        (date(2026, 2, 14), True),  # Saturday before Spring Festival, make-up working day
        (date(2026, 2, 16), False),  # Monday, Spring Festival
        (date(2026, 2, 23), False),  # Monday, last day of the holiday
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Saturday, make-up working day
        (date(2026, 3, 1), False),
        (date(2024, 9, 29), True),  # Sunday, 2024's National Day make-up
        (date(2024, 10, 7), False),
        (date(2024, 10, 12), True),
    ],
)
def test_the_package_arrangement(day, working):
    assert is_working_day(day) is working


def test_deadlines_across_national_day_2025():
    # Submitted Friday 26 September: day 1 is Sunday 28 (make-up), then 29, 30, then the
    # holiday 1-8 October, then Thursday 9, Friday 10, Saturday 11 (make-up).
    assert deadline_after(date(2025, 9, 26), 1) == Deadline(date(2025, 9, 28), False)
    assert deadline_after(date(2025, 9, 26), 3).date == date(2025, 9, 30)
    assert deadline_after(date(2025, 9, 26), 4).date == date(2025, 10, 9)
    assert deadline_after(date(2025, 9, 26), 6).date == date(2025, 10, 11)
    assert deadline_after(date(2025, 9, 26), 7).date == date(2025, 10, 13)
    assert between(date(2025, 9, 26), date(2025, 10, 13)) == 7


def test_a_request_on_a_holiday_starts_counting_at_the_next_working_day():
    # National Day itself: day 1 is Thursday 9 October, the first working day after it.
    assert deadline_after(date(2025, 10, 1), 1).date == date(2025, 10, 9)
    assert deadline_after(date(2025, 10, 3), 5).date == date(2025, 10, 14)  # 9, 10, 11, 13, 14
    # Saturday: day 1 is Monday.
    assert deadline_after(date(2025, 11, 15), 1).date == date(2025, 11, 17)
    assert deadline_after(date(2025, 11, 15), 0).date == date(2025, 11, 15)


def test_deadlines_across_spring_festival_2026():
    # Friday 13 Feb: Saturday 14 is a make-up day, then nine days off (15-23).
    assert deadline_after(date(2026, 2, 13), 1).date == date(2026, 2, 14)
    assert deadline_after(date(2026, 2, 13), 2).date == date(2026, 2, 24)
    assert deadline_after(date(2026, 2, 13), 6).date == date(2026, 2, 28)
    assert deadline_after(date(2026, 2, 13), 7).date == date(2026, 3, 2)
    assert between(date(2026, 2, 13), date(2026, 2, 28)) == 6
    assert between(date(2026, 2, 14), date(2026, 2, 23)) == 0


def test_deadlines_across_spring_festival_2025():
    # 2025: Sunday 26 Jan make-up, holiday 28 Jan - 4 Feb, Saturday 8 Feb make-up.
    assert deadline_after(date(2025, 1, 24), 1).date == date(2025, 1, 26)
    assert deadline_after(date(2025, 1, 24), 2).date == date(2025, 1, 27)
    assert deadline_after(date(2025, 1, 24), 3).date == date(2025, 2, 5)
    assert deadline_after(date(2025, 1, 24), 6).date == date(2025, 2, 8)


def test_between_is_the_inverse_of_deadline_after():
    start = date(2024, 9, 1)
    for n in range(0, 300, 7):
        found = deadline_after(start, n)
        assert between(start, found.date) == n
        assert is_working_day(found.date) or n == 0
    assert between(date(2025, 10, 9), date(2025, 10, 1)) == 0
    assert between(date(2025, 10, 9), date(2025, 10, 9)) == 0


def test_across_the_new_year_into_a_lacking_year_the_deadline_is_estimated():
    last = max(selectors.package_years())
    near_end = deadline_after(date(last, 12, 21), 3)
    assert near_end.estimated is False
    crossing = deadline_after(date(last, 12, 28), 10)
    assert crossing.estimated is True
    # Weekdays only: no New Year's Day holiday in the estimate.
    assert is_working_day(date(LACKING, 1, 1)) is (date(LACKING, 1, 1).weekday() < 5)
    # Submitted on 31 December: the span starts in the lacking year.
    assert deadline_after(date(last, 12, 31), 1).estimated is True


def test_a_lacking_year_is_weekdays_until_entered_then_exact(admin):
    start = date(LACKING, 9, 30)  # Thursday
    before = deadline_after(start, 5)
    assert before == Deadline(date(LACKING, 10, 7), True)
    assert is_working_day(date(LACKING, 10, 1))
    assert selectors.year_status(LACKING).source == "estimated"

    services.official_year_enter(actor=admin, year=LACKING, lines=YEAR_LINES, complete=True)

    after = deadline_after(start, 5)
    # 1, 4-7 October off; Saturday 9 a make-up day: 8, 9, 11, 12, 13.
    assert after == Deadline(date(LACKING, 10, 13), False)
    assert not is_working_day(date(LACKING, 10, 1))
    assert is_working_day(date(LACKING, 10, 9))
    assert between(start, date(LACKING, 10, 13)) == 5
    status = selectors.year_status(LACKING)
    assert (status.source, status.estimated, status.entered_days) == ("entered", False, 6)


def test_entered_days_count_before_the_year_is_complete_but_stay_estimated(admin):
    services.official_year_enter(actor=admin, year=LACKING, lines=YEAR_LINES, complete=False)
    found = deadline_after(date(LACKING, 9, 30), 5)
    assert found == Deadline(date(LACKING, 10, 13), True)


def test_entered_days_override_the_package(admin):
    # Suppose a correction: Saturday 11 October 2025 no longer a make-up day, and
    # Wednesday 8 October made a working day again.
    services.official_day_add(actor=admin, day=date(2025, 10, 11), kind="holiday", name="更正")
    services.official_day_add(actor=admin, day=date(2025, 10, 8), kind="workday", name="更正")
    assert not is_working_day(date(2025, 10, 11))
    assert is_working_day(date(2025, 10, 8))
    assert deadline_after(date(2025, 9, 30), 1).date == date(2025, 10, 8)
    assert deadline_after(date(2025, 9, 30), 1).estimated is False


def test_a_write_elsewhere_is_seen_after_the_cache_time(admin, monkeypatch):
    assert is_working_day(date(LACKING, 10, 1))
    OfficialDay.objects.bulk_create([OfficialDay(date=date(LACKING, 10, 1), kind="holiday")])
    # bulk_create sends no signal: another process's write looks like this.
    assert is_working_day(date(LACKING, 10, 1))
    monkeypatch.setattr(selectors, "CACHE_SECONDS", 0)
    assert not is_working_day(date(LACKING, 10, 1))


def test_one_year_is_read_with_two_queries_then_none(django_assert_num_queries):
    with django_assert_num_queries(2):
        deadline_after(date(2025, 9, 26), 20)
        is_working_day(date(2026, 5, 1))
    with django_assert_num_queries(0):
        for n in range(200):
            deadline_after(date(2025, 1, 1) + timedelta(days=n), 15)
            between(date(2025, 1, 1), date(2026, 1, 1) + timedelta(days=n))


def test_a_year_record_alone_without_days_is_not_complete(admin):
    OfficialYear.objects.create(year=LACKING, complete=False)
    assert selectors.is_estimated(LACKING)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        deadline_after(date(2025, 1, 1), -1)
