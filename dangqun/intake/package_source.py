"""What intake tells service packages (partners/package_sources.py) about its service
items: an entry names an item by its code; a person used it by making a request for it."""

from django.urls import reverse

from dangqun.core.templatetags.dq import loc
from dangqun.partners import package_sources
from dangqun.places.models import ServiceCenter

from .models import ServiceItem, ServiceRequest


def check(reference: str, region) -> str | None:
    """An offered item of a center or region inside `region`, or of a region around it
    (a district's item is offered in every street)."""
    item = (
        ServiceItem.objects.filter(code=reference[:60], is_active=True)
        .select_related("owner_region")
        .first()
    )
    if item is None:
        return None
    inside = item.owner_region.path.startswith(region.path)
    return item.code if inside or region.path.startswith(item.owner_region.path) else None


def describe(references) -> dict:
    items = list(
        ServiceItem.objects.filter(code__in=references, is_active=True).select_related(
            "center", "region"
        )
    )
    # An item of a street or of the district is asked for at any center inside it: the
    # link opens it at the first such center.
    paths = {i.region.path for i in items if i.region_id}
    centers = {}
    for center in ServiceCenter.objects.select_related("region").order_by("region__path", "id"):
        for path in paths:
            if center.region.path.startswith(path):
                centers.setdefault(path, center)
        if len(centers) == len(paths):
            break
    shown = {}
    for item in items:
        center = item.center or centers.get(item.region.path if item.region_id else "")
        url = (
            reverse("intake:item", args=[center.slug, item.code])
            if center
            else reverse("intake:index")
        )
        shown[item.code] = package_sources.Shown(title=loc(item), url=url)
    return shown


def users(references, start, end):
    return ServiceRequest.objects.filter(
        item__code__in=references,
        submitted_at__gte=start,
        submitted_at__lt=end,
        person__isnull=False,
    ).values("person_id")


def choices() -> list[tuple[str, str]]:
    return [
        (item.code, f"{loc(item)} ({item.code})")
        for item in ServiceItem.objects.filter(is_active=True).order_by("kind", "order", "id")
    ]


def register() -> None:
    package_sources.register("item", check=check, describe=describe, users=users, choices=choices)
