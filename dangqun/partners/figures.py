"""Figures per partner, sub-brand and brand over a period (local dates, inclusive), and each
partner's pledges delivered against promised with a red/amber/green state.

Delivered: activities and sessions held, person-times and distinct people, requests handled
and volunteer minutes come from the apps above this one through `sources`; money and goods
received are this app's receipts (partners only: a receipt names no sub-brand). A brand is
its sub-brands (distinct people are counted over the brand, not added up).

Pledges, for partners with an agreement overlapping the period: what is due is each
agreement's pledge prorated to the days of the agreement that fall in the period and are
not later than today (what cannot have been delivered yet is not due yet):
sessions are pledged per year (x days / 365); volunteer hours and money or goods over the
agreement's term (x days / days of the term). Delivered is counted on those same days.
State: at or above PARTNERS["PLEDGE_GREEN_PERCENT"] of what is due green, at or above
PARTNERS["PLEDGE_AMBER_PERCENT"] amber, below red; a partner's state is its worst pledge.

A constant number of queries, whatever the number of partners, sub-brands and brands."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangqun.core.errors import ValidationFailed
from dangqun.people import access
from dangqun.places.models import Region

from . import selectors, sources
from .models import Agreement, Brand, Partner, Receipt, SubBrand

CENT = Decimal("0.01")
MAX_DAYS = 3660  # ten years, as intake's figures
GREEN, AMBER, RED = "green", "amber", "red"
STATE_LABELS = {
    GREEN: _("On track"),
    AMBER: _("Behind"),
    RED: _("Far behind"),
}
_WORST = {RED: 0, AMBER: 1, GREEN: 2}
PLEDGE_SESSIONS, PLEDGE_HOURS, PLEDGE_MONEY = "sessions", "hours", "money"
PLEDGE_LABELS = {
    PLEDGE_SESSIONS: _("Sessions"),
    PLEDGE_HOURS: _("Volunteer hours"),
    PLEDGE_MONEY: _("Money or goods (¥)"),
}
FIGURE_LEVELS = (Region.Level.DISTRICT, Region.Level.STREET, Region.Level.TOWN)


def thresholds() -> tuple[Decimal, Decimal]:
    """(green, amber) in per cent of what is due, from settings.PARTNERS."""
    config = getattr(settings, "PARTNERS", {})
    return (
        Decimal(str(config.get("PLEDGE_GREEN_PERCENT", 100))),
        Decimal(str(config.get("PLEDGE_AMBER_PERCENT", 60))),
    )


def state_of(percent: Decimal) -> str:
    green, amber = thresholds()
    if percent >= green:
        return GREEN
    return AMBER if percent >= amber else RED


@dataclass
class Pledge:
    metric: str
    due: Decimal  # prorated, unrounded
    delivered: Decimal

    @property
    def percent(self) -> Decimal:
        return (self.delivered * 100 / self.due).quantize(Decimal("1"), rounding=ROUND_DOWN)

    @property
    def state(self) -> str:
        return state_of(self.delivered * 100 / self.due)

    @property
    def label(self):
        return PLEDGE_LABELS[self.metric]

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    def _shown(self, value: Decimal) -> Decimal:
        places = "0.01" if self.metric == PLEDGE_MONEY else "0.1"
        return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)

    @property
    def due_shown(self) -> Decimal:
        return self._shown(self.due)

    @property
    def delivered_shown(self) -> Decimal:
        """Hours to one decimal rounded down; sessions whole; money to the fen."""
        if self.metric == PLEDGE_HOURS:
            return self.delivered.quantize(Decimal("0.1"), rounding=ROUND_DOWN)
        return self._shown(self.delivered)


@dataclass
class Row:
    """One partner's, sub-brand's or brand's figures."""

    level: str
    obj: object
    activities: int = 0
    sessions: int = 0
    person_times: int = 0
    people: int = 0
    requests: int = 0
    volunteer_minutes: int = 0
    money: Decimal | None = None  # received (partners only)
    goods: Decimal | None = None
    pledges: list[Pledge] = field(default_factory=list)

    @property
    def volunteer_hours(self) -> Decimal:
        """Hours to one decimal, rounded down (never more than was given)."""
        return (Decimal(self.volunteer_minutes) / 60).quantize(Decimal("0.1"), ROUND_DOWN)

    @property
    def state(self) -> str | None:
        if not self.pledges:
            return None
        return min((p.state for p in self.pledges), key=_WORST.__getitem__)

    @property
    def state_label(self):
        return STATE_LABELS[self.state] if self.state else ""


@dataclass
class Figures:
    start: date
    end: date
    region: Region | None
    partners: list[Row]
    sub_brands: list[Row]
    brands: list[Row]


def check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationFailed(_("The last day comes before the first."), field="end")
    if (end - start).days > MAX_DAYS:
        raise ValidationFailed(_("The period may be at most ten years."), field="end")


def _rows(level: str, objects: list, *, start: date, end: date) -> tuple[list[Row], dict]:
    found = sources.delivered(by=level, ids=[o.pk for o in objects], start=start, end=end)
    rows = []
    for obj in objects:
        got = found[obj.pk]
        rows.append(
            Row(
                level=level,
                obj=obj,
                activities=got[sources.ACTIVITIES],
                sessions=got[sources.SESSIONS],
                person_times=got[sources.PERSON_TIMES],
                people=got[sources.PEOPLE],
                requests=got[sources.REQUESTS],
                volunteer_minutes=got[sources.VOLUNTEER_MINUTES],
            )
        )
    return rows, found


