"""Writes of one-stop intake: submitting a request (online, at the counter on someone's
behalf, or through Open311), the workflow (accept, start, resolve, reject, transfer) with
its append-only history, ratings (好差评), the follow-ups a poor rating opens and the
audited look-up of a person at the counter. The catalogue's writes (catalogue.py) and the
one-time overdue notice to the street admin (overdue.py) are re-exported from here."""

import contextlib
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangqun.core import audit, geo, sms
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.text import clean_text
from dangqun.people import access
from dangqun.people import selectors as people
from dangqun.places import selectors as places
from dangqun.workdays.selectors import deadline_after

from . import attachments as files
from . import selectors, tasks

# The catalogue's writes live in catalogue.py, the overdue notice in overdue.py; the pages,
# the API and the commands call them from here.
from .catalogue import (  # noqa: F401
    item_centers,
    item_create,
    item_for_edit,
    item_set_active,
    item_update,
    may_edit_item,
)
from .errors import AlreadyRated, IllegalTransition
from .models import (
    Attachment,
    Channel,
    FollowUp,
    NumberCounter,
    Rating,
    RequestEvent,
    ServiceItem,
    ServiceRequest,
    Status,
    attachment_storage,
)
from .overdue import overdue_sweep, request_notify_overdue  # noqa: F401
from .values import clean_values

if TYPE_CHECKING:
    from dangqun.people.models import Person
    from dangqun.places.models import ServiceCenter

Action = RequestEvent.Action
MAX_DESCRIPTION = 2000
MAX_NOTE = 1000

# --- submitting -----------------------------------------------------------------------------


def _next_number(day: date) -> str:
    """YH-20261129-0001: one counter row per day, raised by one UPDATE (safe under any
    number of concurrent submissions)."""
    if not NumberCounter.objects.filter(day=day).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                NumberCounter.objects.create(day=day, last=1)
        except IntegrityError:  # another submission created the row first
            NumberCounter.objects.filter(day=day).update(last=F("last") + 1)
    last = NumberCounter.objects.get(day=day).last
    return f"{settings.INTAKE['NUMBER_PREFIX']}-{day:%Y%m%d}-{last:04d}"


LOCATION_LEVELS = ("village", "community")


def location_regions():
    """The villages and communities a person may name as a request's place."""
    return places.regions().filter(level__in=LOCATION_LEVELS).select_related("parent")


def _clean_region(value):
    if value in (None, ""):
        return None
    try:
        pk = int(str(value).strip())
    except (TypeError, ValueError, OverflowError):
        pk = None
    region = location_regions().filter(pk=pk).first() if pk and 0 < pk < 2**63 else None
    if region is None:
        raise ValidationFailed(_("Choose a village or community from the list."), field="region")
    return region


def _clean_location(item: ServiceItem, lat, lng, region=None, address: str = "") -> tuple:
    """(lat, lng, region): a point (GPS, both numbers), a village or community, an address,
    or any of them together; where the item needs a location, at least one of the three."""
    region = _clean_region(region)
    if lat in (None, "") and lng in (None, ""):
        if item.location_required and region is None and not address:
            raise ValidationFailed(
                _(
                    "This service needs a location: choose the place on the map, your village "
                    "or community, or write the address."
                ),
                field="location",
            )
        return None, None, region
    if lat in (None, "") or lng in (None, ""):
        raise ValidationFailed(
            _("Give the location as latitude and longitude."), field="lng" if lat else "lat"
        )
    lat = geo.parse_coordinate(lat, kind="latitude", field="lat")
    lng = geo.parse_coordinate(lng, kind="longitude", field="lng")
    # The place of a request is in the district (or at least in China).
    geo.check_in_area(lat, lng, field="lat", lng_field="lng")
    return lat, lng, region


def _event(request, action, *, actor, note: str = "", **data) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request, action=action, status=request.status, actor=actor, note=note, data=data
    )


def _may_act_for(actor, person, center: "ServiceCenter") -> bool:
    return actor == person or access.covers(actor, center.region, roles=access.MANAGERS)


