"""Staff API of the partners' figures: GET /api/v1/staff/partners/figures — per partner,
sub-brand and brand over a period (this year so far by default), in the user's regions or
one of them (`region`), with each partner's pledges due and delivered and their state.

For district, street and center staff (staff_endpoint); a region that is not theirs is the
same 404 as one that does not exist. A period ending before it starts, or longer than ten
years, is refused naming `end`; a date out of 1900..2100 naming itself."""

from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from dangqun.accounts.auth import AUTH
from dangqun.core.schemas import Day, Id
from dangqun.core.templatetags.dq import loc
from dangqun.people.decorators import staff_endpoint

from . import figures

router = Router(tags=["partners (staff)"], auth=AUTH)

State = Literal["green", "amber", "red"]


class PledgeOut(Schema):
    metric: Literal["sessions", "hours", "money"]
    due: Decimal = Field(description="Prorated to the agreement's days in the period up to today.")
    delivered: Decimal
    percent: int = Field(description="Delivered in per cent of what is due, rounded down.")
    state: State


class DeliveredOut(Schema):
    id: UUID
    name: str
    activities: int = Field(description="Activities with a session held in the period.")
    sessions: int = Field(description="Sessions held (begun, activity not cancelled).")
    person_times: int
    people: int = Field(description="Distinct people checked in.")
    requests: int = Field(description="Intake requests resolved in the period.")
    volunteer_minutes: int
    volunteer_hours: Decimal = Field(description="To one decimal, rounded down.")


class PartnerFiguresOut(DeliveredOut):
    status: Literal["active", "ended"]
    money_received: Decimal
    goods_received: Decimal
    pledges: list[PledgeOut]
    state: State | None = Field(description="The worst pledge's state; null without a pledge due.")


class SubBrandFiguresOut(DeliveredOut):
    partner: UUID
    brand: UUID | None


class BrandFiguresOut(DeliveredOut):
    region: int


class ThresholdsOut(Schema):
    green_percent: Decimal
    amber_percent: Decimal


class FiguresOut(Schema):
    start: date
    end: date
    region: int | None
    thresholds: ThresholdsOut
    partners: list[PartnerFiguresOut]
    sub_brands: list[SubBrandFiguresOut]
    brands: list[BrandFiguresOut]


def _delivered(row) -> dict:
    return {
        "id": row.obj.public_id,
        "name": loc(row.obj),
        "activities": row.activities,
        "sessions": row.sessions,
        "person_times": row.person_times,
        "people": row.people,
        "requests": row.requests,
        "volunteer_minutes": row.volunteer_minutes,
        "volunteer_hours": row.volunteer_hours,
    }


def _partner(row) -> dict:
    return {
        **_delivered(row),
        "status": row.obj.status,
        "money_received": row.money,
        "goods_received": row.goods,
        "pledges": [
            {
                "metric": p.metric,
                "due": p.due_shown,
                "delivered": p.delivered_shown,
                "percent": int(p.percent),
                "state": p.state,
            }
            for p in row.pledges
        ],
        "state": row.state,
    }


@router.get(
    "/figures",
    response=FiguresOut,
    summary="Figures per partner, sub-brand and brand for a period (this year so far by "
    "default) in my regions or one of them: activities and sessions held, person-times, "
    "people, requests handled, volunteer hours, money and goods received, pledges due and "
    "delivered with a red/amber/green state",
)
@staff_endpoint()
def partner_figures(
    request, start: Day | None = None, end: Day | None = None, region: Id | None = None
):
    today = timezone.localdate()
    start = start or date(today.year, 1, 1)
    end = end or max(today, start)
    chosen = figures.region_for_staff(request.user, region) if region is not None else None
    found = figures.figures_for_staff(request.user, start=start, end=end, region=chosen)
    green, amber = figures.thresholds()
    return {
        "start": found.start,
        "end": found.end,
        "region": chosen.pk if chosen else None,
        "thresholds": {"green_percent": green, "amber_percent": amber},
        "partners": [_partner(row) for row in found.partners],
        "sub_brands": [
            {
                **_delivered(row),
                "partner": row.obj.partner.public_id,
                "brand": row.obj.brand.public_id if row.obj.brand else None,
            }
            for row in found.sub_brands
        ],
        "brands": [{**_delivered(row), "region": row.obj.region_id} for row in found.brands],
    }
