"""Back-office pages of activities on paper and in files: the printable sign-in sheet of
a session, the Excel exports (audited), and the visitors of an exhibition by day."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.core.forms import call_for_form
from dangqun.people import access
from dangqun.people.decorators import staff_required

from . import exports, services, staff_selectors
from .models import Activity
from .staff_forms import ExhibitionDayForm
from .staff_pages import masked_name, pick_session_page, session_of, staff_activity

SHEET_BLANK_ROWS = 5  # for walk-ins who sign on paper
staff_only = staff_required(roles=access.MANAGERS)


@staff_only
def sign_in_sheet(request, public_id):
    """A session's registrants on paper: masked names and mobiles, codes, a signature."""
    activity = staff_activity(request, public_id)
    session = session_of(activity, request.GET.get("session"))
    if session is None:
        return pick_session_page(request, activity, _("Sign-in sheet"), "staff_activities:sheet")
    registrations = staff_selectors.confirmed_for_sheet(request.user, activity)
    checked = staff_selectors.check_ins_by_registration(session)
    rows = [
        {
            "name": masked_name(r.person) if r.person.name else "",
            "mobile": r.person.masked_mobile,
            "code": r.short_code,
            "walk_in": r.is_walk_in,
            "checked_in": checked.get(r.pk),
        }
        for r in registrations
    ]
    return render(
        request,
        "activities/staff_sheet.html",
        {
            "activity": activity,
            "session": session,
            "rows": rows,
            "blank_rows": range(len(rows) + 1, len(rows) + 1 + SHEET_BLANK_ROWS),
            "printed_at": timezone.localtime(),
        },
    )


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@staff_only
def export_registrations(request, public_id):
    activity = staff_activity(request, public_id)
    content = exports.registrations_export(actor=request.user, activity=activity)
    return _xlsx(content, f"registrations-{activity.public_id}")


@staff_only
def export_attendance(request, public_id):
    activity = staff_activity(request, public_id)
    content = exports.attendance_export(actor=request.user, activity=activity)
    return _xlsx(content, f"attendance-{activity.public_id}")


# --- exhibitions --------------------------------------------------------------------------


@staff_only
def exhibition_visitors(request, public_id):
    activity = staff_activity(request, public_id)
    if activity.kind != Activity.Kind.EXHIBITION:
        raise Http404
    form = ExhibitionDayForm(
        request.POST if request.method == "POST" else None,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        saved = call_for_form(
            form,
            services.exhibition_day_set,
            actor=request.user,
            activity=activity,
            **form.cleaned_data,
        )
        if saved.ok:
            messages.success(
                request,
                _("Saved: %(n)d visitors on %(day)s.")
                % {"n": form.cleaned_data["visitors"], "day": form.cleaned_data["date"]},
            )
            return redirect("staff_activities:visitors", public_id=activity.public_id)
    days = staff_selectors.visitor_days(activity)
    return render(
        request,
        "activities/staff_visitors.html",
        {
            "activity": activity,
            "form": form,
            "days": days,
            "totals": {
                "checked_in": sum(d["checked_in"] for d in days),
                "counted": sum(d["counted"] or 0 for d in days),
                "total": sum(d["total"] for d in days),
            },
        },
    )
