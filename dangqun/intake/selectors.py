"""Reads of one-stop intake: the public catalogue, a person's own requests, the requests
staff may see (scoped in people/access.py), queues, due-soon and overdue lists."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.people import access
from dangqun.people.models import StaffRole
from dangqun.places import selectors as places
from dangqun.places.models import Region, ServiceCenter
from dangqun.workdays.selectors import deadline_after

from .models import (
    OPEN_STATUSES,
    Attachment,
    FollowUp,
    RequestEvent,
    ServiceField,
    ServiceItem,
    ServiceRequest,
    Status,
)

# The regions that may offer an item in every center inside them.
OWNER_LEVELS = (Region.Level.DISTRICT, Region.Level.STREET, Region.Level.TOWN)


def ancestor_paths(path: str) -> list[str]:
    ids = [part for part in path.split("/") if part]
    return ["/" + "/".join(ids[: n + 1]) + "/" for n in range(len(ids))]


def _with_fields(items: QuerySet) -> QuerySet:
    return items.prefetch_related(
        Prefetch("fields", queryset=ServiceField.objects.order_by("order", "id"))
    )


def items_offered(*, center: ServiceCenter | None = None) -> QuerySet:
    """The public catalogue: active items, with their fields. For a center: its own items
    and those of the street and district it lies in (inherited)."""
    items = ServiceItem.objects.filter(is_active=True).select_related(
        "center", "region", "partner", "sub_brand"
    )
    if center is not None:
        items = items.filter(
            Q(center=center) | Q(region__path__in=ancestor_paths(center.region.path))
        )
    return _with_fields(items).order_by("kind", "order", "id")


def item_offered(*, code: str, center: ServiceCenter | None = None) -> ServiceItem:
    item = items_offered(center=center).filter(code=str(code)[:60]).first()
    if item is None:
        raise NotFound(_("No such service."))
    return item


def items_for_staff(user) -> QuerySet:
    return _with_fields(
        access.scope(
            user,
            ServiceItem.objects.select_related(
                "center", "region", "owner_region", "partner", "sub_brand"
            ),
        )
    ).order_by("kind", "order", "id")


def item_request_count(item: ServiceItem) -> int:
    """How many requests were made for the item (they keep what they were given)."""
    return ServiceRequest.objects.filter(item=item).count()


def owner_regions_for_staff(user) -> QuerySet:
    """The district, streets and towns this user administers: they may offer an item in
    every center inside."""
    return access.scope(
        user, Region.objects.filter(level__in=OWNER_LEVELS), roles=access.ADMINS
    ).order_by("path")


def owner_region_for_staff(user, *, pk) -> Region:
    return access.get_or_404(
        user, Region.objects.filter(level__in=OWNER_LEVELS), roles=access.ADMINS, pk=pk
    )


def handling_center(item: ServiceItem, center: ServiceCenter | None) -> ServiceCenter:
    """The center that handles a request for the item: the item's own, or for an item of a
    street or the district the named center inside that region, else the first integrated
    center of the region."""
    if item.center_id is not None:
        if center is not None and center.pk != item.center_id:
            raise ValidationFailed(_("That center does not offer this service."), field="center")
        return item.center
    if center is not None:
        if not center.region.path.startswith(item.region.path):
            raise ValidationFailed(_("That center does not offer this service."), field="center")
        return center
    found = (
        ServiceCenter.objects.filter(region__path__startswith=item.region.path)
        .select_related("region")
        .order_by("region__path", "-is_integrated", "id")
        .first()
    )
    if found is None:
        raise ValidationFailed(_("No center offers this service yet."), field="item")
    return found


def _detail(requests: QuerySet) -> QuerySet:
    return requests.select_related("item", "center__region", "person", "rating", "location_region")


def requests_of(person) -> QuerySet:
    return _detail(ServiceRequest.objects.filter(person=person)).order_by("-submitted_at", "-id")


def request_of(person, *, number: str) -> ServiceRequest:
    """One's own request by its number; someone else's is NotFound, like a missing one."""
    request = (
        _detail(ServiceRequest.objects.filter(person=person, number=str(number)[:20]))
        .prefetch_related("attachments")
        .first()
    )
    if request is None:
        raise NotFound()
    return request


def requests_visible_to(user) -> QuerySet:
    """The requests this member of staff may see: a street's staff their street's, a
    center's staff their center's (people/access.py)."""
    return _detail(access.scope(user, ServiceRequest.objects.all())).order_by(
        "-submitted_at", "-id"
    )


def request_for_staff(user, *, number: str) -> ServiceRequest:
    try:
        return access.get_or_404(
            user,
            _detail(ServiceRequest.objects.all()).prefetch_related("attachments"),
            number=str(number)[:20],
        )
    except (ValidationError, ValueError):
        raise NotFound() from None


def request_list_for_staff(
    user,
    *,
    center: ServiceCenter | None = None,
    unit: str = "",
    status: str = "",
    due: str | None = None,
    open_only: bool = True,
) -> QuerySet:
    """The requests of the staff API's list: due soon, overdue, open ones (the queue) or
    all; of one center, one unit, one status."""
    if due == "soon":
        requests = due_soon(user)
    elif due == "overdue":
        requests = overdue(user)
    elif open_only:
        requests = queue(user)
    else:
        requests = requests_visible_to(user)
    if center is not None:
        requests = requests.filter(center=center)
    if unit:
        requests = requests.filter(unit=unit)
    if status:
        requests = requests.filter(status=status)
    return requests


def attachment_for(user, *, public_id) -> Attachment:
    """A request's file, for the person who sent the request or staff who may see it;
    NotFound for anyone else."""
    found = (
        Attachment.objects.select_related("request__center__region")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise NotFound()
    if found.request.person_id != getattr(user, "pk", None) and not access.covers(
        user, found.request.center.region, roles=access.MANAGERS
    ):
        raise NotFound()
    return found


def history(request: ServiceRequest) -> QuerySet:
    return RequestEvent.objects.filter(request=request).select_related("actor").order_by("at", "id")


def units_of(user, *, center: ServiceCenter | None = None) -> list[tuple[str, int]]:
    """The units with open requests the user may see, with how many each has."""
    from django.db.models import Count

    requests = access.scope(user, ServiceRequest.objects.filter(status__in=OPEN_STATUSES))
    if center is not None:
        requests = requests.filter(center=center)
    rows = requests.values("unit").annotate(n=Count("id")).order_by("unit")
    return [(row["unit"], row["n"]) for row in rows]


def queue(user, *, center: ServiceCenter | None = None, unit: str = "", status: str = ""):
    """Open requests of a unit (or all units), the most urgent first."""
    requests = requests_visible_to(user).filter(status__in=OPEN_STATUSES)
    if center is not None:
        requests = requests.filter(center=center)
    if unit:
        requests = requests.filter(unit=unit)
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("due_date", "submitted_at", "id")


def due_soon_until(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return deadline_after(today, settings.INTAKE["DUE_SOON_WORKING_DAYS"]).date


def due_soon(user, *, today: date | None = None) -> QuerySet:
    """Open requests due today or within the next few working days."""
    today = today or timezone.localdate()
    return queue(user).filter(due_date__gte=today, due_date__lte=due_soon_until(today))


def overdue(user, *, today: date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return queue(user).filter(due_date__lt=today)


def follow_ups_for_staff(user, *, status: str = "open") -> QuerySet:
    follow_ups = access.scope(
        user, FollowUp.objects.select_related("request__item", "request__rating", "center")
    )
    if status:
        follow_ups = follow_ups.filter(status=status)
    return follow_ups.order_by("-opened_at", "-id")


def follow_up_for_staff(user, *, public_id) -> FollowUp:
    return access.get_or_404(
        user,
        FollowUp.objects.select_related("request__item", "request__rating", "center__region"),
        public_id=public_id,
    )


def waiting_counts_for_staff(user, *, today: date | None = None) -> dict[str, int]:
    """What waits for this member of staff (the back office's home): new requests not yet
    accepted, overdue ones, open follow-ups."""
    return {
        "new": queue(user, status=Status.SUBMITTED).count(),
        "overdue": overdue(user, today=today).count(),
        "follow_ups": follow_ups_for_staff(user).count(),
    }


def streets_for_staff(user) -> QuerySet:
    """The streets and towns this member of staff sees (for the figures)."""
    return access.scope(user, places.streets())


def open_requests_of(person, user) -> QuerySet:
    """For the counter page: the person's open requests that this member of staff sees."""
    return requests_visible_to(user).filter(person=person, status__in=OPEN_STATUSES)


def street_admins_for(center: ServiceCenter) -> list:
    """The street admins whose region holds the center (a street or a town above it)."""
    prefixes = ancestor_paths(center.region.path)
    roles = StaffRole.objects.filter(
        role=StaffRole.Role.STREET_ADMIN, region__path__in=prefixes
    ).select_related("person")
    seen, people = set(), []
    for role in roles:
        if role.person_id not in seen:
            seen.add(role.person_id)
            people.append(role.person)
    return people


# --- Open311 ---------------------------------------------------------------------------------
# Anyone may read the list and single requests (without free text or location: open311.py
# decides what each reader sees), so these are not scoped.


def requests_public() -> QuerySet:
    return ServiceRequest.objects.all()


def with_notes(requests: QuerySet) -> QuerySet:
    """The requests with their item, center and the events that carry a note
    (`noted_events`, oldest first)."""
    return requests.select_related("item", "center").prefetch_related(
        Prefetch(
            "events",
            queryset=RequestEvent.objects.exclude(note="").order_by("at", "id"),
            to_attr="noted_events",
        )
    )


def noted_events(request: ServiceRequest) -> list[RequestEvent]:
    noted = getattr(request, "noted_events", None)
    if noted is None:
        noted = list(RequestEvent.objects.filter(request=request).exclude(note="").order_by("at"))
    return noted


def request_by_number(number: str) -> ServiceRequest | None:
    return with_notes(ServiceRequest.objects.filter(number=str(number)[:20])).first()


def request_by_token(token: str) -> ServiceRequest | None:
    return ServiceRequest.objects.filter(token=str(token)[:32]).only("number", "token").first()


def item_exists(code: str) -> bool:
    return ServiceItem.objects.filter(code=str(code)[:60]).exists()


def requests_filed_since(actor, *, channel: str, since) -> int:
    """How many requests this person or key filed through a channel since a moment."""
    return ServiceRequest.objects.filter(
        submitted_by=actor, channel=channel, submitted_at__gte=since
    ).count()


def located_centers_inside(region: Region) -> list[ServiceCenter]:
    """The centers inside the region that have their coordinates."""
    return list(
        places.centers().filter(
            region__path__startswith=region.path,
            latitude__isnull=False,
            longitude__isnull=False,
        )
    )
