"""The volunteers' round, run by the worker every few minutes (`dangqun up` starts it;
each round queues the next): shifts that ended are closed (check-outs credited, missed
check-outs flagged for a leader), points past their expiry period expire, and the demo
teams are kept alive — a shift under way in the day (08:00–20:00 Shanghai time) and
shifts in the next two weeks — so a newcomer finds them as lively days later.

Demo teams are those whose leaders are all demo people (`Person.is_demo`): no field of
their own is needed, and a real team (with a real leader) is never touched.

One chain of rounds: a round queues the next only when no other round waits in the queue,
so starting the server twice does not double them."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import demo, services
from .models import Membership, Shift, Team

ROUND_SECONDS = 300
AHEAD_DAYS = 14


def _waiting_rounds():
    return DBTaskResult.objects.filter(
        task_path=volunteers_round.module_path, status=TaskResultStatus.READY
    )


def round_start() -> bool:
    """Queue a round unless one waits already; True when one was queued."""
    if _waiting_rounds().exists():
        return False
    transaction.on_commit(volunteers_round.enqueue)
    return True


@task()
def volunteers_round() -> dict:
    done = round_once()
    if not _waiting_rounds().exists():
        at = timezone.now() + timedelta(seconds=ROUND_SECONDS)
        transaction.on_commit(lambda: volunteers_round.using(run_after=at).enqueue())
    DBTaskResult.objects.filter(
        task_path=volunteers_round.module_path,
        status=TaskResultStatus.SUCCESSFUL,
        finished_at__lt=timezone.now() - timedelta(hours=1),
    ).delete()
    return done


def round_once(*, now=None) -> dict:
    now = now or timezone.now()
    closed = services.shifts_close(now=now)
    expired = services.points_expire_all(now=now)
    kept = sum(keep_demo_team(team, now=now) for team in demo_teams())
    return {"closed": closed, "expired": expired, "shifts_opened": kept}


def demo_teams() -> list[Team]:
    teams = Team.objects.filter(
        memberships__role=Membership.Role.LEADER, memberships__status=Membership.Status.ACTIVE
    ).distinct()
    return [
        team
        for team in teams
        if not team.memberships.filter(
            role=Membership.Role.LEADER,
            status=Membership.Status.ACTIVE,
            person__is_demo=False,
        ).exists()
    ]


def _members(team: Team) -> list:
    """Leaders first (the first opens shifts), then members."""
    rows = team.memberships.filter(status=Membership.Status.ACTIVE).select_related("person")
    ordered = sorted(rows, key=lambda m: (m.role != Membership.Role.LEADER, m.joined_at, m.pk))
    return [m.person for m in ordered]


@transaction.atomic
def keep_demo_team(team: Team, *, now=None) -> int:
    """Open what the demo team lacks: a shift under way now (in the day), a shift on the
    last day of the coming two weeks. Returns how many shifts were opened."""
    now = now or timezone.now()
    members = _members(team)
    if len(members) < 3 or not team.tasks.exists():
        return 0
    live = Shift.objects.filter(task__team=team).exclude(activity__status="cancelled")
    opened = 0
    if not live.filter(start__lte=now, end__gt=now).exists():
        opened += demo.under_way(team, members, now=now) is not None
    horizon = timezone.localdate(now) + timedelta(days=AHEAD_DAYS)
    if not live.filter(start__date__gte=horizon - timedelta(days=1)).exists():
        demo.shift_ahead(team, members, day=horizon)
        opened += 1
    return opened
