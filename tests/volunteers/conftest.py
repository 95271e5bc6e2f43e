"""A volunteer team of the Xianlin center with a leader, a second leader, members, staff of
the street, and a shift the day after tomorrow (built through the services, as a leader
would; see SHIFT_DAYS)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from dangqun.volunteers import services
from tests import factories


@dataclass
class Crew:
    tree: object
    staff: object
    team: object
    leader: object
    leader2: object
    members: list
    task: object
    shift: object


def volunteer(**kwargs):
    person = factories.PersonFactory(**kwargs)
    factories.tag(person, "volunteer")
    return person


def at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# The crew's shift is this many days ahead: its 12 h cancellation cut-off is still ahead
# at any hour of today. A test's shift "on the same day" uses it too.
SHIFT_DAYS = 2


def open_shift(crew_or_task, leader, *, days=SHIFT_DAYS, hour=9, hours=3, places=2):
    task = getattr(crew_or_task, "task", crew_or_task)
    return services.shift_open(
        actor=leader,
        task=task,
        start=at(days, hour),
        end=at(days, hour) + timedelta(hours=hours),
        places=places,
    )


def make_crew(tree, *, members: int = 3, places: int = 2) -> Crew:
    staff = factories.staff("street_admin", tree.xianlin)
    team = services.team_create(
        actor=staff,
        name="闲林助老志愿队",
        name_en="Xianlin elder-help team",
        center=tree.xianlin_center,
    )
    leader, leader2 = volunteer(name="王队长"), volunteer(name="李副队")
    people = [volunteer(name=f"志愿者{n}") for n in range(members)]
    for person in [leader, leader2, *people]:
        services.team_join(actor=person, team=team)
    services.leader_set(actor=staff, team=team, person=leader)
    services.leader_set(actor=staff, team=team, person=leader2)
    task = services.task_create(
        actor=leader, team=team, title="陪老人就医", address="闲林街道社区卫生服务中心"
    )
    shift = open_shift(task, leader, places=places)
    return Crew(tree, staff, team, leader, leader2, people, task, shift)


@pytest.fixture
def crew(district):
    return make_crew(district)
