"""The figures per partner, sub-brand and brand: pledges prorated to the days due and their
red/amber/green state, a constant number of queries, and — over random data — the figures
of each partner, sub-brand and brand equal a direct count of the same data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangqun.activities.models import Activity
from dangqun.partners import figures
from dangqun.partners.models import Brand, Partner, SubBrand
from tests import factories

from . import figures_world as w

pytestmark = pytest.mark.django_db

START, END = date(2025, 3, 1), date(2025, 3, 31)


def _one(partner, *, start, end, today):
    rows, _subs, _brands = figures.compute([partner], [], [], start=start, end=end, today=today)
    return rows[0]


def test_pledges_prorated_to_the_overlap_and_their_states(district, english):
    center = district.xianlin_center
    p = factories.partner(center)
    w.agreement(p, date(2025, 4, 1), date(2026, 3, 31), sessions=12, hours="365", money="3650")
    # Sessions: three in April (in the agreement), one in March (before it).
    w.activity_with_sessions(
        center, [date(2025, 3, 20), date(2025, 4, 2), date(2025, 5, 2), date(2025, 6, 2)], partner=p
    )
    team = w.team(center, partner=p)
    w.hours(team, factories.PersonFactory(), date(2025, 5, 1), 60 * 60)
    w.hours(team, factories.PersonFactory(), date(2025, 3, 1), 60 * 60)  # before the agreement
    w.receipt(p, date(2025, 5, 5), "100")
    w.receipt(p, date(2025, 3, 5), "5000")  # before the agreement
    row = _one(p, start=date(2025, 1, 1), end=date(2025, 6, 30), today=date(2025, 12, 31))
    assert row.sessions == 4 and row.volunteer_hours == Decimal("120.0")
    assert row.money == Decimal("5100") and row.goods == Decimal("0")
    pledges = {pledge.metric: pledge for pledge in row.pledges}
    # 91 days (April to June) of a 365-day agreement.
    assert pledges["sessions"].due == Decimal(12 * 91) / 365
    assert pledges["sessions"].delivered == 3
    assert pledges["sessions"].state == "green"  # 3 of 2.99
    assert pledges["hours"].due == Decimal(91) and pledges["hours"].delivered == 60
    assert pledges["hours"].percent == 65 and pledges["hours"].state == "amber"
    assert pledges["money"].due == Decimal(910) and pledges["money"].delivered == 100
    assert pledges["money"].state == "red"
    assert row.state == "red"  # the worst of the three
    assert str(row.state_label) == "Far behind"


def test_only_the_days_up_to_today_are_due(district):
    p = factories.partner(district.xianlin_center)
    w.agreement(p, date(2025, 4, 1), date(2026, 3, 31), sessions=365, hours="0", money="0")
    row = _one(p, start=date(2025, 1, 1), end=date(2025, 12, 31), today=date(2025, 5, 15))
    (pledge,) = row.pledges  # nothing pledged in hours or money: no pledge of them
    assert pledge.metric == "sessions" and pledge.due == 45  # 1 April to 15 May
    assert pledge.state == "red"


def test_no_agreement_or_one_not_begun_means_no_pledge(district):
    p = factories.partner(district.xianlin_center)
    assert _one(p, start=START, end=END, today=END).state is None
    w.agreement(p, date(2025, 3, 20), date(2025, 12, 31), sessions=12)
    assert _one(p, start=START, end=END, today=date(2025, 3, 10)).pledges == []


def test_two_agreements_add_up_and_count_their_days_once(district):
    center = district.xianlin_center
    p = factories.partner(center)
    w.agreement(p, date(2025, 1, 1), date(2025, 12, 31), money="365")
    w.agreement(p, date(2025, 3, 1), date(2025, 3, 31), money="31")
    w.receipt(p, date(2025, 3, 10), "40")
    row = _one(p, start=START, end=END, today=END)
    (pledge,) = row.pledges
    assert pledge.due == Decimal(31 + 31) and pledge.delivered == 40
    assert pledge.percent == 64 and pledge.state == "amber"


def test_thresholds_come_from_the_settings(district, settings):
    p = factories.partner(district.xianlin_center)
    w.agreement(p, START, END, money="100")
    w.receipt(p, START, "30")
    assert _one(p, start=START, end=END, today=END).state == "red"
    settings.PARTNERS = {"PLEDGE_GREEN_PERCENT": 30, "PLEDGE_AMBER_PERCENT": 10}
    assert _one(p, start=START, end=END, today=END).state == "green"
    settings.PARTNERS = {"PLEDGE_GREEN_PERCENT": 50, "PLEDGE_AMBER_PERCENT": 30}
    assert _one(p, start=START, end=END, today=END).state == "amber"


def test_a_bad_period_is_refused_naming_the_field():
    from dangqun.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        figures.compute([], [], [], start=END, end=START)
    assert refused.value.field == "end"
    with pytest.raises(ValidationFailed):
        figures.compute([], [], [], start=date(1900, 1, 1), end=date(2100, 1, 1))


def _busy_partner(center, brand, n: int):
    p = factories.partner(center, name=f"共建单位{n}")
    s = factories.sub_brand(p, center, name=f"子品牌{n}", brand=brand)
    w.agreement(p, date(2025, 1, 1), date(2025, 12, 31), sessions=12, hours="100", money="1000")
    _activity, sessions = w.activity_with_sessions(center, [START, END], partner=p, sub_brand=s)
    w.check_in(sessions[0], factories.PersonFactory())
    w.request(
        factories.service_item(center, partner=p, sub_brand=s),
        factories.PersonFactory(),
        closed_on=START,
    )
    w.hours(w.team(center, partner=p, name=f"队{n}"), factories.PersonFactory(), START, 90)
    w.receipt(p, START, "10")
    return p


def _queries(district) -> int:
    with CaptureQueriesContext(connection) as captured:
        figures.compute(
            Partner.objects.order_by("id"),
            SubBrand.objects.select_related("partner", "center", "brand"),
            Brand.objects.all(),
            start=START,
            end=END,
            today=END,
        )
    return len(captured)


def test_a_constant_number_of_queries(district, django_assert_num_queries):
    brand = Brand.objects.create(name="红暖未来", region=district.district)
    _busy_partner(district.xianlin_center, brand, 0)
    few = _queries(district)
    for n in range(1, 6):
        _busy_partner(district.xianlin_center, brand, n)
        Brand.objects.create(name=f"品牌{n}", region=district.xianlin)
    assert _queries(district) == few
    # 3 lists, agreements, receipts; per level activities 4, intake 1, volunteers 1.
    with django_assert_num_queries(3 + 2 + 3 * 6):
        figures.compute(
            Partner.objects.all(),
            SubBrand.objects.select_related("partner", "center", "brand"),
            Brand.objects.all(),
            start=START,
            end=END,
            today=END,
        )


# --- over random data, the figures equal a direct count ----------------------------------------

DAYS = st.integers(-3, 33)  # days from the period's first day (31 days long)
activities = st.lists(
    st.tuples(
        st.integers(0, 2),  # partner
        st.booleans(),  # under the partner's sub-brand
        st.sampled_from(["published", "finished", "cancelled", "draft"]),
        st.sets(DAYS, min_size=1, max_size=3),  # session days
        st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3)), max_size=5),  # check-ins
    ),
    max_size=4,
)
requests = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from(["resolved", "rejected", "in_progress"]), DAYS),
    max_size=5,
)
ledger = st.lists(
    st.tuples(st.integers(0, 3), DAYS, st.integers(-60, 240).filter(bool)), max_size=6
)
money = st.lists(
    st.tuples(st.integers(0, 2), DAYS, st.integers(1, 1000), st.sampled_from(["money", "goods"])),
    max_size=4,
)


def _inside(offset: int) -> bool:
    return 0 <= offset <= (END - START).days


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(activities=activities, requests=requests, ledger=ledger, money=money)
def test_figures_equal_a_direct_count(district, activities, requests, ledger, money):
    with transaction.atomic():
        _check_random_world(district, activities, requests, ledger, money)
        transaction.set_rollback(True)


def _check_random_world(district, activities, requests, ledger, money):
    center = district.xianlin_center
    brand = Brand.objects.create(name="红暖未来", region=district.district)
    partners = [factories.partner(center, name=f"共建单位{n}") for n in range(3)]
    subs = [
        factories.sub_brand(p, center, name=f"子品牌{n}", brand=brand)
        for n, p in enumerate(partners)
    ]
    people = [factories.PersonFactory() for _ in range(4)]
    teams = [w.team(center, partner=p, name=f"队{n}") for n, p in enumerate(partners)]
    teams.append(w.team(center, name="无共建单位的队"))
    items = [
        factories.service_item(center, partner=p, sub_brand=s)
        for p, s in zip(partners, subs, strict=True)
    ]
    expected = {
        ("partner", n): {
            "sessions": 0,
            "activities": 0,
            "person_times": 0,
            "people": set(),
            "requests": 0,
            "minutes": 0,
        }
        for n in range(3)
    }
    for n in range(3):
        expected[("sub_brand", n)] = {**expected[("partner", n)], "people": set()}
    expected[("brand", 0)] = {**expected[("partner", 0)], "people": set()}
    money_of = [{"money": 0, "goods": 0} for _ in range(3)]

    def add(keys, field, value):
        for key in keys:
            if field == "people":
                expected[key]["people"] |= value
            else:
                expected[key][field] += value

    for n, under_sub, status, days, check_ins in activities:
        days = sorted(days)
        activity, sessions = w.activity_with_sessions(
            center,
            [START + timedelta(days=d) for d in days],
            partner=partners[n],
            sub_brand=subs[n] if under_sub else None,
        )
        came = set()
        for session_pick, person in check_ins:
            session = session_pick % len(sessions)
            if (session, person) not in came:
                w.check_in(sessions[session], people[person])
                came.add((session, person))
        Activity.objects.filter(pk=activity.pk).update(status=status)
        keys = [("partner", n)] + ([("sub_brand", n), ("brand", 0)] if under_sub else [])
        held = (
            [i for i, d in enumerate(days) if _inside(d)]
            if status in ("published", "finished")
            else []
        )
        add(keys, "sessions", len(held))
        add(keys, "activities", 1 if held else 0)
        add(keys, "person_times", sum(1 for s, _p in came if s in held))
        add(keys, "people", {p for s, p in came if s in held})
    for n, status, day in requests:
        w.request(items[n], people[0], closed_on=START + timedelta(days=day), status=status)
        if status == "resolved" and _inside(day):
            add([("partner", n), ("sub_brand", n), ("brand", 0)], "requests", 1)
    for t, day, minutes in ledger:
        w.hours(teams[t], people[0], START + timedelta(days=day), minutes)
        if t < 3 and _inside(day):
            add([("partner", t)], "minutes", minutes)
    for n, day, amount, kind in money:
        w.receipt(partners[n], START + timedelta(days=day), str(amount), kind=kind)
        if _inside(day):
            money_of[n][kind] += amount

    rows, sub_rows, brand_rows = figures.compute(
        partners, subs, [brand], start=START, end=END, today=date(2026, 1, 1)
    )
    for level, found in (("partner", rows), ("sub_brand", sub_rows), ("brand", brand_rows)):
        for n, row in enumerate(found):
            want = expected[(level, n)]
            got = {
                "sessions": row.sessions,
                "activities": row.activities,
                "person_times": row.person_times,
                "people": row.people,
                "requests": row.requests,
                "minutes": row.volunteer_minutes,
            }
            # Ledger entries here come from no shift: sub-brands and brands have none.
            assert got == {**want, "people": len(want["people"])}, (level, n)
    for n, row in enumerate(rows):
        assert row.money == money_of[n]["money"] and row.goods == money_of[n]["goods"]


# --- over random agreements, what is due and delivered is counted day by day -----------------

agreements = st.lists(
    st.tuples(
        st.integers(-60, 40),  # first day, from the period's
        st.integers(0, 400),  # days after the first
        st.integers(0, 50),  # sessions a year
        st.integers(0, 5000),  # money or goods over the term
    ),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    agreements=agreements,
    receipts=st.lists(st.tuples(DAYS, st.integers(1, 3000)), max_size=5),
    sessions=st.sets(DAYS, max_size=6),
    today_offset=st.integers(-5, 40),
)
def test_pledges_equal_a_count_day_by_day(district, agreements, receipts, sessions, today_offset):
    with transaction.atomic():
        _check_pledges(district, agreements, receipts, sessions, today_offset)
        transaction.set_rollback(True)


def _check_pledges(district, agreements, receipts, sessions, today_offset):
    center = district.xianlin_center
    partner = factories.partner(center)
    today = START + timedelta(days=today_offset)
    due_days, due = set(), {"sessions": Decimal(0), "money": Decimal(0)}
    for first_offset, length, per_year, money in agreements:
        first = START + timedelta(days=first_offset)
        last = first + timedelta(days=length)
        w.agreement(partner, first, last, sessions=per_year, money=str(money))
        if last < START or first > END:
            continue
        days = [
            day
            for day in (first + timedelta(days=n) for n in range(length + 1))
            if START <= day <= min(END, today)
        ]
        due_days.update(days)
        due["sessions"] += Decimal(per_year * len(days)) / 365
        due["money"] += Decimal(money) * len(days) / (length + 1)
    days = sorted(START + timedelta(days=d) for d in sessions)
    if days:
        w.activity_with_sessions(center, days, partner=partner)
    for offset, amount in receipts:
        w.receipt(partner, START + timedelta(days=offset), str(amount))
    delivered = {
        "sessions": sum(1 for day in days if day in due_days),
        "money": sum(
            amount for offset, amount in receipts if START + timedelta(days=offset) in due_days
        ),
    }
    row = _one(partner, start=START, end=END, today=today)
    found = {pledge.metric: pledge for pledge in row.pledges}
    for metric in ("sessions", "money"):
        if due[metric] > 0:
            pledge = found.pop(metric)
            # Decimal sums in another order may differ in the 28th digit.
            assert abs(pledge.due - due[metric]) < Decimal("1e-18")
            assert pledge.delivered == delivered[metric]
            percent = Decimal(delivered[metric] * 100) / pledge.due
            assert pledge.state == (
                "green" if percent >= 100 else "amber" if percent >= 60 else "red"
            )
    assert found == {}
