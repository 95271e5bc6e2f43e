"""Pages of the charging room for riders: the room's live slots (also a block on the
station's page, refreshed by htmx), hold a free slot, cancel the hold, report a fault. Every
form works without JavaScript: it posts and comes back to the page it came from."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core.errors import NotFound
from dangqun.core.forms import call_for_form, call_with_message
from dangqun.core.redirects import safe_next

from . import selectors, services
from .forms import FaultForm


def poll_seconds() -> int:
    """How often an open room page asks for fresh slot states (settings.CHARGING)."""
    return settings.CHARGING["POLL_SECONDS"]


def _or_404(getter, *args):
    try:
        return getter(*args)
    except NotFound:
        raise Http404 from None


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
        "back": back,
        "poll_seconds": poll_seconds(),
        "now": timezone.now(),
        "sign_in_url": f"{reverse('accounts:sign_in')}?{urlencode({'next': back})}",
    }


def room_detail(request, public_id):
    room = _or_404(selectors.room_public, public_id)
    return render(request, "charging/room.html", {"room": room, "hold": _hold_of(request)})


def room_live(request, public_id):
    """The live block alone, for htmx polling."""
    room = _or_404(selectors.room_public, public_id)
    back = safe_next(request, reverse("charging:room", args=[room.public_id]))
    response = render(request, "charging/_room_live.html", live_context(request, room, back))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def reserve(request, slot_id):
    slot = _or_404(selectors.slot_public, slot_id)
    back = safe_next(request, reverse("charging:room", args=[slot.cabinet.room.public_id]))
    done = call_with_message(request, services.reservation_create, actor=request.user, slot=slot)
    if done.ok:
        until = timezone.localtime(done.value.expires_at)
        messages.success(
            request,
            _("%(slot)s is held for you until %(until)s.")
            % {"slot": slot.name, "until": f"{until:%H:%M}"},
        )
    return redirect(back)


@login_required
@require_POST
def cancel(request, public_id):
    hold = _or_404(selectors.reservation_of, request.user, public_id)
    back = safe_next(request, reverse("charging:room", args=[hold.slot.cabinet.room.public_id]))
    if call_with_message(
        request, services.reservation_cancel, actor=request.user, reservation=hold
    ).ok:
        messages.success(request, _("Your reservation is cancelled."))
    return redirect(back)


@login_required
def fault(request, public_id):
    room = _or_404(selectors.room_public, public_id)
    slots = room.slot_list
    form = FaultForm(request.POST if request.method == "POST" else None, slots=slots)
    if request.method == "POST" and form.is_valid():
        done = call_for_form(
            form,
            services.fault_report,
            actor=request.user,
            slot=form.cleaned_data["slot"],
            text=form.cleaned_data["text"],
        )
        if done.ok:
            messages.success(request, _("Thank you: the staff have been told."))
            return redirect("charging:room", public_id=room.public_id)
    error = form.first_error()
    return render(
        request,
        "charging/fault.html",
        {
            "room": room,
            "slots": slots,
            "error": error,
            "chosen": request.POST.get("slot", ""),
            "text": request.POST.get("text", ""),
        },
        status=400 if error else 200,
    )
