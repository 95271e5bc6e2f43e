"""The booking rules of a space and the checks a request must pass (dangqun/bookings/rules.py).
Times are Asia/Shanghai; check_times gets a fixed "now", so the dates never go stale."""

from datetime import datetime, timedelta

import pytest

from dangqun.bookings import rules
from dangqun.bookings.models import Booking, BookingRule, ClosedDate
from dangqun.core.errors import ValidationFailed
from dangqun.people.models import PersonTag
from dangqun.places.models import SpaceKind
from tests import factories
from tests.bookings.helpers import HOURS, MONDAY, SH, Role, at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SATURDAY = MONDAY + timedelta(days=5)
SUNDAY = MONDAY + timedelta(days=6)
NOW = datetime(2030, 1, 1, 9, 0, tzinfo=SH)


@pytest.fixture
def space(room):
    return room


def check(space, start, end, rule=None, now=NOW):
    rules.check_times(
        space=space, rule=rule or rules.rule_for(space), start=start, end=end, now=now
    )


def refused(space, start, end, rule=None, now=NOW) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        check(space, start, end, rule, now)
    return caught.value


# --- which rule applies --------------------------------------------------------------


def test_a_space_follows_the_rule_of_its_kind(space):
    rule = rules.rule_for(space)
    assert rule.kind_id == space.kind_id and rule.space_id is None
    assert (rule.slot_minutes, rule.min_minutes, rule.max_minutes) == (30, 30, 240)
    assert rule.max_days_ahead == 30 and not rule.requires_approval


def test_the_livestream_studio_needs_approval_by_default(district):
    studio = factories.SpaceFactory(
        center=district.xianlin_center, kind=SpaceKind.objects.get(code="livestream_studio")
    )
    assert rules.rule_for(studio).requires_approval


def test_a_space_rule_overrides_the_kind_rule(space):
    BookingRule.objects.create(space=space, slot_minutes=60, min_minutes=60, max_minutes=120)
    rule = rules.rule_for(space)
    assert rule.space_id == space.pk
    assert (rule.slot_minutes, rule.max_minutes) == (60, 120)


def test_without_any_rule_the_defaults_apply(district):
    kind = SpaceKind.objects.create(code="reading_room", name="阅览室")
    room = factories.SpaceFactory(center=district.xianlin_center, kind=kind)
    rule = rules.rule_for(room)
    assert rule.pk is None
    assert (rule.slot_minutes, rule.min_minutes, rule.max_minutes, rule.max_days_ahead) == (
        30,
        30,
        240,
        30,
    )


def test_the_headcount_limit_is_the_rule_s_else_the_capacity(space):
    assert rules.headcount_limit(BookingRule(), space) == 20
    assert rules.headcount_limit(BookingRule(max_headcount=8), space) == 8
    space.capacity = None
    assert rules.headcount_limit(BookingRule(), space) is None


# --- who may book ----------------------------------------------------------------------


def test_staff_of_the_space_s_regions_are_its_staff(space, district):
    assert rules.is_space_staff(factories.staff(Role.STREET_ADMIN, district.xianlin), space)
    assert rules.is_space_staff(factories.staff(Role.DISTRICT_ADMIN, district.district), space)
    assert rules.is_space_staff(
        factories.staff(Role.CENTER_STAFF, district.xianlin, district.xianlin_center), space
    )
    assert not rules.is_space_staff(factories.staff(Role.STREET_ADMIN, district.cangqian), space)
    assert not rules.is_space_staff(factories.staff(Role.PARTNER_STAFF, district.xianlin), space)
    assert not rules.is_space_staff(factories.PersonFactory(), space)


def test_a_space_that_is_not_bookable_refuses_everyone(space, person):
    space.is_bookable = False
    assert rules.refusal(person, space, BookingRule()) == "This space cannot be booked."


def test_residents_may_book_an_open_space(space, person):
    assert rules.refusal(person, space, BookingRule()) is None


def test_a_space_closed_to_residents_refuses_them_but_not_partners_or_staff(space, district):
    rule = BookingRule(open_to_residents=False)
    resident = factories.PersonFactory()
    assert rules.refusal(resident, space, rule) == "Only staff and partners may book this space."
    partner = factories.staff(Role.PARTNER_STAFF, district.xianlin)
    assert rules.refusal(partner, space, rule) is None
    assert rules.refusal(
        partner, space, BookingRule(open_to_residents=False, open_to_partners=False)
    )
    assert rules.refusal(factories.staff(Role.STREET_ADMIN, district.xianlin), space, rule) is None


