"""What intake tells the partners app (registered from apps.ready()): a merge of two
partners moves the service items to the partner kept; a brand's page lists the offered
service items carrying its sub-brands."""

from django.urls import reverse

from dangqun.core.templatetags.dq import loc
from dangqun.partners import links

from .models import ServiceItem


def repoint(old_partner_id: int, new_partner_id: int) -> int:
    return ServiceItem.objects.filter(partner_id=old_partner_id).update(partner_id=new_partner_id)


def carrying(sub_brand_ids: list[int]) -> list[links.Link]:
    items = (
        ServiceItem.objects.filter(sub_brand_id__in=sub_brand_ids, is_active=True)
        .select_related("center", "region")
        .order_by("name", "pk")[:100]
    )
    return [
        links.Link(
            title=loc(item),
            url=(
                reverse("intake:item", args=[item.center.slug, item.code])
                if item.center is not None
                else reverse("intake:index")
            ),
            center=loc(item.center) if item.center is not None else loc(item.region),
            kind=item.get_kind_display(),
        )
        for item in items
    ]


def register() -> None:
    links.register_repoint("intake", repoint)
    links.register_carrying("service_items", carrying)
