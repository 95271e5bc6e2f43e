"""Each app's source counts what partners delivered there: activities and sessions held,
person-times and distinct people (activities), requests resolved (intake), hours of the
ledger (volunteers), per partner, sub-brand and brand, on the right days."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangqun.partners import sources
from dangqun.partners.models import Brand
from tests import factories

from . import figures_world as w

pytestmark = pytest.mark.django_db

START, END = date(2025, 3, 1), date(2025, 3, 31)


@pytest.fixture
def setup(district):
    center = district.xianlin_center
    p = factories.partner(center)
    q = factories.partner(center, name="闲富门诊", kind="clinic")
    brand = Brand.objects.create(name="党建聚力·红暖未来", region=district.district)
    s = factories.sub_brand(p, center, brand=brand)
    people = [factories.PersonFactory() for _ in range(4)]
    return district, center, p, q, s, brand, people


def _get(by, ids, metric, start=START, end=END):
    return {
        pk: d[metric] for pk, d in sources.delivered(by=by, ids=ids, start=start, end=end).items()
    }


def test_every_app_registers_its_source():
    assert sources.registered() == ["activities", "intake", "volunteers"]


def test_activities_held_sessions_person_times_and_people(setup):
    _tree, center, p, q, s, brand, (one, two, three, four) = setup
    a1, sessions = w.activity_with_sessions(
        center, [date(2025, 2, 28), START, END, date(2025, 4, 1)], partner=p, sub_brand=s
    )
    w.activity_with_sessions(center, [date(2025, 3, 10)], partner=p, status="cancelled")
    w.activity_with_sessions(center, [date(2025, 3, 11)], partner=p, status="draft")
    a2, _ = w.activity_with_sessions(center, [date(2025, 3, 12)], partner=p, status="finished")
    w.activity_with_sessions(center, [date(2025, 3, 13)], partner=q)
    w.check_in(sessions[1], one)
    w.check_in(sessions[2], one)
    w.check_in(sessions[1], two)
    w.check_in(sessions[0], three)  # the day before the period
    w.check_in(sessions[3], four)  # the day after
    for by, pk in ((sources.PARTNER, p.pk), (sources.SUB_BRAND, s.pk), (sources.BRAND, brand.pk)):
        found = sources.delivered(by=by, ids=[pk], start=START, end=END)[pk]
        held_here = 2 if by == sources.PARTNER else 1  # a2 has no sub-brand
        assert found[sources.ACTIVITIES] == held_here
        assert found[sources.SESSIONS] == held_here + 1
        assert found[sources.PERSON_TIMES] == 3
        assert found[sources.PEOPLE] == 2
        assert found.daily[sources.SESSIONS][START] == 1
        assert found.daily[sources.PERSON_TIMES][END] == 1
    assert _get(sources.PARTNER, [q.pk], sources.SESSIONS) == {q.pk: 1}


def test_a_session_not_begun_yet_is_not_held(setup):
    _tree, center, p, _q, _s, _brand, _people = setup
    today = timezone.localdate()
    w.activity_with_sessions(center, [today + timedelta(days=2)], partner=p)
    found = sources.delivered(by="partner", ids=[p.pk], start=today, end=today + timedelta(days=9))
    assert found[p.pk][sources.SESSIONS] == 0
    assert found[p.pk][sources.ACTIVITIES] == 0


def test_requests_resolved_in_the_period(setup):
    _tree, center, p, q, s, brand, (one, *_rest) = setup
    item = factories.service_item(center, partner=p, sub_brand=s)
    other = factories.service_item(center, partner=q)
    w.request(item, one, closed_on=date(2025, 3, 5))
    w.request(item, one, closed_on=END)
    w.request(item, one, closed_on=date(2025, 4, 2))
    w.request(item, one, closed_on=date(2025, 3, 6), status="rejected")
    w.request(item, one, closed_on=None, status="in_progress")
    w.request(other, one, closed_on=date(2025, 3, 7))
    assert _get("partner", [p.pk, q.pk], sources.REQUESTS) == {p.pk: 2, q.pk: 1}
    assert _get("sub_brand", [s.pk], sources.REQUESTS) == {s.pk: 2}
    assert _get("brand", [brand.pk], sources.REQUESTS) == {brand.pk: 2}


def test_volunteer_minutes_of_the_partners_teams_and_the_sub_brands_shifts(setup):
    _tree, center, p, q, s, brand, (one, two, *_rest) = setup
    team = w.team(center, partner=p)
    plain = w.team(center, name="闲林助老队")
    w.hours(team, one, date(2025, 3, 2), 60)
    w.hours(team, two, date(2025, 3, 3), 90, kind="credit")
    w.hours(team, two, date(2025, 3, 4), -30, kind="credit")  # a reversal, in part
    w.hours(team, one, date(2025, 4, 1), 120)
    w.hours(plain, one, date(2025, 3, 2), 45)
    activity, _sessions = w.activity_with_sessions(center, [START], partner=p, sub_brand=s)
    w.hours(plain, two, START, 30, kind="credit", shift=w.shift_for(plain, activity))
    assert _get("partner", [p.pk, q.pk], sources.VOLUNTEER_MINUTES) == {p.pk: 120, q.pk: 0}
    assert _get("sub_brand", [s.pk], sources.VOLUNTEER_MINUTES) == {s.pk: 30}
    assert _get("brand", [brand.pk], sources.VOLUNTEER_MINUTES) == {brand.pk: 30}


def test_no_ids_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert sources.delivered(by="partner", ids=[], start=START, end=END) == {}


def test_an_unknown_level_is_refused():
    with pytest.raises(ValueError):
        sources.delivered(by="center", ids=[1], start=START, end=END)


def test_the_sources_see_what_the_apps_own_services_write(setup, settings, tmp_path):
    """A request resolved through intake's services; honour hours entered and approved
    through the volunteers' services, by a team the partner runs."""
    from dangqun.intake import services as intake
    from dangqun.volunteers import services as volunteers
    from dangqun.volunteers.models import Team
    from tests.volunteers.conftest import make_crew
    from tests.volunteers.test_services import evidence

    settings.VAR_DIR = tmp_path
    tree, center, p, _q, s, brand, (one, *_rest) = setup
    today = timezone.localdate()
    item = factories.service_item(center, partner=p, sub_brand=s, time_limit_days=3)
    desk = factories.staff("center_staff", tree.xianlin, center=center)
    request = intake.request_submit(
        actor=desk, person=one, item=item, channel="counter", values={}, description=""
    )
    intake.request_resolve(actor=desk, request=request, note="已办结")
    crew = make_crew(tree)
    Team.objects.filter(pk=crew.team.pk).update(partner=p)
    claim = volunteers.honour_enter(
        actor=crew.leader,
        team=crew.team,
        person=crew.members[0],
        day=today,
        minutes=90,
        reason="防汛值守",
        evidence=evidence(),
    )
    volunteers.honour_decide(actor=crew.leader2, claim=claim, approve=True)
    found = sources.delivered(by="partner", ids=[p.pk], start=today, end=today)[p.pk]
    assert found[sources.REQUESTS] == 1
    assert found[sources.VOLUNTEER_MINUTES] == 90
    by_brand = sources.delivered(by="brand", ids=[brand.pk], start=today, end=today)
    assert by_brand[brand.pk][sources.REQUESTS] == 1
