"""The back office of partners (/staff/partners/): the partners of my regions (and those
co-building with my centers, their contact masked), a partner's page (centers, agreements
and pledges, receipts with their evidence, sub-brands, merging another partner into it,
ending it), the forms of each, and the brands. Pages parse, authorise (staff_required and
the selectors' scoping), call a service or selector and render; what lies outside my
regions is the same 404 as what does not exist."""

import mimetypes

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core.forms import call_for_form, call_with_message
from dangqun.core.templatetags.dq import loc
from dangqun.people import access, identity
from dangqun.people.decorators import staff_required

from . import selectors, services
from .staff_forms import (
    AgreementForm,
    BrandForm,
    EndForm,
    MergeForm,
    PartnerForm,
    ReceiptForm,
    RevealForm,
    SubBrandForm,
)

staff_only = staff_required(roles=access.MANAGERS)
REGION_LEVELS = ("district", "street", "town")


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _regions(user, *also) -> list[tuple[str, str]]:
    found = [r for r in selectors.regions_for_staff(user) if r.level in REGION_LEVELS]
    for region in also:
        if region is not None and region not in found:
            found.append(region)
    return [(str(r.pk), loc(r)) for r in found]


def _centers(user, *also) -> list[tuple[str, str]]:
    found = list(access.centers_for_staff(user).order_by("region__path", "name"))
    for center in also:
        if center not in found:
            found.append(center)
    return [(c.slug, loc(c)) for c in found]


def _contact(user, partner) -> tuple[str, bool]:
    """The contact mobile as this user sees it, and whether it is masked."""
    if not partner.contact_mobile or services.may_manage(user, partner):
        return partner.contact_mobile, False
    return identity.mask_mobile(partner.contact_mobile), True


# --- partners ---------------------------------------------------------------------------------


@staff_only
def partner_list(request):
    status = request.GET.get("status", "active")
    if status not in ("active", "ended", "all"):
        status = "active"
    partners = list(selectors.partners_for_staff(request.user, status=status))
    for partner in partners:
        partner.contact_shown, partner.contact_masked = _contact(request.user, partner)
    return render(
        request,
        "partners/staff/list.html",
        {"partners": partners, "status": status},
    )


def _partner_form_page(request, form, partner=None):
    return render(
        request,
        "partners/staff/partner_form.html",
        {"form": form, "partner": partner},
        status=_status(form),
    )


@staff_only
def partner_create(request):
    posted = request.method == "POST"
    form = PartnerForm(
        request.POST if posted else None,
        regions=_regions(request.user),
        centers=_centers(request.user),
    )
    if posted and form.is_valid():
        done = call_for_form(
            form, services.partner_create, actor=request.user, data=form.cleaned_data
        )
        if done.ok:
            messages.success(request, _("The partner is added. Enter its agreement below."))
            return redirect("staff_partners:detail", public_id=done.value.public_id)
    return _partner_form_page(request, form)


@staff_only
def partner_edit(request, public_id):
    partner = selectors.partner_for_staff(request.user, public_id)
    services.require_manager(request.user, partner)
    posted = request.method == "POST"
    initial = {
        "name": partner.name,
        "name_en": partner.name_en,
        "kind": partner.kind,
        "region": str(partner.region_id),
        "centers": [c.slug for c in partner.centers.all()],
        "contact_name": partner.contact_name,
        "contact_mobile": partner.contact_mobile,
        "description": partner.description,
    }
    form = PartnerForm(
        request.POST if posted else None,
        initial=initial,
        regions=_regions(request.user, partner.region),
        centers=_centers(request.user, *partner.centers.all()),
    )
    if posted and form.is_valid():
        done = call_for_form(
            form,
            services.partner_update,
            actor=request.user,
            partner=partner,
            data=form.cleaned_data,
        )
        if done.ok:
            messages.success(request, _("The partner is saved."))
            return redirect("staff_partners:detail", public_id=partner.public_id)
    return _partner_form_page(request, form, partner)


def _detail(
    request, partner, *, revealed=None, reveal_form=None, merge_form=None, end_form=None, status=200
):
    user = request.user
    manage = services.may_manage(user, partner)
    contact, masked = _contact(user, partner)
    candidates = list(selectors.partners_to_merge(user, partner)) if manage else []
    if merge_form is None and candidates:
        merge_form = MergeForm(partners=[(str(p.public_id), _merge_label(p)) for p in candidates])
    return render(
        request,
        "partners/staff/detail.html",
        {
            "partner": partner,
            "may_manage": manage,
            "contact": contact,
            "masked": masked,
            "revealed": revealed,
            "reveal_form": reveal_form or RevealForm(),
            "agreements": selectors.agreements_of(partner),
            "receipts": selectors.receipts_of(partner),
            "sub_brands": selectors.sub_brands_of(partner),
            "merge_form": merge_form if candidates else None,
            "end_form": end_form or EndForm(),
        },
        status=status,
    )


