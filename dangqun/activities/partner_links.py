"""What activities tell the partners app (registered from apps.ready()): a merge of two
partners moves the activities to the partner kept; a partner's public page lists its
upcoming activities; a brand's page the activities carrying its sub-brands."""

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from dangqun.core.templatetags.dq import loc
from dangqun.partners import links

from .models import Activity


def repoint(old_partner_id: int, new_partner_id: int) -> int:
    return Activity.objects.filter(partner_id=old_partner_id).update(partner_id=new_partner_id)


def _upcoming_links(activities) -> list[links.Link]:
    now = timezone.now()
    found = (
        activities.filter(status=Activity.Status.PUBLISHED, owner="", sessions__end__gt=now)
        .annotate(first_start=Min("sessions__start"))
        .select_related("center")
        .order_by("first_start", "pk")[:50]
    )
    return [
        links.Link(
            title=activity.title,
            url=reverse("activities:detail", args=[activity.public_id]),
            center=loc(activity.center),
            start=activity.first_start,
            kind=activity.get_kind_display(),
        )
        for activity in found
    ]


def upcoming(partner_ids: list[int]) -> list[links.Link]:
    return _upcoming_links(Activity.objects.filter(partner_id__in=partner_ids))


def carrying(sub_brand_ids: list[int]) -> list[links.Link]:
    return _upcoming_links(Activity.objects.filter(sub_brand_id__in=sub_brand_ids))


def register() -> None:
    links.register_repoint("activities", repoint)
    links.register_upcoming("activities", upcoming)
    links.register_carrying("activities", carrying)
