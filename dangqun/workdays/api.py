"""API of the working-day calendar under /api/v1/workdays/: a year's holidays and make-up
working days with its status (official or estimated), deadlines, and, for district admins,
entering and removing days and marking a year complete."""

from datetime import date
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from dangqun.accounts.auth import AUTH
from dangqun.core.errors import ValidationFailed
from dangqun.core.schemas import Day, Text

from . import selectors, services
from .models import OfficialDay

router = Router(tags=["workdays"])


class WorkdayOut(Schema):
    date: date
    kind: str
    name: str
    source: str
    working: bool


class YearOut(Schema):
    year: int
    source: str
    estimated: bool
    complete: bool
    entered_days: int
    working_days: int
    days: list[WorkdayOut]


class DeadlineOut(Schema):
    start: date
    working_days: int
    date: date
    estimated: bool


class DeadlineQuery(Schema):
    start: Day
    working_days: Annotated[int, Field(ge=0, le=365)]


class DayIn(Schema):
    date: Day
    kind: OfficialDay.Kind
    name: Annotated[Text, Field(max_length=40)] = ""


class CompleteIn(Schema):
    complete: bool


def _checked_year(year: int) -> int:
    if not services.MIN_YEAR <= year <= services.MAX_YEAR:
        raise ValidationFailed(
            _("Choose a year from %(min)d to %(max)d.")
            % {"min": services.MIN_YEAR, "max": services.MAX_YEAR},
            field="year",
        )
    return year


def _year_out(year: int) -> dict:
    status = selectors.year_status(year)
    return {
        "year": year,
        "source": status.source,
        "estimated": status.estimated,
        "complete": status.complete,
        "entered_days": status.entered_days,
        "working_days": selectors.working_days_between(date(year - 1, 12, 31), date(year, 12, 31)),
        "days": [
            {
                "date": d.date,
                "kind": d.kind,
                "name": d.name,
                "source": d.source,
                "working": d.working,
            }
            for d in selectors.special_days(year)
        ],
    }


@router.get(
    "/workdays/deadline",
    response=DeadlineOut,
    summary="The Nth working day after a date",
    description="The start day never counts; a start on a weekend or holiday counts from the "
    "next working day as day 1. `estimated` is true when the span touches a year whose "
    "official arrangement is not known yet.",
)
def deadline(request, query: Query[DeadlineQuery]):
    if not 0 <= query.working_days <= 365:
        raise ValidationFailed(_("Enter 0 to 365 working days."), field="working_days")
    _checked_year(query.start.year)
    found = selectors.deadline_after(query.start, query.working_days)
    return {
        "start": query.start,
        "working_days": query.working_days,
        "date": found.date,
        "estimated": found.estimated,
    }


@router.get(
    "/workdays/{int:year}",
    response=YearOut,
    summary="A year's holidays and make-up working days, official or estimated",
)
def year_detail(request, year: int):
    return _year_out(_checked_year(year))


@router.post(
    "/workdays/days",
    response={201: WorkdayOut},
    auth=AUTH,
    summary="Enter one holiday or make-up working day (district admins)",
)
def day_add(request, payload: DayIn):
    made = services.official_day_add(
        actor=request.user, day=payload.date, kind=payload.kind, name=payload.name
    )
    return Status(
        201,
        {
            "date": made.date,
            "kind": made.kind,
            "name": made.name,
            "source": selectors.Source.ENTERED,
            "working": made.kind == OfficialDay.Kind.WORKDAY,
        },
    )


@router.delete(
    "/workdays/days/{day}",
    response={204: None},
    auth=AUTH,
    summary="Remove an entered day (district admins)",
)
def day_remove(request, day: Day):
    services.official_day_remove(actor=request.user, day=day)
    return Status(204, None)


@router.put(
    "/workdays/{int:year}/complete",
    response=YearOut,
    auth=AUTH,
    summary="Mark a year's entered arrangement complete, or not (district admins)",
)
def year_complete(request, year: int, payload: CompleteIn):
    services.official_year_mark(
        actor=request.user, year=_checked_year(year), complete=payload.complete
    )
    return _year_out(year)
