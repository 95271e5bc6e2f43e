"""Back-office pages of the charging room, scoped by the station's region: rooms and their
live slots, add a room or a cabinet, rotate a cabinet's secret (shown once), faults and
closing them, usage figures per day and per hour with an Excel export."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core.forms import call_for_form, call_with_message
from dangqun.people import access
from dangqun.people.decorators import staff_required
from dangqun.riders import selectors as riders

from . import exports, selectors, services
from .models import FaultReport, Slot
from .staff_forms import CabinetForm, RoomForm, UsageForm


def _stations(request):
    return riders.stations_for_staff(request.user).order_by("name")


@staff_required(roles=access.MANAGERS)
def room_list(request):
    form = RoomForm(request.POST or None, stations=_stations(request))
    if request.method == "POST" and form.is_valid():
        done = call_for_form(form, services.room_create, actor=request.user, **form.cleaned_data)
        if done.ok:
            return redirect("staff_charging:room", public_id=done.value.public_id)
    rooms = selectors.rooms_for_staff(request.user)
    return render(request, "charging/staff_list.html", {"rooms": rooms, "form": form})


@staff_required(roles=access.MANAGERS)
def room_detail(request, public_id):
    room = selectors.room_for_staff(request.user, public_id)
    form = CabinetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_for_form(
            form, services.cabinet_create, actor=request.user, room=room, **form.cleaned_data
        )
        if done.ok:
            return _secret_page(request, *done.value)
    return render(
        request,
        "charging/staff_room.html",
        {"room": room, "form": form, "kinds": Slot.Kind.choices},
    )


def _secret_page(request, cabinet, secret: str):
    """The secret, shown this once (never stored in the clear, never logged)."""
    response = render(request, "charging/staff_secret.html", {"cabinet": cabinet, "secret": secret})
    response["Cache-Control"] = "no-store"
    return response


@staff_required(roles=access.MANAGERS)
@require_POST
def secret_rotate(request, code):
    cabinet = selectors.cabinet_for_staff(request.user, code)
    secret = services.cabinet_rotate_secret(actor=request.user, cabinet=cabinet)
    return _secret_page(request, cabinet, secret)


@staff_required(roles=access.MANAGERS)
@require_POST
def slot_kind(request, slot_id):
    slot = selectors.slot_for_staff(request.user, slot_id)
    call_with_message(
        request,
        services.slot_set_kind,
        actor=request.user,
        slot=slot,
        kind=request.POST.get("kind", ""),
    )
    return redirect("staff_charging:room", public_id=slot.cabinet.room.public_id)


@staff_required(roles=access.MANAGERS)
def fault_list(request):
    status = request.GET.get("status", FaultReport.Status.OPEN)
    if status not in FaultReport.Status.values:
        status = ""
    faults = list(selectors.faults_for_staff(request.user, status=status or None)[:200])
    return render(
        request,
        "charging/staff_faults.html",
        {"faults": faults, "status": status, "statuses": FaultReport.Status.choices},
    )


@staff_required(roles=access.MANAGERS)
@require_POST
def fault_close(request, public_id):
    fault = selectors.fault_for_staff(request.user, public_id)
    if call_with_message(
        request,
        services.fault_close,
        actor=request.user,
        fault=fault,
        note=request.POST.get("note", ""),
    ).ok:
        messages.success(request, _("The fault is closed."))
    return redirect("staff_charging:faults")


def _usage(request):
    form = UsageForm({**UsageForm.initial_range(), **request.GET.dict()})
    room = None
    if request.GET.get("room"):
        room = selectors.room_for_staff(request.user, request.GET["room"])
    if not form.is_valid():
        return form, room, None
    figures = selectors.usage(
        request.user, room=room, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
    )
    return form, room, figures


@staff_required(roles=access.MANAGERS)
def usage(request):
    form, room, figures = _usage(request)
    rooms = selectors.rooms_for_staff(request.user)
    peak = max((row["sessions"] for row in figures["by_hour"]), default=0) if figures else 0
    return render(
        request,
        "charging/staff_usage.html",
        {"form": form, "room": room, "rooms": rooms, "figures": figures, "peak": peak or 1},
        status=200 if figures else 400,
    )


@staff_required(roles=access.MANAGERS)
def usage_export(request):
    form, room, figures = _usage(request)
    if figures is None:
        return redirect("staff_charging:usage")
    services.usage_export_record(
        actor=request.user,
        room=room,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
    )
    response = HttpResponse(
        exports.usage_workbook(figures),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="charging-usage.xlsx"'
    return response
