"""Figures of one-stop intake, counted in official working days across the National Day and
Spring Festival holidays of 2026 and their make-up working days (调休)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from dangqun.core.errors import NotFound
from dangqun.intake import figures, services
from dangqun.intake.models import ServiceRequest
from dangqun.workdays.selectors import deadline_after

from .conftest import submit

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _resolved(world, submitted: date, resolved: date, score=None):
    request = submit(world)
    services.request_accept(actor=world.xianlin_staff, request=request)
    services.request_resolve(actor=world.xianlin_staff, request=request)
    if score:
        services.rating_give(actor=world.resident, request=request, score=score)
    due = deadline_after(submitted, world.transfer.time_limit_days)
    ServiceRequest.objects.filter(pk=request.pk).update(
        submitted_at=_at(submitted), closed_at=_at(resolved, 16), due_date=due.date
    )
    return due


def test_holidays_and_make_up_days_count_as_the_state_council_says(world):
    # National Day 2026: 1-7 October off, Saturday 10 October a make-up working day.
    national = _resolved(world, date(2026, 9, 30), date(2026, 10, 9), score=5)
    assert national.date == date(2026, 10, 13)  # 8, 9, 10 (Sat), 12, 13
    # Spring Festival 2026: 15-23 February off, Saturdays 14 and 28 February make-up days.
    spring = _resolved(world, date(2026, 2, 13), date(2026, 3, 2), score=1)
    assert spring.date == date(2026, 2, 27)  # 14 (Sat), 24, 25, 26, 27
    result = figures.center_figures(
        world.xianlin_staff,
        center=world.tree.xianlin_center,
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )
    # Handling: 30 Sep -> 9 Oct is 2 working days (8, 9); 13 Feb -> 2 Mar is 7 (14, 24, 25,
    # 26, 27, 28 -- Saturday 28 February is the other make-up day -- and 2 March).
    assert result.resolved == 2 and result.on_time == 1
    assert str(result.on_time_rate) == "50.0"
    assert str(result.average_working_days) == "4.5"
    assert result.ratings == {1: 1, 2: 0, 3: 0, 4: 0, 5: 1}
    assert str(result.average_rating) == "3.00"
    kinds = {row["kind"]: row["count"] for row in result.by_kind}
    assert kinds == {
        "party_member_service": 2,
        "study": 0,
        "convenience": 0,
        "featured": 0,
        "volunteer": 0,
    }
    # The period selects by the day of submission.
    autumn = figures.center_figures(
        world.xianlin_staff,
        center=world.tree.xianlin_center,
        start=date(2026, 9, 1),
        end=date(2026, 9, 30),
    )
    assert autumn.total == 1 and str(autumn.average_working_days) == "2.0"


def test_figures_are_scoped(world):
    with pytest.raises(NotFound):
        figures.center_figures(
            world.cangqian_staff,
            center=world.tree.xianlin_center,
            start=date(2026, 1, 1),
            end=date(2026, 1, 31),
        )
    with pytest.raises(NotFound):
        figures.street_figures(
            world.xianlin_staff,
            street=world.tree.cangqian,
            start=date(2026, 1, 1),
            end=date(2026, 1, 31),
        )
