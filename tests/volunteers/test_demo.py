"""The demo's volunteering: two teams with a history the services wrote, something waiting
for each leader, and a round that keeps the demo teams alive as time passes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangqun import demo
from dangqun.volunteers import tasks
from dangqun.volunteers.models import (
    Certificate,
    CorrectionRequest,
    HonourClaim,
    HoursEntry,
    Membership,
    MissedCheckOut,
    Redemption,
    RewardItem,
    Shift,
    Team,
)


@pytest.fixture
def loaded(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return demo.load(residents=40)


def test_two_teams_with_leaders_members_and_a_history(loaded):
    riders = Team.objects.get(is_riders_team=True)
    elders = Team.objects.get(center__slug="xianlin")
    assert riders.name == "小哥志愿服务队" and elders.join_rule == "approval"
    for team in (riders, elders):
        active = team.memberships.filter(status=Membership.Status.ACTIVE)
        assert active.filter(role="leader").count() == 2 and active.count() >= 5
        assert HoursEntry.objects.filter(team=team, source="attendance").exists()
    assert elders.memberships.filter(status="pending").count() == 1
    assert HoursEntry.objects.filter(source="approval").exists()
    assert (
        HoursEntry.objects.filter(source="reversal").count()
        == HoursEntry.objects.filter(source="correction").count()
        >= 1
    )
    assert HoursEntry.objects.filter(source="missed_check_out").exists()
    assert HonourClaim.objects.filter(status="pending").exists()
    assert CorrectionRequest.objects.filter(status="open").exists()
    assert MissedCheckOut.objects.filter(status="open").exists()
    assert Certificate.objects.filter(kind="service").exists()
    assert Certificate.objects.filter(kind="training").exists()
    assert RewardItem.objects.exists() and Redemption.objects.count() == 1


def test_shifts_ahead_with_a_waiting_list(loaded):
    now = timezone.now()
    ahead = Shift.objects.filter(start__gt=now)
    assert ahead.filter(start__gt=now + timedelta(days=12)).exists()
    assert ahead.filter(activity__waiting__gt=0).exists()


def test_loading_twice_adds_no_team(loaded):
    assert demo.load(residents=40)["volunteer_teams_created"] == 0
    assert Team.objects.count() == 2


def test_the_round_keeps_the_demo_teams_alive_days_later(loaded):
    later = timezone.localtime() + timedelta(days=5)
    later = later.replace(hour=10, minute=30)
    result = tasks.round_once(now=later)
    assert result["closed"] >= 1  # the shifts that ended meanwhile are closed
    for team in Team.objects.all():
        live = Shift.objects.filter(task__team=team, start__lte=later, end__gt=later)
        assert live.exists()
        horizon = later + timedelta(days=tasks.AHEAD_DAYS - 1)
        assert Shift.objects.filter(task__team=team, start__gte=horizon).exists()
    assert tasks.round_once(now=later)["shifts_opened"] == 0  # kept, not doubled


def test_the_round_leaves_the_night_and_real_teams_alone(loaded):
    night = timezone.localtime().replace(hour=23, minute=0) + timedelta(days=5)
    before = Shift.objects.filter(start__lte=night, end__gt=night).count()
    tasks.round_once(now=night)
    assert Shift.objects.filter(start__lte=night, end__gt=night).count() == before
    team = Team.objects.get(is_riders_team=True)
    leader = team.memberships.filter(role="leader").first().person
    type(leader).objects.filter(pk=leader.pk).update(is_demo=False)
    assert team not in tasks.demo_teams()
