"""Back-office pages of activities: the list, the form, publish/copy/cancel/finish; the
activity's page with its figures, registrants and walk-ins. The check-in desk is in
staff_checkin.py, paper, files and exhibition visitors in staff_sheets.py. Pages parse,
authorise (staff_required), call a selector or service, render; an activity outside the
user's regions is a 404 like a missing one."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core.errors import NotFound
from dangqun.core.forms import attempt, call_for_form, call_with_message
from dangqun.people import access
from dangqun.people import counter as people_counter
from dangqun.people import selectors as people
from dangqun.people.decorators import staff_required

from . import drafting, selectors, services, staff_selectors
from .models import Activity
from .staff_forms import ActivityForm, CancelActivityForm, CopyForm, WalkInForm
from .staff_pages import (
    Status,
    clock,
    is_open_for_check_in,
    masked_name,
    session_of,
    staff_activity,
)

PER_PAGE = 50
# Activities are run by district, street and center staff; partners see none.
staff_only = staff_required(roles=access.MANAGERS)


# --- the list and the form ----------------------------------------------------------------


@staff_only
def activity_list(request):
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
    posted = request.method == "POST"
    return ActivityForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        **staff_selectors.form_choices(request.user, activity),
        activity=activity,
        initial=ActivityForm.initial_from(activity) if activity is not None else None,
    )


def _save(request, form: ActivityForm, activity: Activity | None = None):
    """The activity, its sessions and its cover, through the one saving service."""
    return call_for_form(
        form,
        drafting.activity_save,
        actor=request.user,
        data=form.service_data(),
        center=form.cleaned_data.get("center") if activity is None else None,
        activity=activity,
        sessions=form.cleaned_data.get("sessions"),
        cover=form.cleaned_data.get("cover"),
    )


@staff_only
def activity_create(request):
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form)
        if saved.ok:
            messages.success(request, _("The activity is saved as a draft. Publish it when ready."))
            return redirect("staff_activities:detail", public_id=saved.value.public_id)
    return render(request, "activities/staff_form.html", {"form": form, "activity": None})


@staff_only
def activity_edit(request, public_id):
    activity = staff_activity(request, public_id)
    form = _form(request, activity)
    if request.method == "POST" and form.is_valid() and _save(request, form, activity).ok:
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
    sessions = staff_selectors.sessions_with_check_ins(activity)
    figures = selectors.attendance(activities=staff_selectors.one(activity))
    now = timezone.now()
    open_sessions = [s for s in sessions if is_open_for_check_in(s, now)]
    if walk_in_form is None:
        first_open = {"session": open_sessions[0].pk} if open_sessions else None
        walk_in_form = WalkInForm(sessions=sessions, initial=first_open)
    return {
        "activity": activity,
        "sessions": sessions,
        "open_sessions": open_sessions,
        "counts": staff_selectors.registration_counts(activity),
        "figures": figures,
        "tag_figures": [t for t in figures["by_tag"].values() if t["person_times"]],
        "tag_labels": _tag_labels(activity),
        "rows": _registrant_rows(request, activity, sessions),
        "walk_in_form": walk_in_form,
        "sign_up_for": sign_up_for,
        "sign_up_error": sign_up_error,
        "copy_form": CopyForm(),
        "now": now,
    }


def _tag_labels(activity: Activity) -> list[str]:
    labels = dict(people.tag_choices())
    return [labels[t] for t in activity.eligible_tags if t in labels]


def _person_at_counter(request, public_id):
    """The person staff sign up (from the counter page), by their opaque public id."""
    try:
        return people_counter.person_at_counter(request, public_id)
    except NotFound:
        raise Http404 from None


@staff_only
def activity_detail(request, public_id):
    activity = staff_activity(request, public_id)
    chosen = request.GET.get("for")
    sign_up_for = _person_at_counter(request, chosen) if chosen else None
    return render(
        request,
        "activities/staff_detail.html",
        _detail_context(request, activity, sign_up_for=sign_up_for),
    )


@staff_only
@require_POST
def sign_up(request, public_id):
    """Sign someone up (a place, or the waiting list), as they would themselves: the same
    rules of eligibility and of the sign-up window; the person is told by SMS."""
    activity = staff_activity(request, public_id)
    person = _person_at_counter(request, request.POST.get("person", ""))
    signed_up = attempt(
        services.registration_create, actor=request.user, activity=activity, person=person
    )
    if not signed_up.ok:  # shown in the sign-up box, which is no form
        context = _detail_context(
            request, activity, sign_up_for=person, sign_up_error=str(signed_up.error.message)
        )
        return render(request, "activities/staff_detail.html", context, status=400)
    registration = signed_up.value
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


@staff_only
@require_POST
def activity_publish(request, public_id):
    activity = staff_activity(request, public_id)
    if call_with_message(
        request, services.activity_publish, actor=request.user, activity=activity
    ).ok:
        messages.success(request, _("The activity is published: residents can sign up."))
    return _back(activity)


@staff_only
@require_POST
def activity_copy(request, public_id):
    activity = staff_activity(request, public_id)
    copied = call_with_message(
        request,
        services.activity_copy,
        actor=request.user,
        activity=activity,
        days_later=request.POST.get("days_later"),
    )
    if not copied.ok:
        return _back(activity)
    messages.success(request, _("This is the copy, a draft: check it, then publish it."))
    return redirect("staff_activities:edit", public_id=copied.value.public_id)


@staff_only
def activity_cancel(request, public_id):
    """A page of its own, so a missing reason is shown beside the field."""
    activity = staff_activity(request, public_id)
    form = CancelActivityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cancelled = call_for_form(
            form,
            services.activity_cancel,
            actor=request.user,
            activity=activity,
            reason=form.cleaned_data["reason"],
        )
        if cancelled.ok:
            messages.success(
                request, _("The activity is cancelled. Everyone signed up gets a text message.")
            )
            return _back(activity)
    active = staff_selectors.active_registrations(activity)
    return render(
        request,
        "activities/staff_cancel.html",
        {"activity": activity, "form": form, "active": active},
    )


@staff_only
@require_POST
def activity_finish(request, public_id):
    activity = staff_activity(request, public_id)
    if call_with_message(
        request, services.activity_finish, actor=request.user, activity=activity
    ).ok:
        messages.success(request, _("The activity is marked as over."))
    return _back(activity)


@staff_only
@require_POST
def registration_cancel(request, public_id, registration_id):
    activity = staff_activity(request, public_id)
    registration = staff_selectors.registration_for_staff(
        request.user, registration_id, activity=activity
    )
    cancelled = call_with_message(
        request, services.registration_cancel, actor=request.user, registration=registration
    )
    if cancelled.ok:
        messages.success(
            request,
            _("The sign-up of %(name)s is cancelled; a place held goes to the next in line.")
            % {"name": masked_name(registration.person)},
        )
    return _back(activity)


@staff_only
@require_POST
def walk_in(request, public_id):
    activity = staff_activity(request, public_id)
    form = WalkInForm(request.POST, sessions=activity.sessions.all())
    if form.is_valid():
        done = call_for_form(
            form,
            services.walk_in_register,
            actor=request.user,
            session=session_of(activity, form.cleaned_data["session"]),
            mobile=form.cleaned_data["mobile"],
            name=form.cleaned_data["name"],
            consent=form.cleaned_data["consent"],
        )
        if done.ok:
            entry, _created = done.value
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