def test_required_groups_let_in_only_their_members(space, person):
    rule = BookingRule(required_tags=[PersonTag.Tag.NEW_EMPLOYMENT, PersonTag.Tag.VOLUNTEER])
    why = rules.refusal(person, space, rule)
    assert "New-employment worker" in why and "Volunteer" in why
    factories.tag(person, PersonTag.Tag.ELDER)
    assert rules.refusal(person, space, rule) is not None
    factories.tag(person, PersonTag.Tag.VOLUNTEER)
    assert rules.refusal(person, space, rule) is None


def test_staff_need_no_group(space, district):
    rule = BookingRule(required_tags=[PersonTag.Tag.ELDER])
    assert rules.refusal(factories.staff(Role.STREET_ADMIN, district.xianlin), space, rule) is None


# --- times -----------------------------------------------------------------------------


def test_a_good_time_passes(space):
    check(space, at(MONDAY, 9), at(MONDAY, 11))
    check(space, at(MONDAY, 8, 30), at(MONDAY, 12))  # from opening to the lunch break
    check(space, at(MONDAY, 13, 30), at(MONDAY, 17, 30))
    check(space, at(SATURDAY, 9), at(SATURDAY, 10))


def test_the_end_must_be_after_the_start(space):
    error = refused(space, at(MONDAY, 11), at(MONDAY, 10))
    assert error.field == "end" and str(error.message) == "The end must be after the start."
    assert refused(space, at(MONDAY, 10), at(MONDAY, 10)).field == "end"


def test_a_time_in_the_past_is_refused(space):
    error = refused(space, at(MONDAY, 9), at(MONDAY, 10), now=at(MONDAY, 9, 1))
    assert error.field == "start" and str(error.message) == "This time is in the past."


def test_too_far_ahead_is_refused(space):
    now = at(MONDAY, 9)
    last = MONDAY + timedelta(days=30)  # a Wednesday, 30 days on: still bookable
    check(space, at(last, 9), at(last, 10), now=now)
    error = refused(space, at(last, 9, 30), at(last, 10, 30), now=now)
    assert error.field == "start" and "at most 30 days ahead" in str(error.message)


def test_a_longer_window_ahead_comes_from_the_rule(space):
    later = MONDAY + timedelta(days=84)
    check(space, at(later, 9), at(later, 10), rule=BookingRule(max_days_ahead=90), now=NOW)


def test_too_short_and_too_long_are_refused(space):
    rule = BookingRule(slot_minutes=30, min_minutes=60, max_minutes=120)
    short = refused(space, at(MONDAY, 9), at(MONDAY, 9, 30), rule)
    assert short.field == "end" and "at least 60 minutes" in str(short.message)
    long = refused(space, at(MONDAY, 13, 30), at(MONDAY, 16), rule)
    assert long.field == "end" and "at most 120 minutes" in str(long.message)
    check(space, at(MONDAY, 13, 30), at(MONDAY, 15, 30), rule)


@pytest.mark.parametrize(
    ("start", "end"),
    [((9, 15), (10, 15)), ((9, 0), (9, 45)), ((9, 10), (10, 0))],
)
def test_times_off_the_slot_grid_are_refused(space, start, end):
    error = refused(space, at(MONDAY, *start), at(MONDAY, *end))
    assert error.field == "start" and "30-minute grid" in str(error.message)


def test_a_fifteen_minute_grid_accepts_quarter_hours(space):
    rule = BookingRule(slot_minutes=15, min_minutes=15, max_minutes=240)
    check(space, at(MONDAY, 9, 15), at(MONDAY, 9, 45), rule)


def test_seconds_are_off_the_grid(space):
    assert refused(space, at(MONDAY, 9), at(MONDAY, 10) + timedelta(seconds=1)).field == "start"


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (MONDAY, (7, 30), (9, 0)),  # before opening
        (MONDAY, (17, 0), (18, 0)),  # after closing
        (MONDAY, (11, 30), (12, 30)),  # into the lunch break
        (SATURDAY, (16, 30), (17, 30)),  # the shorter Saturday
        (SUNDAY, (10, 0), (11, 0)),  # closed all day
    ],
)
def test_outside_opening_hours_is_refused(space, day, start, end):
    error = refused(space, at(day, *start), at(day, *end))
    assert error.field == "start" and "Outside opening hours" in str(error.message)


