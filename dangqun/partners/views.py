"""Public pages of partners and brands (no sign-in): the active partners with their kind
and centers, a partner's page (its description, sub-brands with logos, upcoming
activities), the brands, and a brand's page (its sub-brands, the centers within its region,
the activities and service items carrying its sub-brands). No contact data is shown."""

from django.http import Http404
from django.shortcuts import redirect, render

from dangqun.core.errors import NotFound
from dangqun.places import selectors as places

from . import links, selectors


def partner_list(request):
    return render(request, "partners/list.html", {"partners": selectors.partners_public()})


def partner_detail(request, public_id):
    try:
        partner = selectors.partner_public(public_id)
    except NotFound:
        kept = selectors.partner_kept_for(public_id)
        if kept is None:
            raise Http404 from None
        return redirect("partners:detail", public_id=kept.public_id, permanent=True)
    return render(
        request,
        "partners/detail.html",
        {
            "partner": partner,
            "sub_brands": selectors.sub_brands_public(partner),
            "upcoming": links.upcoming([partner.pk]),
        },
    )


def brand_list(request):
    return render(request, "partners/brands.html", {"brands": selectors.brands_public()})


def brand_detail(request, public_id):
    try:
        brand = selectors.brand_public(public_id)
    except NotFound:
        raise Http404 from None
    sub_brands = brand.active_sub_brands
    carried = links.carrying([s.pk for s in sub_brands])
    return render(
        request,
        "partners/brand_detail.html",
        {
            "brand": brand,
            "sub_brands": sub_brands,
            "centers": places.centers_public(street=brand.region),
            "activities": carried.get("activities", []),
            "service_items": carried.get("service_items", []),
        },
    )
