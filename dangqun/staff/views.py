"""Back-office pages. Every read goes through people/access.py; every write through a
service; an object outside the user's scope is a 404 like a missing one."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.core.forms import add_domain_error
from dangqun.people import access
from dangqun.people import selectors as people
from dangqun.people import services as people_services
from dangqun.people.decorators import staff_required
from dangqun.places import services as places_services
from dangqun.places.models import ServiceCenter, Space, SpaceKind

from . import forms


@staff_required
def home(request):
    return render(
        request,
        "staff/home.html",
        {
            "roles": access.roles_of(request.user),
            "centers": access.scope(request.user, ServiceCenter.objects.select_related("region")),
            "may_see_people": access.has_role(request.user, access.MANAGERS),
            "may_grant": access.has_role(request.user, access.ADMINS),
        },
    )


@staff_required
def person_list(request):
    query = request.GET.get("q", "")
    page = Paginator(people.persons_for_staff(request.user, query=query), 50).get_page(
        request.GET.get("page")
    )
    template = "staff/_person_rows.html" if request.htmx else "staff/person_list.html"
    return render(request, template, {"page": page, "q": query})


@staff_required
def person_detail(request, public_id):
    person = people.person_for_staff(request.user, public_id=public_id)
    audit.record(request.user, "person.view", person, {})
    form = forms.RevealForm(request.POST or None)
    revealed = None
    if request.method == "POST" and form.is_valid():
        what = request.POST.get("what")
        reveal = (
            people_services.person_reveal_mobile
            if what == "mobile"
            else people_services.person_reveal_resident_id
        )
        revealed = {
            "what": what,
            "value": reveal(actor=request.user, person=person, reason=form.cleaned_data["reason"]),
        }
    return render(
        request,
        "staff/person_detail.html",
        {
            "person": person,
            "tags": person.tags.all(),
            "form": form,
            "revealed": revealed,
            "history": audit.entries_for(person).select_related("actor")[:20],
        },
    )


@staff_required
def regions(request):
    """The tree of my regions; admins add streets, villages and communities under them."""
    if not access.has_role(request.user, access.ADMINS):
        raise Http404
    visible = access.visible_regions(request.user)
    form = forms.RegionForm(request.POST or None, regions=visible)
    if request.method == "POST" and form.is_valid():
        try:
            places_services.region_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The region is added."))
            return redirect("staff:regions")
    return render(request, "staff/regions.html", {"regions": visible, "form": form})


@staff_required
def center_create(request):
    if not access.has_role(request.user, access.ADMINS):
        raise Http404
    form = forms.NewCenterForm(
        request.POST or None, request.FILES or None, regions=access.visible_regions(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            center = _save_center(request, form)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The center is saved."))
            return redirect("staff:center_edit", slug=center.slug)
    return render(request, "staff/center_new.html", {"form": form})


@transaction.atomic
def _save_center(request, form, center=None) -> ServiceCenter:
    """Create or update a center and its photo: all of it, or nothing."""
    if center is None:
        center = places_services.center_create(
            actor=request.user, region=form.cleaned_data["region"], data=form.service_data()
        )
    else:
        places_services.center_update(actor=request.user, center=center, data=form.service_data())
    if form.cleaned_data["photo"]:
        places_services.center_set_photo(
            actor=request.user, center=center, upload=form.cleaned_data["photo"]
        )
    return center


@staff_required
def center_edit(request, slug):
    center = access.center_for_staff(request.user, slug=slug)
    initial = {f: getattr(center, f) for f in forms.CenterForm.field_order}
    initial.update(forms.CenterForm.hours_initial(center.opening_hours))
    form = forms.CenterForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save_center(request, form, center)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The center is saved."))
            return redirect("staff:center_edit", slug=center.slug)
    return render(
        request,
        "staff/center_edit.html",
        {
            "center": center,
            "form": form,
            "spaces": center.spaces.select_related("kind"),
        },
    )


@transaction.atomic
def _save_space(request, form, center, space=None) -> Space:
    """Create or update a space and its photo: all of it, or nothing."""
    if space is None:
        space = places_services.space_create(
            actor=request.user, center=center, data=form.service_data()
        )
    else:
        places_services.space_update(actor=request.user, space=space, data=form.service_data())
    if form.cleaned_data["photo"]:
        places_services.space_set_photo(
            actor=request.user, space=space, upload=form.cleaned_data["photo"]
        )
    return space


def _space_form_page(request, center, space=None):
    initial = {}
    if space is not None:
        initial = {f: getattr(space, f) for f in forms.SpaceForm.field_order}
        initial["kind"] = space.kind.code
        initial.update(forms.SpaceForm.hours_initial(space.opening_hours))
    form = forms.SpaceForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save_space(request, form, center, space)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The space is saved."))
            return redirect("staff:center_edit", slug=center.slug)
    return render(
        request, "staff/space_form.html", {"center": center, "space": space, "form": form}
    )


@staff_required
def space_create(request, slug):
    return _space_form_page(request, access.center_for_staff(request.user, slug=slug))


@staff_required
def space_edit(request, space_id):
    space = access.space_for_staff(request.user, pk=space_id)
    return _space_form_page(request, space.center, space)


@staff_required
def space_kinds(request):
    may_add = access.has_role(request.user, access.MANAGERS)
    form = forms.SpaceKindForm(request.POST or None)
    if request.method == "POST" and may_add and form.is_valid():
        try:
            places_services.space_kind_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The kind of space is added."))
            return redirect("staff:space_kinds")
    return render(
        request,
        "staff/space_kinds.html",
        {"kinds": SpaceKind.objects.all(), "form": form, "may_add": may_add},
    )


@staff_required
def roles(request):
    if not access.has_role(request.user, access.ADMINS):
        raise Http404
    form = forms.RoleGrantForm(
        request.POST or None,
        regions=access.visible_regions(request.user),
        centers=access.scope(request.user, ServiceCenter.objects.all()),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = people.signed_up_person(data["mobile"], field="mobile")
            people_services.staff_role_grant(
                actor=request.user,
                person=person,
                role=data["role"],
                region=data["region"],
                center=data["center"],
                partner_name=data["partner_name"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The role is granted."))
            return redirect("staff:roles")
    return render(
        request, "staff/roles.html", {"grants": people.roles_for_staff(request.user), "form": form}
    )


@staff_required
@require_POST
def role_revoke(request, grant_id):
    grant = access.get_or_404(request.user, people.roles_for_staff(request.user), pk=grant_id)
    try:
        people_services.staff_role_revoke(actor=request.user, grant=grant)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The role is revoked."))
    return redirect("staff:roles")