def _due_spans(agreements, *, start: date, end: date, today: date):
    """The agreements with days due: each with its days due (first, last) and how many."""
    for agreement in agreements:
        first = max(start, agreement.start)
        last = min(end, today, agreement.end)
        if first <= last:
            yield agreement, (first, last), (last - first).days + 1


def _pledges(delivery, agreements, receipts, *, start, end, today) -> list[Pledge]:
    due = defaultdict(Decimal)
    spans = []
    for agreement, span, days in _due_spans(agreements, start=start, end=end, today=today):
        term = (agreement.end - agreement.start).days + 1
        due[PLEDGE_SESSIONS] += Decimal(agreement.pledged_sessions * days) / 365
        due[PLEDGE_HOURS] += agreement.pledged_hours * days / term
        due[PLEDGE_MONEY] += agreement.pledged_money * days / term
        spans.append(span)
    if not spans:
        return []
    delivered = {
        PLEDGE_SESSIONS: Decimal(delivery.within(sources.SESSIONS, spans)),
        PLEDGE_HOURS: Decimal(delivery.within(sources.VOLUNTEER_MINUTES, spans)) / 60,
        PLEDGE_MONEY: sum(
            (
                amount
                for day, amount in receipts
                if any(first <= day <= last for first, last in spans)
            ),
            Decimal(0),
        ),
    }
    return [
        Pledge(metric=metric, due=due[metric], delivered=delivered[metric])
        for metric in (PLEDGE_SESSIONS, PLEDGE_HOURS, PLEDGE_MONEY)
        if due[metric] > 0
    ]


def compute(
    partners, sub_brands, brands, *, start: date, end: date, today: date | None = None
) -> tuple[list[Row], list[Row], list[Row]]:
    """The figures of these partners, sub-brands and brands (querysets or lists)."""
    check_period(start, end)
    today = today or timezone.localdate()
    partners, sub_brands, brands = list(partners), list(sub_brands), list(brands)
    partner_rows, delivery = _rows(sources.PARTNER, partners, start=start, end=end)
    ids = [p.pk for p in partners]
    agreements = defaultdict(list)
    for agreement in Agreement.objects.filter(
        partner__in=ids, start__lte=end, end__gte=start
    ).order_by("start", "id"):
        agreements[agreement.partner_id].append(agreement)
    received = defaultdict(lambda: {Receipt.Kind.MONEY: Decimal(0), Receipt.Kind.GOODS: Decimal(0)})
    receipts = defaultdict(list)
    for row in (
        Receipt.objects.filter(partner__in=ids, received_on__range=(start, end))
        .values("partner", "kind", "received_on")
        .annotate(amount=Sum("amount"))
        .order_by()
    ):
        received[row["partner"]][row["kind"]] += row["amount"]
        receipts[row["partner"]].append((row["received_on"], row["amount"]))
    for row in partner_rows:
        pk = row.obj.pk
        row.money = received[pk][Receipt.Kind.MONEY].quantize(CENT)
        row.goods = received[pk][Receipt.Kind.GOODS].quantize(CENT)
        row.pledges = _pledges(
            delivery[pk], agreements[pk], receipts[pk], start=start, end=end, today=today
        )
    sub_brand_rows, _found = _rows(sources.SUB_BRAND, sub_brands, start=start, end=end)
    brand_rows, _found = _rows(sources.BRAND, brands, start=start, end=end)
    return partner_rows, sub_brand_rows, brand_rows


# --- scoped reads of the staff page and API ---------------------------------------------------


def regions_for_staff(user):
    """The district, streets and towns whose partners' figures the user may read."""
    return selectors.regions_for_staff(user, levels=FIGURE_LEVELS)


def region_for_staff(user, pk) -> Region:
    return selectors.region_for_staff(user, pk, levels=FIGURE_LEVELS)


def _in_scope(user, region: Region | None):
    partners = access.scope(user, Partner.objects.filter(merged_into__isnull=True))
    sub_brands = access.scope(user, SubBrand.objects.select_related("partner", "center", "brand"))
    brands = access.scope(user, Brand.objects.select_related("region"))
    if region is not None:
        partners = partners.filter(region__path__startswith=region.path)
        sub_brands = sub_brands.filter(center__region__path__startswith=region.path)
        brands = brands.filter(region__path__startswith=region.path)
    return partners, sub_brands, brands


def figures_for_staff(
    user, *, start: date, end: date, region: Region | None = None, today: date | None = None
) -> Figures:
    """The figures of the partners, sub-brands and brands in the user's regions (in
    `region`, one of them, when given). Partners merged into another are left out (their
    records point at the one kept); those that ended before the period too."""
    check_period(start, end)
    partners, sub_brands, brands = _in_scope(user, region)
    partners = partners.exclude(status=Partner.Status.ENDED, ended_on__lt=start).order_by(
        "name", "id"
    )
    sub_brands = sub_brands.order_by("partner__name", "name", "id")
    brands = brands.order_by("region__path", "name", "id")
    rows = compute(partners, sub_brands, brands, start=start, end=end, today=today)
    return Figures(start, end, region, *rows)
