"""Back-office pages of the riders' capability: stations (list, add, edit) scoped by region,
and the coverage and siting analysis with its map, table, Excel export and demand import."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dangqun.core.errors import DomainError, NotFound
from dangqun.core.forms import call_for_form
from dangqun.people import access
from dangqun.people.decorators import staff_required

from . import coverage, demand, exports, selectors, services, travel
from .forms import CoverageForm, DemandImportForm, StationForm


def _regions(request):
    return access.visible_regions(request.user).order_by("path")


@staff_required(roles=access.MANAGERS)
def station_list(request):
    stations = selectors.stations_for_staff(request.user).order_by("region__path", "name")
    return render(request, "riders/staff_stations.html", {"stations": stations})


def _station_form(request, station=None) -> StationForm:
    posted = request.method == "POST"
    initial = (
        StationForm.initial_from(station)
        if station
        else {"opening_hours": "\n".join(["24h"] * 7), "is_open": True}
    )
    return StationForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        regions=_regions(request),
        centers=access.centers_for_staff(request.user).order_by("name"),
        initial=initial,
    )


@staff_required(roles=access.MANAGERS)
def station_create(request):
    form = _station_form(request)
    if request.method == "POST" and form.is_valid():
        done = call_for_form(
            form,
            services.station_create,
            actor=request.user,
            data=form.service_data(),
            photo=form.cleaned_data["photo"],
        )
        if done.ok:
            messages.success(request, _("The station is saved."))
            return redirect("riders:station_detail", pk=done.value.pk)
    return render(request, "riders/staff_station_form.html", {"form": form, "station": None})


@staff_required(roles=access.MANAGERS)
def station_edit(request, pk):
    station = selectors.station_for_staff(request.user, pk=pk)
    form = _station_form(request, station)
    if request.method == "POST" and form.is_valid():
        done = call_for_form(
            form,
            services.station_update,
            actor=request.user,
            station=station,
            data=form.service_data(),
            photo=form.cleaned_data["photo"],
        )
        if done.ok:
            messages.success(request, _("The station is saved."))
            return redirect("staff_riders:stations")
    return render(request, "riders/staff_station_form.html", {"form": form, "station": station})


def _analysis(*, request, form: CoverageForm):
    data = form.cleaned_data
    demand_set = None
    if data.get("demand"):
        demand_set = (
            selectors.demand_sets_for_staff(request.user).filter(public_id=data["demand"]).first()
        )
        if demand_set is None:
            raise NotFound()
    return coverage.analyse_for_staff(
        request.user,
        region_id=data["region"].pk,
        minutes=data["minutes"],
        mode=data["mode"],
        k=data["k"],
        use_riders=data["use_riders"],
        demand_set=demand_set,
    )


def _coverage_form(request) -> CoverageForm:
    regions = _regions(request)
    initial = {"region": regions.first(), "minutes": "10", "k": "3", "use_riders": True}
    return CoverageForm(
        request.GET if "region" in request.GET else None,
        regions=regions,
        demand_sets=selectors.demand_sets_for_staff(request.user),
        initial=initial,
    )


@staff_required(roles=access.MANAGERS)
def coverage_page(request):
    form = _coverage_form(request)
    analysis = None
    if form.is_bound and form.is_valid():
        analysis = call_for_form(form, _analysis, request=request, form=form).value
    return render(
        request,
        "riders/staff_coverage.html",
        {
            "form": form,
            "analysis": analysis,
            "geojson": coverage.hex_geojson(analysis) if analysis else None,
            "import_form": DemandImportForm(regions=_regions(request)),
            "query": request.GET.urlencode(),
            "engine_label": travel.engine_label(analysis.engine) if analysis else "",
        },
    )


@staff_required(roles=access.MANAGERS)
def coverage_export(request):
    form = _coverage_form(request)
    if not (form.is_bound and form.is_valid()):
        raise Http404
    try:
        analysis = _analysis(request=request, form=form)
    except NotFound:
        raise  # the same 404 as a missing page
    except DomainError as error:
        return HttpResponse(str(error.message), status=400)
    response = HttpResponse(
        exports.coverage_workbook(analysis),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="coverage.xlsx"'
    return response


@staff_required(roles=access.MANAGERS)
def demand_import(request):
    form = DemandImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        regions=_regions(request),
    )
    if request.method == "POST" and form.is_valid():
        done = call_for_form(
            form,
            demand.demand_import,
            actor=request.user,
            region=form.cleaned_data["region"],
            name=form.cleaned_data["name"],
            upload=form.cleaned_data["file"],
            coord=form.cleaned_data["coord"],
        )
        if done.ok:
            imported = done.value
            messages.success(
                request,
                _("%(n)s rows imported.") % {"n": len(imported.points)},
            )
            return redirect(
                f"{reverse('staff_riders:coverage')}?region={imported.region_id}&minutes=10"
                f"&mode=ebike&k=3&use_riders=on&demand={imported.public_id}"
            )
    return render(
        request,
        "riders/staff_demand_import.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
