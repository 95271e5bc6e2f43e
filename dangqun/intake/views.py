"""Intake pages for residents: a center's catalogue, the request form (with attachments),
my requests, and a request's progress page where the person rates the service; and the
attachment view that serves a file only to the person who sent it and the staff who may
see the request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.core.errors import DomainError, NotFound
from dangqun.core.forms import call_with_message
from dangqun.partners import packages_read
from dangqun.places import selectors as places

from . import selectors, services
from .forms import RatingForm, RequestForm
from .models import Channel, Kind, Status
from .values import shown_value


def _center(slug):
    center = places.center_by_slug(slug)
    if center is None:
        raise Http404
    return center


def grouped_by_kind(items) -> list[tuple[str, list]]:
    groups = {kind: [] for kind in Kind.values}
    for item in items:
        groups[item.kind].append(item)
    return [(label, groups[kind]) for kind, label in Kind.choices if groups[kind]]


def index(request):
    return render(request, "intake/index.html", {"centers": places.centers()})


def catalogue(request, slug):
    center = _center(slug)
    items = list(selectors.items_offered(center=center))
    # The items of the person's service packages come first, as "for you".
    codes = packages_read.item_codes_for_person(request.user)
    for_you = sorted((i for i in items if i.code in codes), key=lambda i: codes.index(i.code))
    return render(
        request,
        "intake/catalogue.html",
        {"center": center, "groups": grouped_by_kind(items), "for_you": for_you},
    )


def _item(center, code):
    try:
        return selectors.item_offered(code=code, center=center)
    except NotFound:
        raise Http404 from None


def item_request(request, slug, code):
    center = _center(slug)
    item = _item(center, code)
    form = RequestForm(request.POST or None, request.FILES or None, item=item)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        if item.online and form.is_valid():
            try:
                created = services.request_submit(
                    actor=request.user,
                    person=request.user,
                    item=item,
                    channel=Channel.ONLINE,
                    **form.submission(),
                    center=center,
                )
            except DomainError as error:
                form.add_error_from(error)
            else:
                messages.success(
                    request,
                    _("Your request %(number)s is submitted. We send you an SMS at each step.")
                    % {"number": created.number},
                )
                return redirect("intake:progress", number=created.number)
    return render(
        request,
        "intake/item.html",
        {"center": center, "item": item, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def my_requests(request):
    return render(
        request, "intake/mine.html", {"requests": selectors.requests_of(request.user)[:200]}
    )


def shown_values(request_obj) -> list[tuple[str, str]]:
    return [
        (spec.label, shown_value(spec, request_obj.values.get(spec.code)))
        for spec in request_obj.item.fields.all()
        if spec.code in request_obj.values
    ]


def _own(request, number):
    try:
        return selectors.request_of(request.user, number=number)
    except NotFound:
        raise Http404 from None


@login_required
def progress(request, number, rating_form=None):
    own = _own(request, number)
    rating = getattr(own, "rating", None)
    return render(
        request,
        "intake/progress.html",
        {
            "req": own,
            "values": shown_values(own),
            "events": selectors.history(own),
            "rating": rating,
            "rating_form": rating_form
            or (RatingForm() if own.status == Status.RESOLVED and rating is None else None),
        },
        status=400 if rating_form is not None else 200,
    )


@login_required
@require_POST
def rate(request, number):
    own = _own(request, number)
    form = RatingForm(request.POST)
    if form.is_valid():
        if call_with_message(
            request,
            services.rating_give,
            actor=request.user,
            request=own,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        ).ok:
            messages.success(request, _("Thank you for your rating."))
        return redirect("intake:progress", number=own.number)
    return progress(request, number, rating_form=form)


@login_required
def attachment(request, public_id):
    """The file, to the person who sent the request or to staff who may see it."""
    try:
        found = selectors.attachment_for(request.user, public_id=public_id)
    except NotFound:
        raise Http404 from None
    response = FileResponse(
        found.file.open("rb"),
        content_type=found.content_type,
        as_attachment=found.extension == "pdf",
        filename=found.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