def _merge_label(partner) -> str:
    label = f"{loc(partner)} · {loc(partner.region)}"
    return f"{label} · {_('from old data')}" if partner.from_old_data else label


@staff_only
def partner_detail(request, public_id):
    return _detail(request, selectors.partner_for_staff(request.user, public_id))


@staff_only
@require_POST
def partner_reveal(request, public_id):
    """The full contact mobile, with a reason (audited), for staff outside its region."""
    partner = selectors.partner_for_staff(request.user, public_id)
    form = RevealForm(request.POST)
    revealed = None
    if form.is_valid():
        done = call_for_form(
            form,
            services.partner_reveal_contact,
            actor=request.user,
            partner=partner,
            reason=form.cleaned_data["reason"],
        )
        revealed = done.value if done.ok else None
    return _detail(request, partner, revealed=revealed, reveal_form=form, status=_status(form))


@staff_only
@require_POST
def partner_end(request, public_id):
    partner = selectors.partner_for_staff(request.user, public_id)
    form = EndForm(request.POST)
    if form.is_valid():
        done = call_for_form(
            form,
            services.partner_end,
            actor=request.user,
            partner=partner,
            ended_on=form.cleaned_data["ended_on"],
        )
        if done.ok:
            messages.success(request, _("The partnership has ended; its history stays."))
            return redirect("staff_partners:detail", public_id=partner.public_id)
    return _detail(request, partner, end_form=form, status=400)


@staff_only
@require_POST
def partner_merge(request, public_id):
    keep = selectors.partner_for_staff(request.user, public_id)
    services.require_manager(request.user, keep)
    candidates = list(selectors.partners_to_merge(request.user, keep))
    form = MergeForm(
        request.POST, partners=[(str(p.public_id), _merge_label(p)) for p in candidates]
    )
    if form.is_valid():
        merged = next(p for p in candidates if str(p.public_id) == form.cleaned_data["merged"])
        done = call_for_form(
            form, services.partner_merge, actor=request.user, keep=keep, merged=merged
        )
        if done.ok:
            messages.success(
                request,
                _("%(merged)s is merged into %(keep)s.")
                % {"merged": loc(merged), "keep": loc(keep)},
            )
            return redirect("staff_partners:detail", public_id=keep.public_id)
    return _detail(request, keep, merge_form=form, status=400)


# --- agreements and receipts --------------------------------------------------------------------


def _form_page(request, form, *, title, partner, multipart=False, button=None):
    return render(
        request,
        "partners/staff/form.html",
        {
            "form": form,
            "title": title,
            "partner": partner,
            "multipart": multipart,
            "button": button or _("Save"),
        },
        status=_status(form),
    )


@staff_only
def agreement_edit(request, public_id, pk=None):
    partner = selectors.partner_for_staff(request.user, public_id)
    services.require_manager(request.user, partner)
    agreement = selectors.agreement_of(partner, pk) if pk is not None else None
    initial = {}
    if agreement is not None:
        initial = {
            "start": agreement.start,
            "end": agreement.end,
            "pledged_hours": agreement.pledged_hours,
            "pledged_sessions": agreement.pledged_sessions,
            "pledged_money": agreement.pledged_money,
            "text": agreement.text,
        }
    posted = request.method == "POST"
    form = AgreementForm(request.POST if posted else None, initial=initial)
    if posted and form.is_valid():
        if agreement is None:
            done = call_for_form(
                form,
                services.agreement_create,
                actor=request.user,
                partner=partner,
                data=form.cleaned_data,
            )
        else:
            done = call_for_form(
                form,
                services.agreement_update,
                actor=request.user,
                agreement=agreement,
                data=form.cleaned_data,
            )
        if done.ok:
            messages.success(request, _("The agreement is saved."))
            return redirect("staff_partners:detail", public_id=partner.public_id)
    title = _("New agreement") if agreement is None else _("Edit the agreement")
    return _form_page(request, form, title=title, partner=partner)


@staff_only
def receipt_create(request, public_id):
    partner = selectors.partner_for_staff(request.user, public_id)
    services.require_manager(request.user, partner)
    agreements = {str(a.pk): a for a in selectors.agreements_of(partner)}
    choices = [(key, f"{a.start:%Y-%m-%d} – {a.end:%Y-%m-%d}") for key, a in agreements.items()]
    posted = request.method == "POST"
    form = ReceiptForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        agreements=choices,
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        done = call_for_form(
            form,
            services.receipt_create,
            actor=request.user,
            partner=partner,
            kind=data["kind"],
            received_on=data["received_on"],
            amount=data["amount"],
            description=data["description"],
            evidence=data["evidence"],
            agreement=agreements.get(data["agreement"]),
        )
        if done.ok:
            messages.success(request, _("The receipt is entered with its evidence."))
            return redirect("staff_partners:detail", public_id=partner.public_id)
    return _form_page(
        request, form, title=_("Money or goods received"), partner=partner, multipart=True
    )


