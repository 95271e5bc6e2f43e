"""Back-office pages of space booking: the list with approve, reject and cancel; the
printable day sheet of a center; the Excel export; booking rules; closed dates.
Reads go through bookings.selectors and people/access.py, writes through
bookings.services; a booking, space or center outside the user's regions is a 404."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dangqun.core.forms import call_for_form, call_with_message
from dangqun.core.redirects import safe_next
from dangqun.people import access
from dangqun.people.decorators import staff_required
from dangqun.places import selectors as places

from . import rules, selectors, services
from .forms import day_or_today
from .models import BookingRule
from .staff_forms import BookingFilterForm, CancelForm, ClosedDateForm, RejectForm, RuleForm

PER_PAGE = 50
FILTERS = ("center", "space", "status", "date_from", "date_to")

# Bookings are run by district, street and center staff; partners see none.


def _filter_form(request) -> BookingFilterForm:
    data = request.GET
    if not any(name in data for name in FILTERS):
        # A first visit shows what is coming, from today on.
        data = {"date_from": timezone.localdate().isoformat()}
    return BookingFilterForm(
        data,
        centers=access.centers_for_staff(request.user),
        spaces=selectors.bookable_spaces_for_staff(request.user),
    )


def _query(form: BookingFilterForm) -> str:
    """The filters as a query string, for the pager, the export and the day sheet."""
    query = QueryDict(mutable=True)
    for name in FILTERS:
        value = form.data.get(name)
        if value:
            query[name] = value
    return query.urlencode()


def _next(request) -> str:
    """Where to return after an action: the list as it was, if "next" is one of its
    addresses; otherwise the plain list."""
    list_url = reverse("staff_bookings:list")
    return safe_next(request, list_url, within=list_url)


def _back(request):
    return redirect(_next(request))


@staff_required(roles=access.MANAGERS)
def booking_list(request):
    form = _filter_form(request)
    page = None
    if form.is_valid():
        bookings = selectors.bookings_for_staff(request.user, **form.filters())
        page = Paginator(bookings, PER_PAGE).get_page(request.GET.get("page"))
    query = _query(form)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "here": request.get_full_path(),
        "now": timezone.now(),
    }
    template = "bookings/staff_list_rows.html" if request.htmx else "bookings/staff_list.html"
    return render(request, template, context)


@staff_required(roles=access.MANAGERS)
@require_POST
def booking_approve(request, public_id):
    booking = selectors.booking_for_staff(request.user, public_id=public_id)
    if call_with_message(request, services.booking_approve, actor=request.user, booking=booking).ok:
        messages.success(request, _("The booking is approved. The booker gets a text message."))
    return _back(request)


@staff_required(roles=access.MANAGERS)
def booking_reject(request, public_id):
    """A page of its own, so a missing reason is shown beside the field."""
    booking = selectors.booking_for_staff(request.user, public_id=public_id)
    form = RejectForm(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_for_form(
            form,
            services.booking_reject,
            actor=request.user,
            booking=booking,
            reason=form.cleaned_data["reason"],
        ).ok
    ):
        messages.success(request, _("The booking is rejected. The booker gets a text message."))
        return _back(request)
    return render(
        request,
        "bookings/staff_reject.html",
        {"booking": booking, "form": form, "next": _next(request)},
    )


@staff_required(roles=access.MANAGERS)
@require_POST
def booking_cancel(request, public_id):
    booking = selectors.booking_for_staff(request.user, public_id=public_id)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if call_with_message(
        request, services.booking_cancel, actor=request.user, booking=booking, reason=reason
    ).ok:
        messages.success(request, _("The booking is cancelled. The booker gets a text message."))
    return _back(request)


def _day(value) -> date:
    return day_or_today(value)


@staff_required(roles=access.MANAGERS)
def day_sheet(request):
    """One center, one day: every space's bookings in time order, to print and sign."""
    day = _day(request.GET.get("date"))
    if not request.GET.get("center"):
        return render(
            request,
            "bookings/staff_day_pick.html",
            {"centers": access.centers_for_staff(request.user), "day": day},
        )
    center = access.center_for_staff(request.user, slug=request.GET["center"])
    by_space: dict[int, list] = {}
    for booking in selectors.active_bookings_for_staff(request.user, center=center, day=day):
        by_space.setdefault(booking.space_id, []).append(booking)
    spaces = [
        (space, by_space.get(space.pk, []))
        for space in places.spaces_of(center).order_by("id")
        if space.is_bookable or space.pk in by_space
    ]
    closed = selectors.closed_date(center, day=day)
    return render(
        request,
        "bookings/staff_day.html",
        {
            "center": center,
            "day": day,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "spaces": spaces,
            "count": sum(len(b) for b in by_space.values()),
            "closed": closed,
            "printed_at": timezone.localtime(),
        },
    )


