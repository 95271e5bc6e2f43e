"""Back-office pages of the registry: regions, centers, spaces and kinds of space. Reads go
through people/access.py (an object outside the user's scope is a 404 like a missing one);
writes through the services."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dangqun.core.forms import call_for_form
from dangqun.people import access
from dangqun.people.decorators import staff_required

from . import editing, selectors, services, staff_forms


@staff_required(roles=access.ADMINS)
def regions(request):
    """The tree of my regions; admins add streets, villages and communities under them."""
    visible = access.visible_regions(request.user)
    form = staff_forms.RegionForm(request.POST or None, regions=visible)
    if request.method == "POST" and form.is_valid():
        done = call_for_form(form, services.region_create, actor=request.user, **form.cleaned_data)
        if done.ok:
            messages.success(request, _("The region is added."))
            return redirect("staff_places:regions")
    return render(request, "places/staff_regions.html", {"regions": visible, "form": form})


@staff_required(roles=access.ADMINS)
def center_create(request):
    form = staff_forms.NewCenterForm(
        request.POST or None, request.FILES or None, regions=access.visible_regions(request.user)
    )
    if request.method == "POST" and form.is_valid():
        done = call_for_form(
            form,
            editing.center_save,
            actor=request.user,
            region=form.cleaned_data["region"],
            data=form.service_data(),
            photo=form.cleaned_data["photo"],
        )
        if done.ok:
            messages.success(request, _("The center is saved."))
            return redirect("staff_places:center_edit", slug=done.value.slug)
    return render(request, "places/staff_center_new.html", {"form": form})


@staff_required(roles=access.MANAGERS)
def center_edit(request, slug):
    center = access.center_for_staff(request.user, slug=slug)
    initial = {f: getattr(center, f) for f in staff_forms.CenterForm.field_order}
    initial.update(staff_forms.CenterForm.hours_initial(center.opening_hours))
    form = staff_forms.CenterForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = call_for_form(
            form,
            editing.center_save,
            actor=request.user,
            center=center,
            data=form.service_data(),
            photo=form.cleaned_data["photo"],
        )
        if done.ok:
            messages.success(request, _("The center is saved."))
            return redirect("staff_places:center_edit", slug=center.slug)
    return render(
        request,
        "places/staff_center_edit.html",
        {"center": center, "form": form, "spaces": selectors.spaces_of(center)},
    )


def _space_form_page(request, center, space=None):
    initial = {}
    if space is not None:
        initial = {f: getattr(space, f) for f in staff_forms.SpaceForm.field_order}
        initial["kind"] = space.kind.code
        initial.update(staff_forms.SpaceForm.hours_initial(space.opening_hours))
    form = staff_forms.SpaceForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = call_for_form(
            form,
            editing.space_save,
            actor=request.user,
            center=center,
            space=space,
            data=form.service_data(),
            photo=form.cleaned_data["photo"],
        )
        if done.ok:
            messages.success(request, _("The space is saved."))
            return redirect("staff_places:center_edit", slug=center.slug)
    return render(
        request, "places/staff_space_form.html", {"center": center, "space": space, "form": form}
    )


@staff_required(roles=access.MANAGERS)
def space_create(request, slug):
    return _space_form_page(request, access.center_for_staff(request.user, slug=slug))


@staff_required(roles=access.MANAGERS)
def space_edit(request, space_id):
    space = access.space_for_staff(request.user, pk=space_id)
    return _space_form_page(request, space.center, space)


@staff_required
def space_kinds(request):
    """Every member of staff reads the kinds; managers add one."""
    may_add = access.has_role(request.user, access.MANAGERS)
    form = staff_forms.SpaceKindForm(request.POST or None)
    if request.method == "POST" and may_add and form.is_valid():
        done = call_for_form(
            form, services.space_kind_create, actor=request.user, **form.cleaned_data
        )
        if done.ok:
            messages.success(request, _("The kind of space is added."))
            return redirect("staff_places:space_kinds")
    return render(
        request,
        "places/staff_space_kinds.html",
        {"kinds": selectors.space_kinds(), "form": form, "may_add": may_add},
    )
