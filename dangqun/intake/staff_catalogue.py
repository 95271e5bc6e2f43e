"""Back-office pages of the catalogue: the list with its stop and restart buttons, and the
pages to add and change items with their typed extra fields (one form and a set of repeated
rows, no JavaScript needed). They call the same services as the staff API (catalogue.py,
through services), which hold the rule of who may change an item; a service's refusal is
shown beside the field it names, in the row it names; nothing is saved unless all of it
is."""

import secrets

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core.errors import DomainError, NotFound
from dangqun.core.forms import call_with_message
from dangqun.people import access
from dangqun.people.decorators import staff_required

from . import selectors, services
from .forms import FieldRowFormSet, ItemForm, options_text
from .models import ServiceItem

PREFIX = "fields"


def owners(user) -> list[tuple[str, str]]:
    """Who may offer a new item: the centers the user runs, and the district, streets and
    towns they administer (every center inside offers those)."""
    choices = [
        (f"center:{c.slug}", c.name)
        for c in access.centers_for_staff(user).order_by("region__path", "name")
    ]
    if access.has_role(user, access.ADMINS):
        choices += [
            (f"region:{r.pk}", _("%(region)s (every center inside)") % {"region": r.name})
            for r in selectors.owner_regions_for_staff(user)
        ]
    return choices


def _owner(user, value: str) -> dict:
    kind, _sep, key = value.partition(":")
    try:
        if kind == "center":
            return {"center": access.center_for_staff(user, slug=key)}
        if kind == "region":
            return {"region": selectors.owner_region_for_staff(user, pk=key)}
    except (NotFound, ValueError):
        pass
    raise DomainError(_("Choose who offers it."), field="owner")


@staff_required(roles=access.MANAGERS)
def catalogue(request):
    items = list(selectors.items_for_staff(request.user))
    return render(
        request,
        "intake/staff_catalogue.html",
        {
            "items": items,
            "editable": {i.code for i in items if services.may_edit_item(request.user, i)},
            "may_add": bool(owners(request.user)),
        },
    )


@staff_required(roles=access.MANAGERS)
@require_POST
def item_active(request, code):
    item = services.item_for_edit(request.user, code=code)
    active = not item.is_active
    if call_with_message(
        request, services.item_set_active, actor=request.user, item=item, active=active
    ).ok:
        messages.success(
            request,
            _("%(name)s is offered again.") % {"name": item.name}
            if active
            else _("%(name)s is no longer offered.") % {"name": item.name},
        )
    return redirect("staff_intake:catalogue")


def _rows(formset) -> tuple[list[dict], list]:
    """The extra fields as the services take them, and the row form of each (for errors)."""
    specs, forms = [], []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE"):
            continue
        specs.append(
            {
                "code": data["code"].strip(),
                "label": data["label"],
                "datatype": data["datatype"],
                "required": data["required"],
                "choices": form.options(),
                "help_text": data["help_text"],
                "order": data["order"],
            }
        )
        forms.append(form)
    used = {spec["code"] for spec in specs}
    n = 0
    for spec in specs:  # a code made up for a row left without one
        while not spec["code"]:
            n += 1
            if f"f{n}" not in used:
                spec["code"] = f"f{n}"
                used.add(spec["code"])
    return specs, forms


def _show_error(error: DomainError, form: ItemForm, rows: list) -> None:
    field = error.field or ""
    message = str(error.message)
    if field.startswith("fields."):
        _fields, n, name = (field.split(".") + ["", ""])[:3]
        if n.isdigit() and int(n) < len(rows):
            row = rows[int(n)]
            row.add_error(name if name in row.fields else None, message)
            form.add_error(None, _("Check the extra fields below."))
            return
    if field == "center":
        field = "owner"
    form.add_error(field if field in form.fields else None, message)


def _item_data(form: ItemForm) -> dict:
    data = dict(form.cleaned_data)
    data.pop("owner", None)
    data.pop("code", None)
    return data


def _render(request, form, formset, item=None, status=200):
    return render(
        request,
        "intake/staff_item_form.html",
        {
            "form": form,
            "formset": formset,
            "item": item,
            "requests": selectors.item_request_count(item) if item else 0,
        },
        status=status,
    )


@staff_required(roles=access.MANAGERS)
def item_new(request):
    choices = owners(request.user)
    if not choices:
        raise Http404
    if request.method != "POST":
        form = ItemForm(
            owners=choices,
            centers=access.centers_for_staff(request.user),
            initial={
                "owner": choices[0][0] if len(choices) == 1 else "",
                "online": True,
                "counter": True,
                "time_limit_days": 5,
            },
        )
        return _render(request, form, FieldRowFormSet(prefix=PREFIX))
    form = ItemForm(request.POST, owners=choices, centers=access.centers_for_staff(request.user))
    formset = FieldRowFormSet(request.POST, prefix=PREFIX)
    if form.is_valid() and formset.is_valid():
        specs, rows = _rows(formset)
        try:
            owner = _owner(request.user, form.cleaned_data["owner"])
            item = services.item_create(
                actor=request.user,
                code=form.cleaned_data["code"] or f"item-{secrets.token_hex(4)}",
                fields=specs,
                **owner,
                **_item_data(form),
            )
        except DomainError as error:
            _show_error(error, form, rows)
        else:
            messages.success(request, _("%(name)s is in the catalogue.") % {"name": item.name})
            return redirect("staff_intake:catalogue")
    return _render(request, form, formset, status=400)


def _initial(item: ServiceItem) -> list[dict]:
    return [
        {
            "code": f.code,
            "label": f.label,
            "datatype": f.datatype,
            "required": f.required,
            "choices": options_text(f.choices),
            "help_text": f.help_text,
            "order": f.order,
        }
        for f in item.fields.all()
    ]


def _lock_codes(formset):
    """A field's code never changes once it exists: requests keep their values by it."""
    for form in formset.forms[: formset.initial_form_count()]:
        form.fields["code"].widget.attrs["readonly"] = True
        form.fields["code"].help_text = ""
    return formset


def _partnership(item: ServiceItem) -> dict:
    """The partner choices of an item's form: its centers' partners, and its own."""
    return {
        "centers": services.item_centers(item.center, item.region),
        "kept": (item.partner, item.sub_brand),
    }


@staff_required(roles=access.MANAGERS)
def item_edit(request, code):
    item = services.item_for_edit(request.user, code=code)
    if request.method != "POST":
        form = ItemForm(
            initial={
                key: getattr(item, key)
                for key in [*ItemForm.base_fields, "partner", "sub_brand"]
                if key not in ("owner", "code")
            },
            **_partnership(item),
        )
        formset = _lock_codes(FieldRowFormSet(prefix=PREFIX, initial=_initial(item)))
        return _render(request, form, formset, item=item)
    form = ItemForm(request.POST, **_partnership(item))
    formset = _lock_codes(FieldRowFormSet(request.POST, prefix=PREFIX, initial=_initial(item)))
    if form.is_valid() and formset.is_valid():
        specs, rows = _rows(formset)
        try:
            services.item_update(actor=request.user, item=item, fields=specs, **_item_data(form))
        except DomainError as error:
            _show_error(error, form, rows)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": form.cleaned_data["name"]})
            return redirect("staff_intake:catalogue")
    return _render(request, form, formset, item=item, status=400)
