"""What partners delivered through volunteering, for the partners' figures (registered with
partners.sources from apps.ready()): minutes of the hours ledger (credit and honour, with
reversals and corrections as they stand) on dates within the period.

A partner's: the entries of the teams it runs (Team.partner). A sub-brand's: the entries
earned at shifts whose activity is under the sub-brand (a team has no sub-brand); a brand's:
those of its sub-brands. One query."""

from django.db.models import Sum

from dangqun.partners import sources

from .models import HoursEntry

_TO_GROUP = {
    sources.PARTNER: "team__partner",
    sources.SUB_BRAND: "shift__activity__sub_brand",
    sources.BRAND: "shift__activity__sub_brand__brand",
}


def delivered(*, by: str, ids, start, end):
    group = _TO_GROUP[by]
    rows = (
        HoursEntry.objects.filter(
            **{f"{group}__in": ids},
            kind__in=(HoursEntry.Kind.CREDIT, HoursEntry.Kind.HONOUR),
            date__range=(start, end),
        )
        .values(group, "date")
        .annotate(n=Sum("minutes"))
        .order_by()
    )
    for row in rows:
        yield row[group], sources.VOLUNTEER_MINUTES, row["date"], row["n"]
