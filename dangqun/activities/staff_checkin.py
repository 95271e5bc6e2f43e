"""The check-in pages of activities: the desk of a session (type the short code, scan the
personal QR code with the camera, show the rotating door code, check out), and the page a
personal QR code leads to. Writes go through services.check_in / check_out."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core import codes as core_codes
from dangqun.core.forms import attempt
from dangqun.people import access
from dangqun.people.decorators import staff_required

from . import codes, selectors, services, staff_selectors
from .models import ActivitySession, CheckIn, Registration
from .staff_forms import CodeForm
from .staff_pages import (
    Status,
    clock,
    is_open_for_check_in,
    masked_name,
    pick_session_page,
    session_of,
    staff_activity,
)

staff_only = staff_required(roles=access.MANAGERS)


def _result(kind: str, text: str, registration: Registration | None = None) -> dict:
    return {"kind": kind, "text": text, "registration": registration}


def _check_in(request, session: ActivitySession, registration: Registration, method) -> dict:
    name = masked_name(registration.person)
    checked_in = attempt(
        services.check_in,
        actor=request.user,
        session=session,
        registration=registration,
        method=method,
    )
    if not checked_in.ok:
        return _result("error", f"{name}: {checked_in.error.message}", registration)
    entry, created = checked_in.value
    if created:
        return _result("ok", _("✔ %(name)s checked in") % {"name": name}, registration)
    return _result(
        "again",
        _("%(name)s was already checked in at %(time)s.")
        % {"name": name, "time": clock(entry.checked_in_at)},
        registration,
    )


def _check_code(request, session: ActivitySession, code: str) -> dict:
    registration = codes.registration_from_short_code(session, code)
    if registration is not None:
        return _check_in(request, session, registration, CheckIn.Method.SHORT_CODE)
    if staff_selectors.code_used_elsewhere(request.user, code):
        return _result("error", _("This code belongs to another activity."))
    return _result(
        "error", _("No sign-up has the code %(code)s. Check the letters.") % {"code": code}
    )


def _door_context(request, session: ActivitySession) -> dict:
    path = reverse("activities:door", args=[codes.door_token(session)])
    url = request.build_absolute_uri(path)
    return {"session": session, "door_url": url, "door_svg": codes.qr_svg(url)}


def _desk_context(request, activity, session, form, result=None) -> dict:
    entries = staff_selectors.check_ins_of_session(session)
    return {
        "activity": activity,
        "session": session,
        "form": form,
        "result": result,
        # The desk's screen may face the queue: names masked, as in the result line.
        "entries": [(e, masked_name(e.registration.person)) for e in entries[:100]],
        "checked_in": entries.count(),
        "confirmed": activity.registrations.filter(status=Status.CONFIRMED).count(),
        "open": is_open_for_check_in(session),
        "scan_prefix": reverse("staff_activities:scan_token", args=["x"])[:-2],
        **_door_context(request, session),
    }


@staff_only
def desk(request, public_id):
    """One session's check-in: type the short code, or scan the personal QR code."""
    activity = staff_activity(request, public_id)
    session = session_of(activity, request.GET.get("session"))
    if session is None:
        open_now = [s for s in activity.sessions.all() if is_open_for_check_in(s)]
        if len(open_now) == 1:
            url = reverse("staff_activities:desk", args=[activity.public_id])
            return redirect(f"{url}?session={open_now[0].pk}")
        return pick_session_page(request, activity, _("Check-in desk"), "staff_activities:desk")
    form = CodeForm(request.POST if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = _check_code(request, session, form.cleaned_data["code"])
        form = CodeForm()  # empty and focused, for the next person
    return render(
        request,
        "activities/staff_desk.html",
        _desk_context(request, activity, session, form, result),
    )


def _check_photo(request, session: ActivitySession) -> dict:
    """A photo of a personal QR code, from a phone whose browser cannot read codes with the
    camera (iPhone Safari, WeChat): read on the server, then the same check-in as a scan.
    A body far larger than a photo may be is refused before it is read."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > core_codes.QR_PHOTO_MAX_BYTES + 64 * 1024:
        mb = core_codes.QR_PHOTO_MAX_BYTES // 2**20
        return _result("error", _("The photo may be at most %(mb)d MB.") % {"mb": mb})
    found = attempt(
        codes.registration_from_photo, session=session, upload=request.FILES.get("photo")
    )
    if not found.ok:
        return _result("error", str(found.error.message))
    return _check_in(request, session, found.value, CheckIn.Method.SCAN)


@staff_only
@require_POST
def desk_photo(request, public_id):
    """The desk's photo form: check in from a photo of a personal QR code."""
    activity = staff_activity(request, public_id)
    session = _session_or_404(activity, request.GET.get("session"))
    result = _check_photo(request, session)
    return render(
        request,
        "activities/staff_desk.html",
        _desk_context(request, activity, session, CodeForm(), result),
    )


@staff_only
def door_qr(request, public_id):
    """The session's rotating door code; the desk fetches it again every minute."""
    activity = staff_activity(request, public_id)
    session = _session_or_404(activity, request.GET.get("session"))
    return render(request, "activities/staff_door_qr.html", _door_context(request, session))


@staff_only
@require_POST
def check_out(request, public_id):
    activity = staff_activity(request, public_id)
    session = _session_or_404(activity, request.POST.get("session"))
    entry = staff_selectors.check_in_at(session, request.POST.get("registration"))
    if entry is None:
        raise Http404
    services.check_out(actor=request.user, entry=entry)
    messages.success(
        request,
        _("%(name)s is checked out at %(time)s.")
        % {"name": masked_name(entry.registration.person), "time": clock(entry.checked_out_at)},
    )
    url = reverse("staff_activities:desk", args=[activity.public_id])
    return redirect(f"{url}?session={session.pk}")


def scan_token(request, token: str):
    """Where a personal QR code leads. Staff of the organising center: checked in to the
    session open now (or the one the desk chose). Anyone else: show it to the staff."""
    registration = codes.registration_from_token(token)
    if registration is None:
        return render(request, "activities/staff_scan.html", {"state": "invalid"}, status=404)
    activity = registration.activity
    user = request.user
    if not access.covers(user, activity.center.region, roles=access.MANAGERS):
        return render(request, "activities/staff_scan.html", {"state": "show_staff"})
    activity = selectors.activity_for_staff(user, activity.public_id)
    sessions = list(activity.sessions.all())
    if request.GET.get("session"):  # the desk that scanned says which session
        session = staff_selectors.session_for_staff(user, request.GET["session"])
        if session is None:
            raise Http404
        if session.activity_id != activity.pk:
            result = _result("error", _("This code belongs to another activity."), registration)
            return _scan_page(request, session.activity, session, result)
    else:
        open_now = [s for s in sessions if is_open_for_check_in(s)]
        if len(open_now) != 1:
            return render(
                request,
                "activities/staff_scan.html",
                {
                    "state": "choose" if open_now else "none_open",
                    "activity": activity,
                    "sessions": open_now or sessions,
                    "token": token,
                    "name": masked_name(registration.person),
                },
            )
        session = open_now[0]
    result = _check_in(request, session, registration, CheckIn.Method.SCAN)
    return _scan_page(request, activity, session, result)


def _scan_page(request, activity, session, result):
    return render(
        request,
        "activities/staff_scan.html",
        {"state": "result", "activity": activity, "session": session, "result": result},
    )


def _session_or_404(activity, value) -> ActivitySession:
    session = session_of(activity, value)
    if session is None:
        raise Http404
    return session
