"""Pages of service packages (服务包): the public list and a package's page (its items
linking to the intake catalogue, the upcoming activities of its kinds, its spaces linking
to booking), and the back office under /staff/packages/: list, make, change, archive and
the figures of a period, scoped to the staff's regions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core.errors import NotFound
from dangqun.core.forms import call_for_form, call_with_message
from dangqun.people import access
from dangqun.people.decorators import staff_required

from . import packages, packages_read
from .packages_forms import PackageForm, PeriodForm, initial_of

staff_only = staff_required(roles=access.MANAGERS)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


# --- public -----------------------------------------------------------------------------------


def package_list(request):
    mine = packages_read.packages_for_person(request.user)
    taken = {p.pk for p in mine}
    others = [p for p in packages_read.packages_public() if p.pk not in taken]
    return render(request, "partners/packages.html", {"mine": mine, "others": others})


def package_detail(request, public_id):
    try:
        package = packages_read.package_public(public_id)
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "partners/package.html",
        {
            "package": package,
            "contents": packages_read.contents(package),
            "fits": package in packages_read.packages_for_person(request.user),
        },
    )


# --- back office ------------------------------------------------------------------------------


def _form(request, package=None):
    posted = request.method == "POST"
    return PackageForm(
        request.POST if posted else None,
        initial=initial_of(package) if package else None,
        regions=list(packages_read.regions_for_staff(request.user)),
        choices=packages_read.entry_choices(),
        editing=package is not None,
    )


@staff_only
def staff_package_list(request):
    status = request.GET.get("status")
    return render(
        request,
        "partners/package_staff_list.html",
        {"packages": packages_read.packages_for_staff(request.user, status=status)},
    )


@staff_only
def staff_package_create(request):
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        outcome = call_for_form(
            form, packages.package_create, actor=request.user, **form.service_arguments()
        )
        if outcome.ok:
            messages.success(request, _("The service package is saved."))
            return redirect("staff_packages:edit", public_id=outcome.value.public_id)
    return render(
        request, "partners/package_form.html", {"form": form, "package": None}, status=_status(form)
    )


def _package(request, public_id):
    try:
        return packages_read.package_for_staff(request.user, public_id)
    except NotFound:
        raise Http404 from None


@staff_only
def staff_package_edit(request, public_id):
    package = _package(request, public_id)
    form = _form(request, package)
    if request.method == "POST" and form.is_valid():
        outcome = call_for_form(
            form,
            packages.package_update,
            actor=request.user,
            package=package,
            **form.service_arguments(),
        )
        if outcome.ok:
            messages.success(request, _("The service package is saved."))
            return redirect("staff_packages:edit", public_id=package.public_id)
    return render(
        request,
        "partners/package_form.html",
        {"form": form, "package": package},
        status=_status(form),
    )


@staff_only
@require_POST
def staff_package_archive(request, public_id):
    package = _package(request, public_id)
    archived = request.POST.get("archived") != "0"
    outcome = call_with_message(
        request, packages.package_archive, actor=request.user, package=package, archived=archived
    )
    if outcome.ok:
        messages.success(
            request,
            _("The package is archived.") if archived else _("The package is offered again."),
        )
    return redirect("staff_packages:edit", public_id=package.public_id)


@staff_only
def staff_package_figures(request, public_id):
    package = _package(request, public_id)
    form = PeriodForm(request.GET)
    result = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        result = packages_read.figures(package, start=start, end=end)
        labels = dict(packages_read.group_choices())
        result["rows"] = [(labels.get(tag, tag), n) for tag, n in result["groups"].items()]
    return render(
        request,
        "partners/package_figures.html",
        {"package": package, "form": form, "result": result},
        status=_status(form),
    )