def test_the_refusal_says_the_day_s_hours(space):
    assert "Closed" in str(refused(space, at(SUNDAY, 10), at(SUNDAY, 11)).message)
    assert "08:30-12:00, 13:30-17:30" in str(refused(space, at(MONDAY, 7), at(MONDAY, 8)).message)


def test_a_space_s_own_hours_replace_the_center_s(space):
    space.opening_hours = ["18:00-21:00"] * 7
    space.save()
    check(space, at(SUNDAY, 19), at(SUNDAY, 20))
    assert refused(space, at(MONDAY, 9), at(MONDAY, 10)).field == "start"


def test_a_booking_may_not_cross_midnight(space):
    space.opening_hours = ["24h"] * 7
    space.save()
    rule = BookingRule(max_minutes=600)
    check(space, at(MONDAY, 22), at(MONDAY, 23, 30), rule)
    check(space, at(MONDAY, 22), at(MONDAY + timedelta(days=1), 0), rule)  # until midnight
    error = refused(space, at(MONDAY, 23), at(MONDAY + timedelta(days=1), 1), rule)
    assert error.field == "end" and "same day" in str(error.message)


def test_a_closed_date_is_refused_for_the_center_s_spaces_only(space, district):
    ClosedDate.objects.create(center=space.center, date=MONDAY, reason="国庆")
    error = refused(space, at(MONDAY, 9), at(MONDAY, 10))
    assert error.field == "start" and str(error.message) == "The center is closed on this date."
    check(space, at(MONDAY + timedelta(days=1), 9), at(MONDAY + timedelta(days=1), 10))
    elsewhere = factories.SpaceFactory(center=district.cangqian_center, is_bookable=True)
    district.cangqian_center.opening_hours = HOURS
    district.cangqian_center.save()
    check(elsewhere, at(MONDAY, 9), at(MONDAY, 10))


# --- headcount ---------------------------------------------------------------------------


@pytest.mark.parametrize("headcount", [0, -3, None, "", "many"])
def test_a_headcount_must_be_a_positive_number(space, headcount):
    with pytest.raises(ValidationFailed) as caught:
        rules.check_headcount(space=space, rule=BookingRule(), headcount=headcount)
    assert caught.value.field == "headcount"


def test_over_the_capacity_is_refused(space):
    assert rules.check_headcount(space=space, rule=BookingRule(), headcount="20") == 20
    with pytest.raises(ValidationFailed, match="at most 20 people fit this space") as caught:
        rules.check_headcount(space=space, rule=BookingRule(), headcount=21)
    assert caught.value.field == "headcount"


def test_the_rule_s_limit_is_stricter_than_the_capacity(space):
    with pytest.raises(ValidationFailed, match="at most 8 people a booking"):
        rules.check_headcount(space=space, rule=BookingRule(max_headcount=8), headcount=9)


def test_without_capacity_or_limit_any_number_fits(space):
    space.capacity = None
    assert rules.check_headcount(space=space, rule=BookingRule(), headcount=500) == 500


# --- overlaps ----------------------------------------------------------------------------


def test_only_active_bookings_that_really_overlap_count(space, person):
    def booking(start, end, status):
        return Booking.objects.create(
            space=space,
            booker=person,
            created_by=person,
            start=at(MONDAY, *start),
            end=at(MONDAY, *end),
            purpose="x",
            headcount=1,
            status=status,
        )

    confirmed = booking((9, 0), (10, 0), Booking.Status.CONFIRMED)
    pending = booking((10, 0), (11, 0), Booking.Status.PENDING)
    booking((11, 0), (12, 0), Booking.Status.CANCELLED)
    booking((11, 0), (12, 0), Booking.Status.REJECTED)

    def found(start, end):
        return set(rules.overlapping(space, at(MONDAY, *start), at(MONDAY, *end)))

    assert found((9, 30), (10, 30)) == {confirmed, pending}
    assert found((8, 0), (9, 0)) == set()  # touching is not overlapping
    assert found((11, 0), (12, 0)) == set()  # cancelled and rejected free their time
    assert found((10, 59), (11, 30)) == {pending}
