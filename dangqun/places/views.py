"""Public pages: the list of centers and a center's page."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from dangqun.core import geo, hours

from . import selectors


def _chosen(queryset, value, field="pk"):
    """The filter's object, or None when absent or unknown (an unknown filter shows all)."""
    if not value or "\x00" in value:  # PostgreSQL refuses NUL in text: no such object
        return None
    try:
        return queryset.filter(**{field: value}).first()
    except (ValueError, TypeError):
        return None


def center_list(request):
    street = _chosen(selectors.streets(), request.GET.get("street"))
    kind = _chosen(selectors.space_kinds(), request.GET.get("kind"), field="code")
    centers = selectors.centers_public(street=street, kind=kind)
    now = timezone.now()
    context = {
        "centers": [(c, c.is_open_at(now)) for c in centers],
        "streets": selectors.streets(),
        "kinds": selectors.space_kinds(),
        "street": street,
        "kind": kind,
    }
    template = "places/_center_results.html" if request.htmx else "places/center_list.html"
    return render(request, template, context)


def center_detail(request, slug: str):
    center = selectors.center_by_slug(slug)
    if center is None:
        raise Http404
    now = timezone.now()
    spaces = [(s, s.is_open_at(now)) for s in selectors.spaces_of(center)]
    return render(
        request,
        "places/center_detail.html",
        {
            "center": center,
            "is_open": center.is_open_at(now),
            "week": hours.week_rows(center.opening_hours, now),
            "spaces": spaces,
            "ancestors": selectors.region_ancestors(center.region),
            "amap_url": geo.amap_marker_url(center.latitude, center.longitude, center.name),
        },
    )