@staff_required(roles=access.MANAGERS)
def export(request):
    """The list's bookings as an .xlsx file; who exported which filter is audited."""
    form = _filter_form(request)
    if not form.is_valid():
        context = {"form": form, "page": None, "query": "", "here": "", "now": timezone.now()}
        return render(request, "bookings/staff_list.html", context, status=400)
    described = form.described()
    content = services.bookings_export(
        actor=request.user, filters=form.filters(), described=described
    )
    parts = ["bookings", described["center"] or "all", described["date_from"], described["date_to"]]
    name = "-".join(part for part in parts if part)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@staff_required(roles=access.MANAGERS)
def settings_index(request):
    """Where the rules and closed dates of my centers' spaces are kept."""
    may_edit_kinds = services.may_edit_kind_rules(request.user)
    return render(
        request,
        "bookings/staff_settings.html",
        {
            "centers": selectors.centers_with_bookable_spaces(request.user),
            "kinds": places.space_kinds() if may_edit_kinds else [],
            "today": timezone.localdate(),
        },
    )


def _rule_source(rule: BookingRule) -> str:
    if rule.space_id:
        return _("This space's own rule.")
    if rule.kind_id:
        return _("The default rule of its kind of space.")
    return _("The built-in default rule.")


def _rule_form(request, rule: BookingRule) -> RuleForm:
    """What was posted, or the values of the rule in force now to start from."""
    return RuleForm(
        request.POST if request.method == "POST" else None, initial=RuleForm.initial_from(rule)
    )


@staff_required(roles=access.MANAGERS)
def space_rule(request, space_id):
    space = access.space_for_staff(request.user, pk=space_id)
    rule = rules.rule_for(space)
    form = _rule_form(request, rule)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_for_form(
            form,
            services.booking_rule_save,
            actor=request.user,
            space=space,
            data=form.cleaned_data,
        ).ok
    ):
        messages.success(request, _("The booking rule of this space is saved."))
        return redirect("staff_bookings:space_rule", space_id=space.pk)
    return render(
        request,
        "bookings/staff_rule.html",
        {
            "space": space,
            "rule": rule,
            "source": _rule_source(rule),
            "form": form,
            "may_edit_kind": services.may_edit_kind_rules(request.user),
        },
    )


@staff_required(roles=access.MANAGERS)
@require_POST
def space_rule_reset(request, space_id):
    space = access.space_for_staff(request.user, pk=space_id)
    services.booking_rule_reset(actor=request.user, space=space)
    messages.success(request, _("This space follows the default rule of its kind again."))
    return redirect("staff_bookings:space_rule", space_id=space.pk)


@staff_required(roles=access.MANAGERS)
def kind_rule(request, code):
    kind = selectors.kind_by_code(code)
    if kind is None or not services.may_edit_kind_rules(request.user):
        raise Http404
    rule = rules.rule_for_kind(kind)
    form = _rule_form(request, rule)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_for_form(
            form,
            services.booking_kind_rule_save,
            actor=request.user,
            kind=kind,
            data=form.cleaned_data,
        ).ok
    ):
        messages.success(request, _("The default booking rule of this kind is saved."))
        return redirect("staff_bookings:kind_rule", code=kind.code)
    return render(
        request,
        "bookings/staff_rule.html",
        {"kind": kind, "rule": rule, "source": _rule_source(rule), "form": form},
    )


@staff_required(roles=access.MANAGERS)
def closed_dates(request, slug):
    center = access.center_for_staff(request.user, slug=slug)
    form = ClosedDateForm(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_for_form(
            form,
            services.closed_date_add,
            actor=request.user,
            center=center,
            date=form.cleaned_data["date"],
            reason=form.cleaned_data["reason"],
        ).ok
    ):
        day = form.cleaned_data["date"]
        messages.success(request, _("The center is closed on %(day)s.") % {"day": day})
        _warn_of_bookings(request, center, day)
        return redirect("staff_bookings:closed_dates", slug=center.slug)
    return render(
        request,
        "bookings/staff_closed.html",
        {
            "center": center,
            "form": form,
            "dates": selectors.closed_dates_from(center, timezone.localdate()),
        },
    )


def _warn_of_bookings(request, center, day) -> None:
    """Closing a day does not cancel its bookings; say so, and how many there are."""
    count = selectors.active_bookings_for_staff(request.user, center=center, day=day).count()
    if count:
        messages.warning(
            request,
            ngettext(
                "%(n)d booking on this day is still active. Cancel it or agree with the booker.",
                "%(n)d bookings on this day are still active. Cancel them or agree with the "
                "bookers.",
                count,
            )
            % {"n": count},
        )


@staff_required(roles=access.MANAGERS)
@require_POST
def closed_date_remove(request, slug, closed_id):
    center = access.center_for_staff(request.user, slug=slug)
    closed = selectors.closed_date(center, pk=closed_id)
    if closed is None:
        raise Http404
    if call_with_message(
        request, services.closed_date_remove, actor=request.user, closed=closed
    ).ok:
        messages.success(request, _("The center opens on %(day)s again.") % {"day": closed.date})
    return redirect("staff_bookings:closed_dates", slug=center.slug)