@staff_only
def receipt_evidence(request, public_id, pk):
    """The evidence file, to staff who see the partner only (never from a public URL)."""
    partner = selectors.partner_for_staff(request.user, public_id)
    receipt = selectors.receipt_of(partner, pk)
    name = receipt.evidence.name or ""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        handle = receipt.evidence.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type == "application/pdf",
        filename=f"receipt-{receipt.received_on:%Y%m%d}.{name.rsplit('.', 1)[-1]}",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


# --- sub-brands ---------------------------------------------------------------------------------


def _brand_choices(partner) -> list[tuple[str, str]]:
    """The brands a sub-brand of this partner may stand under: the district's and those of
    the streets of its centers."""
    paths = [c.region.path for c in partner.centers.all()]
    return [
        (str(b.public_id), loc(b))
        for b in selectors.brands()
        if any(path.startswith(b.region.path) for path in paths)
    ]


def _sub_brand_page(request, *, partner, sub_brand=None):
    posted = request.method == "POST"
    initial = {}
    if sub_brand is not None:
        initial = {
            "name": sub_brand.name,
            "name_en": sub_brand.name_en,
            "center": sub_brand.center.slug,
            "description": sub_brand.description,
            "brand": str(sub_brand.brand.public_id) if sub_brand.brand else "",
        }
    form = SubBrandForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
        centers=[(c.slug, loc(c)) for c in partner.centers.all()],
        brands=_brand_choices(partner),
    )
    if posted and form.is_valid():
        data = dict(form.cleaned_data)
        logo = data.pop("logo")
        if sub_brand is None:
            done = call_for_form(
                form,
                services.sub_brand_create,
                actor=request.user,
                partner=partner,
                data=data,
                logo=logo,
            )
        else:
            done = call_for_form(
                form,
                services.sub_brand_update,
                actor=request.user,
                sub_brand=sub_brand,
                data=data,
                logo=logo,
            )
        if done.ok:
            messages.success(request, _("The sub-brand is saved."))
            return redirect("staff_partners:detail", public_id=partner.public_id)
    title = _("New sub-brand") if sub_brand is None else _("Edit the sub-brand")
    return _form_page(request, form, title=title, partner=partner, multipart=True)


@staff_only
def sub_brand_create(request, public_id):
    partner = selectors.partner_for_staff(request.user, public_id)
    return _sub_brand_page(request, partner=partner)


@staff_only
def sub_brand_edit(request, public_id):
    sub_brand = selectors.sub_brand_for_staff(request.user, public_id)
    return _sub_brand_page(request, partner=sub_brand.partner, sub_brand=sub_brand)


@staff_only
@require_POST
def sub_brand_end(request, public_id):
    sub_brand = selectors.sub_brand_for_staff(request.user, public_id)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm."))
    elif call_with_message(
        request, services.sub_brand_end, actor=request.user, sub_brand=sub_brand
    ).ok:
        messages.success(request, _("The sub-brand has ended."))
    return redirect("staff_partners:detail", public_id=sub_brand.partner.public_id)


# --- brands -------------------------------------------------------------------------------------


@staff_only
def brand_list(request):
    return render(
        request,
        "partners/staff/brands.html",
        {"brands": selectors.brands_for_staff(request.user)},
    )


@staff_only
def brand_edit(request, public_id=None):
    brand = selectors.brand_for_staff(request.user, public_id) if public_id else None
    posted = request.method == "POST"
    initial = {}
    if brand is not None:
        initial = {
            "name": brand.name,
            "name_en": brand.name_en,
            "region": str(brand.region_id),
            "description": brand.description,
            "sub_brands": [str(s.public_id) for s in brand.sub_brands.all()],
        }
    sub_brands = selectors.sub_brands_for_brand_choice(
        request.user, brand.region if brand else None
    )
    form = BrandForm(
        request.POST if posted else None,
        initial=initial,
        regions=_regions(request.user, brand.region if brand else None),
        sub_brands=[
            (str(s.public_id), f"{loc(s)} · {loc(s.partner)} · {loc(s.center)}") for s in sub_brands
        ],
    )
    if posted and form.is_valid():
        if brand is None:
            done = call_for_form(
                form, services.brand_create, actor=request.user, data=form.cleaned_data
            )
        else:
            done = call_for_form(
                form, services.brand_update, actor=request.user, brand=brand, data=form.cleaned_data
            )
        if done.ok:
            messages.success(request, _("The brand is saved."))
            return redirect("staff_partners:brands")
    title = _("New brand") if brand is None else _("Edit the brand")
    return _form_page(request, form, title=title, partner=None)
