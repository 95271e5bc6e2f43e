"""Back-office pages of the working-day calendar: the years with their status (official
from the package, entered by the district, or estimated from weekdays), and one year's
holidays and make-up days. Every member of staff may read; only district admins and
superusers may enter a year."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core.forms import call_for_form
from dangqun.people.decorators import staff_required

from . import selectors, services
from .forms import YearForm, YearPickForm


@staff_required
def year_list(request):
    return render(
        request,
        "workdays/staff_years.html",
        {
            "years": selectors.years_listed(timezone.localdate()),
            "may_edit": services.may_edit(request.user),
            "pick": YearPickForm(),
            "package_years": sorted(selectors.package_years()),
        },
    )


@staff_required
@require_POST
def year_pick(request):
    form = YearPickForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year from 2000 to 2100."))
        return redirect("staff_workdays:list")
    return redirect("staff_workdays:year", year=form.cleaned_data["year"])


@staff_required
def year_detail(request, year: int):
    if not services.MIN_YEAR <= year <= services.MAX_YEAR:
        raise Http404
    may_edit = services.may_edit(request.user)
    record = selectors.year_record(year)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        form = YearForm(request.POST, year=year)
        if form.is_valid():
            saved = call_for_form(
                form,
                services.official_year_enter,
                actor=request.user,
                year=year,
                lines=form.cleaned_data["lines"],
                complete=form.cleaned_data["complete"],
            )
            if saved.ok:
                messages.success(
                    request,
                    _("%(count)d days of %(year)d are saved.")
                    % {"count": len(saved.value), "year": year},
                )
                return redirect("staff_workdays:year", year=year)
    else:
        form = YearForm(
            initial={
                "lines": selectors.entered_lines(year),
                "complete": bool(record and record.complete),
            },
            year=year,
        )
    return render(
        request,
        "workdays/staff_year.html",
        {
            "year": year,
            "status": selectors.year_status(year),
            "days": selectors.special_days(year),
            "record": record,
            "form": form,
            "may_edit": may_edit,
        },
    )
