"""Back-office pages of one-stop intake: the queue per unit, a request with its workflow
steps and history, due-soon and overdue lists, the counter (a person at the counter: their
open requests, bookings and sign-ups, and a request on their behalf), follow-ups of poor
ratings and the figures. Reads through selectors (scoped in people/access.py), writes
through the services; what lies outside the user's regions is a 404."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangqun.core import codes
from dangqun.core.errors import DomainError
from dangqun.core.forms import call_for_form, call_with_message
from dangqun.people import access, identity
from dangqun.people import counter as people_counter
from dangqun.people import selectors as people
from dangqun.people.decorators import staff_required

from . import counter, figures, selectors, services
from .forms import (
    CounterRegisterForm,
    FollowUpForm,
    PeriodForm,
    RejectForm,
    RequestForm,
    StepForm,
    TransferForm,
)
from .models import OPEN_STATUSES, Channel, Status
from .views import grouped_by_kind, shown_values

LIST_LIMIT = 200


def _centers(request):
    return access.centers_for_staff(request.user).order_by("region__path", "name")


@staff_required(roles=access.MANAGERS)
def queue(request):
    centers = list(_centers(request))
    center = next((c for c in centers if c.slug == request.GET.get("center")), None)
    unit = request.GET.get("unit", "")[:80]
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    requests = selectors.queue(request.user, center=center, unit=unit, status=status)
    return render(
        request,
        "intake/staff_queue.html",
        {
            "centers": centers,
            "center": center,
            "unit": unit,
            "status": status,
            "statuses": [(s, label) for s, label in Status.choices if s in OPEN_STATUSES],
            "units": selectors.units_of(request.user, center=center),
            "requests": requests[:LIST_LIMIT],
            "today": timezone.localdate(),
        },
    )


@staff_required(roles=access.MANAGERS)
def due(request):
    today = timezone.localdate()
    return render(
        request,
        "intake/staff_due.html",
        {
            "overdue": selectors.overdue(request.user, today=today)[:LIST_LIMIT],
            "due_soon": selectors.due_soon(request.user, today=today)[:LIST_LIMIT],
            "until": selectors.due_soon_until(today),
            "today": today,
        },
    )


def _detail(request, number, forms=None, status=200):
    found = selectors.request_for_staff(request.user, number=number)
    steps = {str(s) for s in services.allowed_steps(found)}
    forms = forms or {}
    other_centers = [c for c in _centers(request) if c.pk != found.center_id]
    return render(
        request,
        "intake/staff_detail.html",
        {
            "req": found,
            "values": shown_values(found),
            "events": selectors.history(found),
            "steps": steps,
            "step_form": forms.get("step") or StepForm(),
            "reject_form": forms.get("reject") or RejectForm(),
            "transfer_form": forms.get("transfer") or TransferForm(centers=other_centers),
            "today": timezone.localdate(),
        },
        status=status,
    )


@staff_required(roles=access.MANAGERS)
def detail(request, number):
    return _detail(request, number)


STEP_MESSAGES = {
    "accept": gettext_lazy("Accepted. The person gets a text message."),
    "start": gettext_lazy("Marked as in progress. The person gets a text message."),
    "resolve": gettext_lazy("Resolved. The person gets a text message and can rate the service."),
    "reject": gettext_lazy("Rejected. The person gets a text message with the reason."),
    "transfer": gettext_lazy("Passed on. The person gets a text message."),
}


@staff_required(roles=access.MANAGERS)
@require_POST
def step(request, number, step):
    if step not in services.STEPS:
        raise Http404
    found = selectors.request_for_staff(request.user, number=number)
    if step == "reject":
        form, key = RejectForm(request.POST), "reject"
    elif step == "transfer":
        centers = [c for c in _centers(request) if c.pk != found.center_id]
        form, key = TransferForm(request.POST, centers=centers), "transfer"
    else:
        form, key = StepForm(request.POST), "step"
    if form.is_valid():
        data = dict(form.cleaned_data)
        if step == "transfer":
            slug = data.pop("center")
            data["center"] = next((c for c in centers if c.slug == slug), None)
        outcome = call_for_form(
            form, services.STEPS[step], actor=request.user, request=found, **data
        )
        if outcome.ok:
            messages.success(request, str(STEP_MESSAGES[step]))
            if step == "transfer" and not access.covers(
                request.user, found.center.region, roles=access.MANAGERS
            ):
                return redirect("staff_intake:queue")
            return redirect("staff_intake:detail", number=number)
        if outcome.error.field not in form.fields:  # e.g. a step the status no longer allows
            messages.error(request, str(outcome.error.message))
            return redirect("staff_intake:detail", number=number)
    return _detail(request, number, forms={key: form}, status=400)


# --- the counter ----------------------------------------------------------------------------


def _find_page(request, query: str, register_form=None, status=200):
    found = list(people.persons_for_staff(request.user, query=query)[:30]) if query else []
    by_mobile = people.person_by_mobile(query) if query else None
    if by_mobile is not None and by_mobile not in found:
        people_counter.remember(request, by_mobile)
        found.insert(0, by_mobile)
    if register_form is None and query and not found:
        # Nobody: register the person here, with what they typed already filled in.
        is_number = identity.mobile_digits(query).isdigit()
        register_form = CounterRegisterForm(
            initial={"mobile": query} if is_number else {"name": query}
        )
    return render(
        request,
        "intake/staff_counter_find.html",
        {
            "q": query,
            "persons": found,
            "register_form": register_form or CounterRegisterForm(),
            "register_open": register_form is not None,
        },
        status=status,
    )


@staff_required(roles=access.MANAGERS)
def counter_find(request):
    """People by name or mobile within the staff's regions; anyone by their full mobile
    number (the person is at the desk and gives it), typed as people type it."""
    return _find_page(request, request.GET.get("q", "").strip()[:50])


@staff_required(roles=access.MANAGERS)
@require_POST
def counter_register(request):
    """Someone with no account yet: staff register them (name, mobile number, the consent
    they gave on paper) and serve them at once."""
    form = CounterRegisterForm(request.POST)
    if form.is_valid():
        outcome = call_for_form(
            form,
            people_counter.person_register_at_counter,
            actor=request.user,
            where={"at": "intake.counter"},
            **form.cleaned_data,
        )
        if outcome.ok:
            person, created = outcome.value
            people_counter.remember(request, person)
            name = person.name or person.masked_mobile
            if created:
                messages.success(
                    request,
                    _("%(name)s is registered; their consent on paper is recorded.")
                    % {"name": name},
                )
            else:
                messages.info(
                    request,
                    _("This mobile number has an account already: %(name)s.") % {"name": name},
                )
            return redirect("staff_intake:counter_person", public_id=person.public_id)
    return _find_page(request, "", register_form=form, status=400)


@staff_required(roles=access.MANAGERS)
def counter_person(request, public_id):
    person = people_counter.person_at_counter(request, public_id)
    centers = list(_centers(request))
    center = next((c for c in centers if c.slug == request.GET.get("center")), None)
    center = center or (centers[0] if centers else None)
    items = selectors.items_offered(center=center).filter(counter=True) if center else []
    return render(
        request,
        "intake/staff_counter.html",
        {
            "person": person,
            "counter": counter.counter_view(request.user, person),
            "centers": centers,
            "center": center,
            "groups": grouped_by_kind(items),
            "spaces": counter.spaces_to_book(center),
            "activities": counter.activities_to_join(center, person),
        },
    )


@staff_required(roles=access.MANAGERS)
def counter_submit(request, public_id, slug, code):
    person = people_counter.person_at_counter(request, public_id)
    center = access.center_for_staff(request.user, slug=slug)
    item = selectors.item_offered(code=code, center=center)
    form = RequestForm(request.POST or None, request.FILES or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_submit(
                actor=request.user,
                person=person,
                item=item,
                channel=Channel.COUNTER,
                **form.submission(),
                center=center,
            )
        except DomainError as error:
            form.add_error_from(error)
        else:
            messages.success(
                request,
                _("Request %(number)s is filed and accepted for %(name)s.")
                % {"number": created.number, "name": person.name or person.masked_mobile},
            )
            return redirect("staff_intake:receipt", number=created.number)
    return render(
        request,
        "intake/staff_counter_form.html",
        {"person": person, "center": center, "item": item, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_required(roles=access.MANAGERS)
def receipt(request, number):
    """The receipt (回执) handed to the person: the number, the service, the due date, what
    to bring and how to follow the request."""
    found = selectors.request_for_staff(request.user, number=number)
    url = request.build_absolute_uri(reverse("intake:progress", args=[found.number]))
    return render(
        request,
        "intake/staff_receipt.html",
        {"req": found, "progress_url": url, "progress_qr": codes.qr_svg(url)},
    )


# --- follow-ups and figures -----------------------------------------------------------------


@staff_required(roles=access.MANAGERS)
def follow_ups(request):
    return render(
        request,
        "intake/staff_follow_ups.html",
        {
            "open": selectors.follow_ups_for_staff(request.user, status="open")[:LIST_LIMIT],
            "form": FollowUpForm(),
        },
    )


@staff_required(roles=access.MANAGERS)
@require_POST
def follow_up_close(request, public_id):
    follow_up = selectors.follow_up_for_staff(request.user, public_id=public_id)
    form = FollowUpForm(request.POST)
    # An empty or over-long note: the service says what it needs ("Say what was done.").
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if call_with_message(
        request, services.follow_up_close, actor=request.user, follow_up=follow_up, note=note
    ).ok:
        messages.success(request, _("The follow-up is closed."))
    return redirect("staff_intake:follow_ups")


@staff_required(roles=access.MANAGERS)
def figures_page(request):
    today = timezone.localdate()
    form = PeriodForm({"start": today - timedelta(days=29), "end": today, **request.GET.dict()})
    centers = list(_centers(request))
    streets = list(selectors.streets_for_staff(request.user))
    result, error = None, None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        center = next((c for c in centers if c.slug == request.GET.get("center")), None)
        street = next((r for r in streets if str(r.pk) == request.GET.get("street")), None)
        try:
            if street is not None:
                result = figures.street_figures(request.user, street=street, start=start, end=end)
            else:
                center = center or (centers[0] if centers else None)
                if center is not None:
                    result = figures.center_figures(
                        request.user, center=center, start=start, end=end
                    )
        except DomainError as failure:
            error = failure.message
    return render(
        request,
        "intake/staff_figures.html",
        {
            "form": form,
            "centers": centers,
            "streets": streets,
            "result": result,
            "error": error,
            "chosen_center": request.GET.get("center", ""),
            "chosen_street": request.GET.get("street", ""),
        },
        status=200 if form.is_valid() else 400,
    )
