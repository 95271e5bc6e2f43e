"""Pages of the charging room for riders: the room's live slots (also a block on the
station's page, refreshed by htmx), hold a free slot, cancel the hold, report a fault. Every
form works without JavaScript: it posts and comes back to the page it came from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core.errors import DomainError, NotFound

from . import selectors, services

POLL_SECONDS = 15


def _or_404(getter, *args):
    try:
        return getter(*args)
    except NotFound:
        raise Http404 from None


def _safe_back(request, value: str | None, fallback: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return fallback


def _hold_of(request):
    """The signed-in rider's active hold, read once per request."""
    if not hasattr(request, "_charging_hold"):
        request._charging_hold = selectors.active_hold(request.user)
    return request._charging_hold


def live_context(request, room, back: str) -> dict:
    hold = _hold_of(request)
    return {
        "room": room,
        "hold": hold,
        "hold_here": hold is not None and hold.slot.cabinet.room_id == room.pk,
        "hold_label": f"{hold.slot.cabinet.code}-{hold.slot.number}" if hold else "",
        "back": back,
        "poll_seconds": POLL_SECONDS,
        "now": timezone.now(),
        "sign_in_url": f"{reverse('accounts:sign_in')}?{urlencode({'next': back})}",
    }


def room_detail(request, public_id):
    room = _or_404(selectors.room_public, public_id)
    return render(request, "charging/room.html", {"room": room, "hold": _hold_of(request)})


def room_live(request, public_id):
    """The live block alone, for htmx polling."""
    room = _or_404(selectors.room_public, public_id)
    fallback = reverse("charging:room", args=[room.public_id])
    back = _safe_back(request, request.GET.get("next"), fallback)
    response = render(request, "charging/_room_live.html", live_context(request, room, back))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def reserve(request, slot_id):
    slot = _or_404(selectors.slot_public, slot_id)
    back = _safe_back(
        request,
        request.POST.get("next"),
        reverse("charging:room", args=[slot.cabinet.room.public_id]),
    )
    try:
        hold = services.reservation_create(actor=request.user, slot=slot)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        until = timezone.localtime(hold.expires_at)
        messages.success(
            request,
            _("Slot %(slot)s is held for you until %(until)s.")
            % {"slot": f"{slot.cabinet.code}-{slot.number}", "until": f"{until:%H:%M}"},
        )
    return redirect(back)


@login_required
@require_POST
def cancel(request, public_id):
    hold = _or_404(selectors.reservation_of, request.user, public_id)
    back = _safe_back(
        request,
        request.POST.get("next"),
        reverse("charging:room", args=[hold.slot.cabinet.room.public_id]),
    )
    try:
        services.reservation_cancel(actor=request.user, reservation=hold)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your reservation is cancelled."))
    return redirect(back)


@login_required
def fault(request, public_id):
    room = _or_404(selectors.room_public, public_id)
    slots = [slot for cabinet in room.cabinets.all() for slot in cabinet.slots.all()]
    error, chosen, text = None, request.POST.get("slot", ""), request.POST.get("text", "")
    if request.method == "POST":
        slot = next((s for s in slots if str(s.pk) == chosen), None)
        if slot is None:
            error = _("Choose the slot.")
        else:
            try:
                services.fault_report(actor=request.user, slot=slot, text=text)
            except DomainError as failure:
                error = str(failure.message)
            else:
                messages.success(request, _("Thank you: the staff have been told."))
                return redirect("charging:room", public_id=room.public_id)
    return render(
        request,
        "charging/fault.html",
        {"room": room, "slots": slots, "error": error, "chosen": chosen, "text": text},
        status=400 if error else 200,
    )
