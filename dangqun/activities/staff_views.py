"""Back-office pages of activities: the list, the form, publish/copy/cancel/finish; the
activity's page with its figures, registrants and walk-ins; the check-in desk (short code,
camera, door code) and the personal QR code's landing page; the sign-in sheet; Excel
exports; exhibition visitors. Reads go through selectors and people/access.py, writes
through the services; an activity outside the user's regions is a 404 like a missing one."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core import audit
from dangqun.core.errors import DomainError, NotFound, ValidationFailed
from dangqun.core.forms import add_domain_error
from dangqun.people import access, identity
from dangqun.people import counter as people_counter
from dangqun.people import selectors as people
from dangqun.people import services as people_services
from dangqun.people.decorators import staff_required
from dangqun.people.models import PersonTag
from dangqun.places.models import Region, ServiceCenter, Space

from . import drafting, exports, selectors, services
from .models import Activity, ActivitySession, CheckIn, ExhibitionDay, Registration
from .staff_forms import (
    ActivityForm,
    CancelActivityForm,
    CopyForm,
    ExhibitionDayForm,
    WalkInForm,
)

PER_PAGE = 50
SHEET_BLANK_ROWS = 5  # for walk-ins who sign on paper
Status = Registration.Status


# --- look-ups -----------------------------------------------------------------------------


def _require_manager(request) -> None:
    """Activities are run by district, street and center staff; partners see none."""
    if not access.has_role(request.user, access.MANAGERS):
        raise Http404


def staff_activity(request, public_id) -> Activity:
    return selectors.activity_for_staff(request.user, public_id)


def session_of(activity: Activity, value) -> ActivitySession | None:
    try:
        return activity.sessions.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None


def is_open_for_check_in(session: ActivitySession, now=None) -> bool:
    now = now or timezone.now()
    return session.start - services.CHECK_IN_OPENS <= now < session.end


def masked_name(person) -> str:
    """王小明 -> 王**; someone without a name by their masked mobile number."""
    return identity.mask_name(person.name) or person.masked_mobile


def clock(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def pick_session_page(request, activity: Activity, title: str, url_name: str):
    sessions = list(activity.sessions.all())
    now = timezone.now()
    return render(
        request,
        "activities/staff_pick_session.html",
        {
            "activity": activity,
            "sessions": [(s, is_open_for_check_in(s, now)) for s in sessions],
            "title": title,
            "url_name": url_name,
        },
    )


# --- the list and the form ----------------------------------------------------------------


@staff_required
def activity_list(request):
    _require_manager(request)
    status = request.GET.get("status", "")
    activities = selectors.activities_for_staff(request.user).annotate(
        # distinct: the join with the sessions repeats each registration once a session.
        confirmed=Count(
            "registrations", filter=Q(registrations__status=Status.CONFIRMED), distinct=True
        ),
        first_start=Min("sessions__start"),  # `waiting` is the activity's own count
    )
    if status in Activity.Status.values:
        activities = activities.filter(status=status)
    page = Paginator(activities, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/staff_list.html",
        {"page": page, "status": status, "statuses": Activity.Status.choices},
    )


def _form(request, activity: Activity | None = None) -> ActivityForm:
    user = request.user
    bookable = Q(is_bookable=True)
    if activity is not None and activity.space_id:
        bookable |= Q(pk=activity.space_id)
    spaces = access.scope(
        user, Space.objects.filter(bookable).select_related("center"), roles=access.MANAGERS
    ).order_by("center__name", "name")
    centers = access.scope(
        user, ServiceCenter.objects.select_related("region"), roles=access.MANAGERS
    ).order_by("name")
    posted = request.method == "POST"
    return ActivityForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        centers=centers,
        spaces=spaces,
        regions=Region.objects.order_by("path"),
        activity=activity,
        initial=ActivityForm.initial_from(activity) if activity is not None else None,
    )


@transaction.atomic
def _save(request, form: ActivityForm, activity: Activity | None = None) -> Activity:
    """The activity, its sessions and its cover: all of it, or nothing."""
    data = form.service_data()
    if activity is None:
        activity = drafting.activity_create(
            actor=request.user, center=form.cleaned_data["center"], data=data
        )
    else:
        activity = drafting.activity_update(actor=request.user, activity=activity, data=data)
    sessions = form.cleaned_data.get("sessions")
    current = [(s.start, s.end) for s in activity.sessions.all()]
    if sessions is not None and sessions != current:
        services.activity_set_sessions(actor=request.user, activity=activity, sessions=sessions)
    if form.cleaned_data.get("cover"):
        drafting.activity_set_cover(
            actor=request.user, activity=activity, upload=form.cleaned_data["cover"]
        )
    return activity


@staff_required
def activity_create(request):
    _require_manager(request)
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        try:
            activity = _save(request, form)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The activity is saved as a draft. Publish it when ready."))
            return redirect("staff_activities:detail", public_id=activity.public_id)
    return render(request, "activities/staff_form.html", {"form": form, "activity": None})


@staff_required
def activity_edit(request, public_id):
    activity = staff_activity(request, public_id)
    form = _form(request, activity)
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form, activity)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The activity is saved."))
            return redirect("staff_activities:detail", public_id=activity.public_id)
    return render(request, "activities/staff_form.html", {"form": form, "activity": activity})


# --- the activity's page ------------------------------------------------------------------


def _registrant_rows(request, activity: Activity, sessions) -> list[dict]:
    rows = []
    for registration in selectors.registrants_for_staff(request.user, activity):
        by_session = {c.session_id: c for c in registration.check_ins.all()}
        rows.append(
            {
                "registration": registration,
                "person": registration.person,
                "check_ins": [(s, by_session.get(s.pk)) for s in sessions],
            }
        )
    return rows


def _detail_context(
    request, activity: Activity, walk_in_form=None, sign_up_for=None, sign_up_error=""
) -> dict:
    sessions = list(activity.sessions.annotate(checked_in=Count("check_ins")))
    by_status = dict(
        activity.registrations.values_list("status").annotate(n=Count("id")).order_by()
    )
    figures = selectors.attendance(activities=Activity.objects.filter(pk=activity.pk))
    now = timezone.now()
    open_sessions = [s for s in sessions if is_open_for_check_in(s, now)]
    if walk_in_form is None:
        first_open = {"session": open_sessions[0].pk} if open_sessions else None
        walk_in_form = WalkInForm(sessions=sessions, initial=first_open)
    return {
        "activity": activity,
        "sessions": sessions,
        "open_sessions": open_sessions,
        "counts": {
            "confirmed": by_status.get(Status.CONFIRMED, 0),
            "offered": by_status.get(Status.OFFERED, 0),
            "waiting": by_status.get(Status.WAITLISTED, 0),
            "cancelled": by_status.get(Status.CANCELLED, 0) + by_status.get(Status.EXPIRED, 0),
        },
        "figures": figures,
        "tag_figures": [t for t in figures["by_tag"].values() if t["person_times"]],
        "tag_labels": [
            PersonTag.Tag(t).label for t in activity.eligible_tags if t in PersonTag.Tag.values
        ],
        "rows": _registrant_rows(request, activity, sessions),
        "walk_in_form": walk_in_form,
        "sign_up_for": sign_up_for,
        "sign_up_error": sign_up_error,
        "copy_form": CopyForm(),
        "now": now,
    }


def _person_at_counter(request, public_id):
    """The person staff sign up (from the counter page), by their opaque public id."""
    try:
        return people_counter.person_at_counter(request, public_id)
    except NotFound:
        raise Http404 from None


@staff_required
def activity_detail(request, public_id):
    activity = staff_activity(request, public_id)
    chosen = request.GET.get("for")
    sign_up_for = _person_at_counter(request, chosen) if chosen else None
    return render(
        request,
        "activities/staff_detail.html",
        _detail_context(request, activity, sign_up_for=sign_up_for),
    )


@staff_required
@require_POST
def sign_up(request, public_id):
    """Sign someone up (a place, or the waiting list), as they would themselves: the same
    rules of eligibility and of the sign-up window; the person is told by SMS."""
    _require_manager(request)
    activity = staff_activity(request, public_id)
    person = _person_at_counter(request, request.POST.get("person", ""))
    try:
        registration = services.registration_create(
            actor=request.user, activity=activity, person=person
        )
    except DomainError as error:
        context = _detail_context(
            request, activity, sign_up_for=person, sign_up_error=str(error.message)
        )
        return render(request, "activities/staff_detail.html", context, status=400)
    messages.success(
        request,
        (
            _("%(name)s has a place.")
            if registration.status == Status.CONFIRMED
            else _("%(name)s is on the waiting list.")
        )
        % {"name": person.name or person.masked_mobile},
    )
    # Back to the counter, where the sign-up now shows with the person's other business.
    return redirect("staff_intake:counter_person", public_id=person.public_id)


def _back(activity: Activity):
    return redirect("staff_activities:detail", public_id=activity.public_id)


@staff_required
@require_POST
def activity_publish(request, public_id):
    activity = staff_activity(request, public_id)
    try:
        services.activity_publish(actor=request.user, activity=activity)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The activity is published: residents can sign up."))
    return _back(activity)


@staff_required
@require_POST
def activity_copy(request, public_id):
    activity = staff_activity(request, public_id)
    form = CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("days_later", [])))
        return _back(activity)
    copy = services.activity_copy(
        actor=request.user, activity=activity, days_later=form.cleaned_data["days_later"]
    )
    messages.success(request, _("This is the copy, a draft: check it, then publish it."))
    return redirect("staff_activities:edit", public_id=copy.public_id)


@staff_required
def activity_cancel(request, public_id):
    """A page of its own, so a missing reason is shown beside the field."""
    activity = staff_activity(request, public_id)
    form = CancelActivityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_cancel(
                actor=request.user, activity=activity, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("The activity is cancelled. Everyone signed up gets a text message.")
            )
            return _back(activity)
    active = activity.registrations.filter(status__in=Registration.ACTIVE).count()
    return render(
        request,
        "activities/staff_cancel.html",
        {"activity": activity, "form": form, "active": active},
    )


@staff_required
@require_POST
def activity_finish(request, public_id):
    activity = staff_activity(request, public_id)
    try:
        services.activity_finish(actor=request.user, activity=activity)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The activity is marked as over."))
    return _back(activity)


@staff_required
@require_POST
def registration_cancel(request, public_id, registration_id):
    activity = staff_activity(request, public_id)
    registration = access.get_or_404(
        request.user,
        Registration.objects.select_related("person", "activity"),
        activity=activity,
        public_id=registration_id,
    )
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("The sign-up of %(name)s is cancelled; a place held goes to the next in line.")
            % {"name": masked_name(registration.person)},
        )
    return _back(activity)


@transaction.atomic
def _walk_in(request, activity: Activity, form: WalkInForm) -> CheckIn:
    """Find or (with the person's consent, given at the counter) create the account, then
    register and check in: all of it, or nothing."""
    session = session_of(activity, form.cleaned_data["session"])
    if session is None:
        raise ValidationFailed(_("Choose a session of this activity."), field="session")
    mobile = form.cleaned_data["mobile"]
    person = people.person_by_mobile(mobile)
    if person is None:
        identity.normalize_mobile(mobile)  # a clear message beside the field if it is not one
        name = form.cleaned_data["name"].strip()
        if not name:
            raise ValidationFailed(
                _("This mobile number has no account yet: enter the person's name."), field="name"
            )
        if not form.cleaned_data["consent"]:
            raise ValidationFailed(
                _("Ask the person to read the privacy notice, then tick that they agree."),
                field="consent",
            )
        person, _created = people_services.person_get_or_create(mobile=mobile, consent=True)
        people_services.person_update_profile(actor=request.user, person=person, name=name)
        audit.record(
            request.user,
            "person.consent_at_counter",
            person,
            {"activity": str(activity.public_id), "session": session.pk},
        )
    held = Registration.objects.filter(
        activity=activity, person=person, status__in=[Status.WAITLISTED, Status.OFFERED]
    ).first()
    if held is not None:
        raise ValidationFailed(
            _("This person signed up already and has no confirmed place (%(status)s).")
            % {"status": held.get_status_display()},
            field="mobile",
        )
    return services.walk_in(actor=request.user, session=session, person=person)


@staff_required
@require_POST
def walk_in(request, public_id):
    activity = staff_activity(request, public_id)
    form = WalkInForm(request.POST, sessions=activity.sessions.all())
    if form.is_valid():
        try:
            entry = _walk_in(request, activity, form)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("✔ %(name)s is checked in at %(time)s.")
                % {
                    "name": masked_name(entry.registration.person),
                    "time": clock(entry.checked_in_at),
                },
            )
            return _back(activity)
    context = _detail_context(request, activity, walk_in_form=form)
    return render(request, "activities/staff_detail.html", context)


# --- paper and files ----------------------------------------------------------------------


@staff_required
def sign_in_sheet(request, public_id):
    """A session's registrants on paper: masked names and mobiles, codes, a signature."""
    activity = staff_activity(request, public_id)
    session = session_of(activity, request.GET.get("session"))
    if session is None:
        return pick_session_page(request, activity, _("Sign-in sheet"), "staff_activities:sheet")
    registrations = (
        selectors.registrants_for_staff(request.user, activity)
        .filter(status=Status.CONFIRMED)
        .select_related(None)
        .select_related("person")
    )
    checked = {
        c.registration_id: c for c in CheckIn.objects.filter(session=session).only("registration")
    }
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


@staff_required
def export_registrations(request, public_id):
    activity = staff_activity(request, public_id)
    sessions = list(activity.sessions.all())
    registrations = list(selectors.registrants_for_staff(request.user, activity))
    content = exports.registrations_workbook(sessions, registrations)
    audit.record(
        request.user,
        "activity.export",
        activity,
        {"what": "registrations", "rows": len(registrations)},
    )
    return _xlsx(content, f"registrations-{activity.public_id}")


@staff_required
def export_attendance(request, public_id):
    activity = staff_activity(request, public_id)
    entries = list(
        CheckIn.objects.filter(session__activity=activity)
        .select_related("session", "registration__person", "by")
        .order_by("session__start", "checked_in_at", "id")
    )
    days = list(activity.visit_days.all())
    figures = selectors.attendance(activities=Activity.objects.filter(pk=activity.pk))
    content = exports.attendance_workbook(entries, figures, days)
    audit.record(
        request.user, "activity.export", activity, {"what": "attendance", "rows": len(entries)}
    )
    return _xlsx(content, f"attendance-{activity.public_id}")


# --- exhibitions --------------------------------------------------------------------------


def visitor_days(activity: Activity) -> list[dict]:
    """Per day: check-ins (person-times, by the local date of the check-in), visitors counted
    by staff at the door, and the two together."""
    scanned = dict(
        CheckIn.objects.filter(session__activity=activity)
        .annotate(day=TruncDate("checked_in_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    counted = {d.date: d for d in ExhibitionDay.objects.filter(activity=activity)}
    days = sorted(set(scanned) | set(counted), reverse=True)
    return [
        {
            "date": day,
            "checked_in": scanned.get(day, 0),
            "counted": counted[day].visitors if day in counted else None,
            "total": scanned.get(day, 0) + (counted[day].visitors if day in counted else 0),
        }
        for day in days
    ]


@staff_required
def exhibition_visitors(request, public_id):
    activity = staff_activity(request, public_id)
    if activity.kind != Activity.Kind.EXHIBITION:
        raise Http404
    form = ExhibitionDayForm(
        request.POST if request.method == "POST" else None,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.exhibition_day_set(actor=request.user, activity=activity, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Saved: %(n)d visitors on %(day)s.")
                % {"n": form.cleaned_data["visitors"], "day": form.cleaned_data["date"]},
            )
            return redirect("staff_activities:visitors", public_id=activity.public_id)
    days = visitor_days(activity)
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
