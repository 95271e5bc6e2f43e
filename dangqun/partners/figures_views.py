"""The back office's figures of partners (/staff/partners/figures/): per partner, sub-brand
and brand over a period (this year so far by default), in the user's regions or one of
them, with each partner's pledges delivered against what is due and their state in words
and colour; the same figures in Excel. District, street and center staff; a region that is
not theirs is the same 404 as one that does not exist."""

from datetime import date

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from dangqun.core.errors import ValidationFailed
from dangqun.core.forms import day_field
from dangqun.core.templatetags.dq import loc
from dangqun.people import access
from dangqun.people.decorators import staff_required

from . import figures, figures_xlsx

staff_only = staff_required(roles=access.MANAGERS)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FiguresForm(forms.Form):
    start = day_field(pgettext_lazy("period", "From"))
    end = day_field(pgettext_lazy("period", "To"))
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {str(region.pk): region for region in regions}
        self.fields["region"].choices = [("", gettext_lazy("All my regions"))] + [
            (pk, loc(region)) for pk, region in self.regions.items()
        ]

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        if "start" in data and data["start"] is None:
            data["start"] = date(today.year, 1, 1)
        if "end" in data and data["end"] is None:
            data["end"] = max(today, data.get("start") or today)
        if data.get("start") and data.get("end"):
            try:
                figures.check_period(data["start"], data["end"])
            except ValidationFailed as refused:
                self.add_error(refused.field, str(refused.message))
        data["region_obj"] = self.regions.get(data.get("region") or "")
        return data


def _found(request):
    regions = list(figures.regions_for_staff(request.user))
    chosen = request.GET.get("region")
    if chosen and chosen not in {str(region.pk) for region in regions}:
        raise Http404
    today = timezone.localdate()
    defaults = {"start": date(today.year, 1, 1).isoformat(), "end": today.isoformat()}
    form = FiguresForm({**defaults, **request.GET.dict()}, regions=regions)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    found = figures.figures_for_staff(
        request.user, start=data["start"], end=data["end"], region=data["region_obj"]
    )
    return form, found


@staff_only
def figures_page(request):
    form, found = _found(request)
    green, amber = figures.thresholds()
    return render(
        request,
        "partners/figures.html",
        {
            "form": form,
            "found": found,
            "query": request.GET.urlencode(),
            "green": green,
            "amber": amber,
        },
        status=400 if form.errors else 200,
    )


@staff_only
def figures_xlsx_download(request):
    form, found = _found(request)
    if found is None:
        return figures_page(request)
    response = HttpResponse(figures_xlsx.workbook(found), content_type=XLSX)
    name = f"partner-figures-{found.start:%Y%m%d}-{found.end:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
