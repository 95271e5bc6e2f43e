"""Back-office pages about people: the people in my regions (masked, searchable), a
person's record with audited looks at full numbers, and staff roles (granted and revoked
by admins). Reads go through people/access.py; a person outside my scope is a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core.forms import call_for_form, call_with_message
from dangqun.places import selectors as places

from . import access, selectors, services, staff_forms
from .decorators import staff_required


@staff_required
def person_list(request):
    query = request.GET.get("q", "")
    page = Paginator(selectors.persons_for_staff(request.user, query=query), 50).get_page(
        request.GET.get("page")
    )
    template = "people/_staff_person_rows.html" if request.htmx else "people/staff_person_list.html"
    return render(request, template, {"page": page, "q": query})


@staff_required
def person_detail(request, public_id):
    person = selectors.person_for_staff(request.user, public_id=public_id)
    services.person_view(actor=request.user, person=person)
    form = staff_forms.RevealForm(request.POST or None)
    revealed = None
    if request.method == "POST" and form.is_valid():
        what = request.POST.get("what")
        reveal = (
            services.person_reveal_mobile
            if what == "mobile"
            else services.person_reveal_resident_id
        )
        revealed = {
            "what": what,
            "value": reveal(actor=request.user, person=person, reason=form.cleaned_data["reason"]),
        }
    tags = list(person.tags.select_related("verified_by"))
    return render(
        request,
        "people/staff_person_detail.html",
        {
            "person": person,
            "tags": tags,
            "verifiable": [t for t in tags if t.is_verifiable],
            "form": form,
            "revealed": revealed,
            "history": selectors.person_history(person),
        },
    )


@staff_required(roles=access.MANAGERS)
@require_POST
def person_tag_verify(request, public_id, tag):
    """Confirm (or, with undo, take back) a group the person declared; staff of the
    person's region only (the service's guard), audited."""
    person = selectors.person_for_staff(request.user, public_id=public_id)
    undo = request.POST.get("undo") == "1"
    service = services.person_tag_unverify if undo else services.person_tag_verify
    if call_with_message(request, service, actor=request.user, person=person, tag=tag).ok:
        messages.success(
            request,
            _("The group is no longer marked verified.") if undo else _("The group is verified."),
        )
    return redirect("staff_people:person_detail", public_id=person.public_id)


def _grant(*, actor, mobile, **grant):
    """The role for the account of the mobile number typed (an error on it if none)."""
    person = selectors.signed_up_person(mobile, field="mobile")
    return services.staff_role_grant(actor=actor, person=person, **grant)


@staff_required(roles=access.ADMINS)
def roles(request):
    form = staff_forms.RoleGrantForm(
        request.POST or None,
        regions=access.visible_regions(request.user),
        centers=access.scope(request.user, places.centers()),
    )
    if request.method == "POST" and form.is_valid():
        done = call_for_form(form, _grant, actor=request.user, **form.cleaned_data)
        if done.ok:
            messages.success(request, _("The role is granted."))
            return redirect("staff_people:roles")
    return render(
        request,
        "people/staff_roles.html",
        {"grants": selectors.roles_for_staff(request.user), "form": form},
    )


@staff_required
@require_POST
def role_revoke(request, grant_id):
    grant = access.get_or_404(request.user, selectors.roles_for_staff(request.user), pk=grant_id)
    if call_with_message(request, services.staff_role_revoke, actor=request.user, grant=grant).ok:
        messages.success(request, _("The role is revoked."))
    return redirect("staff_people:roles")