def request_submit(**kwargs) -> ServiceRequest:
    """A request for `item`, by `person`; `actor` is the person, or staff at the counter
    submitting on the person's behalf (代办). The item's own center handles it; an item of
    a street or the district is handled by `center` (one inside that region), or, when no
    center is named, by the center of the item's region. Filed at the counter, it is
    accepted (受理) there and then by the same member of staff.

    Nothing half-saved: the attachment files are written last, once everything is checked
    and stored, and if anything fails after a file was written (the disk is full, the
    transaction does not commit) the files written so far are removed again."""
    written: list[str] = []
    try:
        return _request_submit(written=written, **kwargs)
    except BaseException:
        _remove_files(written)
        raise


def _remove_files(names: list[str]) -> None:
    storage = attachment_storage()
    for name in names:
        with contextlib.suppress(OSError):  # already gone, or the disk is gone
            storage.delete(name)


@transaction.atomic
def _request_submit(
    *,
    written: list[str],
    actor,
    person,
    item: ServiceItem,
    channel: str,
    values: dict,
    description: str,
    lat=None,
    lng=None,
    address: str = "",
    region=None,
    attachments=(),
    center: "ServiceCenter | None" = None,
) -> ServiceRequest:
    center = selectors.handling_center(item, center)
    if channel not in Channel.values:
        raise ValidationFailed(_("Unknown channel."), field="channel")
    if channel == Channel.COUNTER:
        if not access.covers(actor, center.region, roles=access.MANAGERS):
            raise NotFound()
        if not item.counter:
            raise ValidationFailed(_("This service is not taken at the counter."), field="item")
    elif not item.online:
        raise ValidationFailed(_("This service is requested at the counter only."), field="item")
    if not _may_act_for(actor, person, center):
        raise NotFound()
    if not item.is_active:
        raise ValidationFailed(_("This service is not offered now."), field="item")
    cleaned = clean_values(item, values)
    description = clean_text(
        description, field="description", max_length=MAX_DESCRIPTION, multiline=True
    )
    address = clean_text(address, field="address", max_length=200)
    lat, lng, region = _clean_location(item, lat, lng, region, address)
    uploads = files.checked_attachments(attachments)
    today = timezone.localdate()
    due = deadline_after(today, item.time_limit_days)
    request = ServiceRequest.objects.create(
        number=_next_number(today),
        item=item,
        person=person,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        center=center,
        unit=item.unit,
        channel=channel,
        description=description,
        values=cleaned,
        lat=lat,
        lng=lng,
        address=address,
        location_region=region,
        due_date=due.date,
        due_estimated=due.estimated,
    )
    on_behalf = getattr(actor, "pk", None) != person.pk
    _event(request, Action.SUBMITTED, actor=request.submitted_by, channel=channel)
    if on_behalf:
        audit.record(actor, "intake.request_submit", request, {"for": str(person.public_id)})
    if channel == Channel.COUNTER:
        # Filed at the counter is accepted (受理) there and then, by the same member of
        # staff: both steps in the history, one text message.
        _accept_at_counter(actor, request)
    sms.tell(
        person,
        gettext_lazy(
            "[Party-Mass Service] Your request %(number)s (%(item)s) was received and "
            "accepted by %(unit)s. Promised by %(due)s."
        )
        if channel == Channel.COUNTER
        else gettext_lazy(
            "[Party-Mass Service] Your request %(number)s (%(item)s) was received. "
            "Promised by %(due)s."
        ),
        number=request.number,
        item=item.name,
        unit=request.unit,
        due=f"{request.due_date:%Y-%m-%d}",
    )
    transaction.on_commit(lambda: tasks.schedule_overdue_check(request.pk))
    # The files last: everything else is checked and stored by now.
    for upload, extension, content_type in uploads:
        attachment = Attachment(
            request=request,
            original_name=files.safe_name(getattr(upload, "name", "")),
            content_type=content_type,
            extension=extension,
            size=upload.size,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        upload.seek(0)
        # Named before writing, so that a write that fails half-way is removed too (the
        # name is the attachment's own random id: the storage keeps it as it is).
        written.append(attachment.file.field.generate_filename(attachment, "upload"))
        attachment.file.save("upload", upload, save=False)
        written[-1] = attachment.file.name
        attachment.save()
    return request


def _accept_at_counter(actor, request: ServiceRequest) -> None:
    request.status = Status.ACCEPTED
    request.accepted_at = timezone.now()
    request.save(update_fields=["status", "accepted_at", "updated_at"])
    _event(request, Action.ACCEPTED, actor=actor, channel=Channel.COUNTER)
    audit.record(actor, "intake.request_accepted", request, {"channel": Channel.COUNTER})


# --- the workflow ---------------------------------------------------------------------------

# status -> the steps that may follow it
ALLOWED = {
    Status.SUBMITTED: {Action.ACCEPTED, Action.REJECTED, Action.TRANSFERRED},
    Status.ACCEPTED: {Action.STARTED, Action.RESOLVED, Action.REJECTED, Action.TRANSFERRED},
    Status.IN_PROGRESS: {Action.RESOLVED, Action.REJECTED, Action.TRANSFERRED},
    Status.RESOLVED: set(),
    Status.REJECTED: set(),
}


def allowed_steps(request: ServiceRequest) -> set:
    return ALLOWED.get(request.status, set())


def _lock_for_step(actor, request: ServiceRequest, action) -> ServiceRequest:
    """The request, locked, once the actor may run it and the step may follow its status."""
    if not access.covers(actor, request.center.region, roles=access.MANAGERS):
        raise NotFound()
    locked = (
        ServiceRequest.objects.select_for_update()
        .select_related("person", "item", "center__region")
        .get(pk=request.pk)
    )
    if action not in allowed_steps(locked):
        raise IllegalTransition(
            _("A request that is “%(status)s” cannot be %(step)s.")
            % {
                "status": locked.get_status_display(),
                "step": str(Action(action).label).lower(),
            },
            field="status",
        )
    return locked


def _move(actor, request, action, status, *, note="", message=None, **extra) -> ServiceRequest:
    request.status = status
    now = timezone.now()
    if status == Status.ACCEPTED and request.accepted_at is None:
        request.accepted_at = now
    if status in (Status.RESOLVED, Status.REJECTED):
        request.closed_at = now
    request.save()
    _event(request, action, actor=actor, note=note, **extra)
    audit.record(actor, f"intake.request_{action}", request, {"note": note[:200], **extra})
    if message is not None:
        sms.tell(
            request.person,
            message,
            number=request.number,
            item=request.item.name,
            unit=request.unit,
            center=request.center.name,
            note=note,
        )
    return request


@transaction.atomic
def request_accept(*, actor, request: ServiceRequest, note: str = "") -> ServiceRequest:
    request = _lock_for_step(actor, request, Action.ACCEPTED)
    return _move(
        actor,
        request,
        Action.ACCEPTED,
        Status.ACCEPTED,
        note=clean_text(note, field="note", max_length=MAX_NOTE, multiline=True),
        message=gettext_lazy(
            "[Party-Mass Service] Your request %(number)s was accepted by %(unit)s."
        ),
    )


@transaction.atomic
def request_start(*, actor, request: ServiceRequest, note: str = "") -> ServiceRequest:
    request = _lock_for_step(actor, request, Action.STARTED)
    return _move(
        actor,
        request,
        Action.STARTED,
        Status.IN_PROGRESS,
        note=clean_text(note, field="note", max_length=MAX_NOTE, multiline=True),
        message=gettext_lazy("[Party-Mass Service] Work on your request %(number)s has begun."),
    )


@transaction.atomic
def request_resolve(*, actor, request: ServiceRequest, note: str = "") -> ServiceRequest:
    request = _lock_for_step(actor, request, Action.RESOLVED)
    note = clean_text(note, field="note", max_length=MAX_NOTE, multiline=True)
    request.resolution = note
    return _move(
        actor,
        request,
        Action.RESOLVED,
        Status.RESOLVED,
        note=note,
        message=gettext_lazy(
            "[Party-Mass Service] Your request %(number)s is resolved. Please rate the "
            "service on its page."
        ),
    )


@transaction.atomic
def request_reject(*, actor, request: ServiceRequest, reason: str) -> ServiceRequest:
    reason = clean_text(
        reason,
        field="reason",
        max_length=MAX_NOTE,
        required=True,
        message=_("Give the reason for the rejection."),
        multiline=True,
    )
    request = _lock_for_step(actor, request, Action.REJECTED)
    request.reject_reason = reason
    return _move(
        actor,
        request,
        Action.REJECTED,
        Status.REJECTED,
        note=reason,
        message=gettext_lazy(
            "[Party-Mass Service] Your request %(number)s was not accepted: %(note)s"
        ),
    )


@transaction.atomic
def request_transfer(
    *,
    actor,
    request: ServiceRequest,
    unit: str = "",
    center: "ServiceCenter | None" = None,
    note: str = "",
) -> ServiceRequest:
    """Pass the request to another unit of the same center, or to another center that
    offers the same service; it waits there to be accepted again. The deadline stands."""
    unit = clean_text(unit, field="unit", max_length=80)
    note = clean_text(note, field="note", max_length=MAX_NOTE, multiline=True)
    request = _lock_for_step(actor, request, Action.TRANSFERRED)
    target = center or request.center
    if (
        target.pk != request.center_id
        and not selectors.items_offered(center=target).filter(pk=request.item_id).exists()
    ):
        raise ValidationFailed(_("That center does not offer this service."), field="center")
    unit = unit or (request.unit if target.pk == request.center_id else request.item.unit)
    if target.pk == request.center_id and unit == request.unit:
        raise ValidationFailed(
            _("Name another unit or another center to pass it to."), field="unit"
        )
    before = {"center": request.center.slug, "unit": request.unit}
    request.center, request.unit = target, unit
    return _move(
        actor,
        request,
        Action.TRANSFERRED,
        Status.SUBMITTED,
        note=note,
        message=gettext_lazy(
            "[Party-Mass Service] Your request %(number)s was passed to %(unit)s, %(center)s."
        ),
        **{"from": before, "to": {"center": target.slug, "unit": unit}},
    )


STEPS = {
    "accept": request_accept,
    "start": request_start,
    "resolve": request_resolve,
    "reject": request_reject,
    "transfer": request_transfer,
}
STEP_ACTIONS = {
    "accept": Action.ACCEPTED,
    "start": Action.STARTED,
    "resolve": Action.RESOLVED,
    "reject": Action.REJECTED,
    "transfer": Action.TRANSFERRED,
}


def allowed_step_names(request: ServiceRequest) -> list[str]:
    """The steps (by their names in STEPS) that may follow the request's status now."""
    allowed = allowed_steps(request)
    return [name for name, action in STEP_ACTIONS.items() if action in allowed]


# --- ratings and follow-ups -----------------------------------------------------------------


@transaction.atomic
def rating_give(*, actor, request: ServiceRequest, score, comment: str = "") -> Rating:
    """好差评 by the person served, once, after resolution. A poor rating (1 or 2) opens a
    follow-up task for the center."""
    if request.person_id != getattr(actor, "pk", None):
        raise NotFound()
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != Status.RESOLVED:
        raise IllegalTransition(_("A request can be rated once it is resolved."), field="score")
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationFailed(_("Rate from 1 to 5."), field="score")
    comment = clean_text(comment, field="comment", max_length=MAX_NOTE, multiline=True)
    if Rating.objects.filter(request=request).exists():
        raise AlreadyRated()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(request=request, score=score, comment=comment)
    except IntegrityError:
        raise AlreadyRated() from None
    _event(request, Action.RATED, actor=actor, note=comment, score=score)
    if rating.is_poor:
        FollowUp.objects.create(request=request, center=request.center)
    return rating


@transaction.atomic
def follow_up_close(*, actor, follow_up: FollowUp, note: str) -> FollowUp:
    if not access.covers(actor, follow_up.center.region, roles=access.MANAGERS):
        raise NotFound()
    note = clean_text(
        note,
        field="note",
        max_length=MAX_NOTE,
        required=True,
        message=_("Say what was done."),
        multiline=True,
    )
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.status != FollowUp.Status.OPEN:
        raise IllegalTransition(_("This follow-up is closed already."), field="note")
    follow_up.status = FollowUp.Status.DONE
    follow_up.done_at = timezone.now()
    follow_up.done_by = actor
    follow_up.note = note
    follow_up.save()
    audit.record(actor, "intake.follow_up_close", follow_up, {"request": follow_up.request_id})
    return follow_up


# --- the counter ----------------------------------------------------------------------------


def counter_lookup(*, actor, mobile: str) -> "Person":
    """The person who gives their full mobile number at the counter (the look-up is
    audited); a clear error on the field when nobody signed up with it."""
    person = people.signed_up_person(mobile, field="mobile")
    audit.record(actor, "intake.counter_lookup", person, {})
    return person
