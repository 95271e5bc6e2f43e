"""Open311 GeoReport v2 over the intake catalogue and requests: what the services, the
service definitions and the requests look like to an Open311 client, how a POSTed request
is read, checked and filed, and how the request list is filtered.

Decisions (see the README's Open311 section):
- service_code is ServiceItem.code; service_request_id is the request's number; the token
  is the request's random token.
- A request is filed through intake.services.request_submit with the channel "open311",
  for the person whose API token is the api_key, or, with a staff member's key and a
  `phone`, for that signed-up person (staff must run the handling center). Nobody is
  created: a person has to sign up and accept the privacy notice first.
- Anyone may read the request list and single requests, but without free text or location:
  description, status_notes, address and lat/long are given only to the person the request
  is for and to staff who may see it. Names and phone numbers are never given.
"""

import copy
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from dangqun.core import geo
from dangqun.core.errors import DomainError, NotFound
from dangqun.core.schemas import FIRST_MOMENT, LAST_MOMENT
from dangqun.core.text import normalise, problem
from dangqun.people import access
from dangqun.places import selectors as places

from . import selectors
from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Channel,
    ServiceField,
    ServiceItem,
    ServiceRequest,
)

if TYPE_CHECKING:
    from dangqun.people.models import Person
    from dangqun.places.models import ServiceCenter

Datatype = ServiceField.Datatype
LIST_LIMIT = 1000  # the specification's default: at most 1000 requests ...
LIST_SPAN = timedelta(days=90)  # ... from at most 90 days
MAX_IDS = 100


def config() -> dict:
    return {
        "JURISDICTION_ID": "330110",
        "POSTS_PER_KEY_PER_HOUR": 30,
        "STAFF_POSTS_PER_KEY_PER_HOUR": 300,
        **getattr(settings, "OPEN311", {}),
    }


class Open311Error(Exception):
    """An answer in the specification's error format: HTTP status and descriptions."""

    def __init__(self, status: int, *descriptions):
        self.status = status
        self.descriptions = [str(d) for d in descriptions]
        super().__init__("; ".join(self.descriptions))


# Our field names -> the Open311 parameter a client sent.
PARAMETERS = {
    "lat": "lat",
    "lng": "long",
    "address": "address_string",
    "description": "description",
    "item": "service_code",
    "center": "address_id",
    "values": "attribute",
}


# The longest value each parameter takes (the models' lengths); any other parameter (the
# specification's first_name, email, device_id, ...) is read by nobody and takes at most
# OTHER_LENGTH. Every value passes the one text rule (core.text): no lone surrogates and
# no control characters (tab and newline only in a description).
LENGTHS = {
    "api_key": 200,
    "jurisdiction_id": 20,
    "service_code": 60,
    "service_request_id": MAX_IDS * 21,
    "description": 2000,
    "address_string": 200,
    "address_id": 60,
    "phone": 20,
    "lat": 40,
    "long": 40,
    "start_date": 40,
    "end_date": 40,
    "status": 20,
}
ATTRIBUTE_LENGTH = 500  # values.MAX_TEXT
OTHER_LENGTH = 2000
MULTILINE = {"description"}


def _length(name: str) -> int:
    if name.startswith("attribute["):
        return ATTRIBUTE_LENGTH
    return LENGTHS.get(name, OTHER_LENGTH)


def check_parameters(*sources) -> None:
    """Every parameter of a request (query, form, path), checked where it enters: the text
    rule and the parameter's length; Open311Error (400) naming the first one refused."""
    for source in sources:
        items = source.lists() if hasattr(source, "lists") else source.items()
        for name, values in items:
            for value in values if isinstance(values, list) else [values]:
                _check_parameter(str(name), value)


def _check_parameter(name: str, value) -> None:
    if problem(name):
        raise Open311Error(400, f"{_shown(name)}: {problem(name)}")
    if not isinstance(value, str):
        return
    multiline = name in MULTILINE
    why = problem(normalise(value, multiline=multiline), multiline=multiline)
    if why:
        raise Open311Error(400, f"{name}: {why}")
    if len(value) > _length(name):
        raise Open311Error(400, f"{name}: " + _("At most %(n)d characters.") % {"n": _length(name)})


def _shown(name: str) -> str:
    """A parameter's name safe to send back (it may itself hold what was refused)."""
    return "".join("\ufffd" if problem(char) else char for char in name)


def from_domain(error: DomainError, attribute_codes=()) -> Open311Error:
    """A service's error, naming the Open311 parameter it is about."""
    status = {404: 404, 403: 403, 429: 429}.get(error.status, 400)
    name = error.field
    if name:
        if name in attribute_codes or name not in PARAMETERS:
            name = f"attribute[{name}]"
        else:
            name = PARAMETERS[name]
        return Open311Error(status, f"{name}: {error.message}")
    return Open311Error(status, error.message)


# --- jurisdiction and key -------------------------------------------------------------------


def check_jurisdiction(value: str | None) -> None:
    """One jurisdiction (the district): leaving it out is fine, another one is not."""
    if value not in (None, "") and value != config()["JURISDICTION_ID"]:
        raise Open311Error(404, _("jurisdiction_id: unknown jurisdiction."))


def key_person(api_key: str | None, *, required: bool) -> "Person | None":
    """The person whose API token the key is. A key that is given must be valid."""
    from dangqun.accounts.services import api_token_person

    if not api_key:
        if required:
            raise Open311Error(403, _("api_key: an API key is required."))
        return None
    person = api_token_person(str(api_key)[:200])
    if person is None:
        raise Open311Error(403, _("api_key: this key is not valid."))
    return person


# --- services ---------------------------------------------------------------------------------


def offered_items():
    """Items that can be requested from outside (online); the counter-only ones cannot."""
    return selectors.items_offered().filter(online=True)


def offered_item(code: str) -> ServiceItem:
    item = offered_items().filter(code=str(code)[:60]).first()
    if item is None:
        raise Open311Error(404, _("service_code: no such service."))
    return item


def _name(obj) -> str:
    """The Chinese name, or the English one for English readers when there is one."""
    from django.utils.translation import get_language

    english = getattr(obj, "name_en", "")
    if english and (get_language() or "").startswith("en"):
        return english
    return obj.name


def service_entry(item: ServiceItem) -> dict:
    fields = list(item.fields.all())
    return {
        "service_code": item.code,
        "service_name": _name(item),
        "description": item.description,
        "metadata": bool(fields),
        "type": "realtime",
        "keywords": item.kind,
        "group": str(item.get_kind_display()),
    }


def _attribute(field: ServiceField, order: int) -> dict:
    values = []
    if field.datatype == Datatype.CHOICE:
        datatype = "singlevaluelist"
        values = [{"key": str(c.get("key")), "name": str(c.get("name"))} for c in field.choices]
        described = _("Choose one of the values by its key.")
    elif field.datatype == Datatype.BOOL:
        datatype = "singlevaluelist"
        values = [{"key": "true", "name": _("Yes")}, {"key": "false", "name": _("No")}]
        described = _("true or false.")
    elif field.datatype == Datatype.NUMBER:
        datatype = "number"
        described = _("A number, e.g. 3 or 2.5.")
    elif field.datatype == Datatype.DATE:
        datatype = "datetime"
        described = _("A date, YYYY-MM-DD (a time, if given, is ignored).")
    else:
        datatype = "string"
        described = _("Text of at most 500 characters.")
    entry = {
        "variable": True,
        "code": field.code,
        "datatype": datatype,
        "required": field.required,
        "datatype_description": str(described),
        "order": order,
        "description": " ".join(p for p in (field.label, field.help_text) if p),
    }
    if values:
        entry["values"] = values
    return entry


def service_definition(item: ServiceItem) -> dict:
    fields = list(item.fields.all())
    return {
        "service_code": item.code,
        "attributes": [_attribute(f, n) for n, f in enumerate(fields, start=1)],
    }


# --- requests, as the specification shows them ----------------------------------------------


def _stamp(moment) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _expected(request: ServiceRequest) -> str | None:
    """The deadline is a working day: expected by the end of it, local time."""
    if request.due_date is None:
        return None
    end = datetime.combine(request.due_date, time(23, 59, 59))
    return timezone.make_aware(end).isoformat(timespec="seconds")


def open311_status(request: ServiceRequest) -> str:
    return "closed" if request.status in CLOSED_STATUSES else "open"


def _status_notes(request: ServiceRequest) -> str:
    noted = selectors.noted_events(request)
    return noted[-1].note if noted else ""


def service_notice(request: ServiceRequest) -> str:
    notice = _("To be handled by %(unit)s, %(center)s, within %(days)d working days (by %(due)s).")
    text = notice % {
        "unit": request.unit,
        "center": _name(request.center),
        "days": request.item.time_limit_days,
        "due": f"{request.due_date:%Y-%m-%d}" if request.due_date else "",
    }
    if request.due_estimated:
        text += " " + _("The date is estimated: next year's holidays are not announced yet.")
    return text


def request_entry(request: ServiceRequest, *, full: bool) -> dict:
    """One request. `full` adds what the person wrote and where (for the person and for
    staff who may see it); names and phone numbers are never part of it."""
    closed = request.status in CLOSED_STATUSES
    updated = request.closed_at if closed and request.closed_at else request.updated_at
    return {
        "service_request_id": request.number,
        "status": open311_status(request),
        "status_notes": _status_notes(request) if full else "",
        "service_name": _name(request.item),
        "service_code": request.item.code,
        "description": request.description if full else "",
        "agency_responsible": f"{_name(request.center)} {request.unit}",
        "service_notice": service_notice(request),
        "requested_datetime": _stamp(request.submitted_at),
        "updated_datetime": _stamp(updated),
        "expected_datetime": _expected(request),
        "address": request.address if full else "",
        "address_id": "",
        "zipcode": "",
        # Numbers in JSON, so absent is null (an empty element in XML).
        "lat": float(request.lat) if full and request.lat is not None else None,
        "long": float(request.lng) if full and request.lng is not None else None,
        "media_url": "",
    }


def _fully_visible(viewer: "Person | None", requests: list[ServiceRequest]) -> set[int]:
    """The ids among `requests` the viewer may read in full: their own, and for staff the
    requests of their regions (people/access.py)."""
    if viewer is None or not requests:
        return set()
    ids = [r.pk for r in requests]
    own = {r.pk for r in requests if r.person_id == viewer.pk}
    if access.is_staff(viewer):
        own |= set(
            selectors.requests_visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)
        )
    return own


def entries(viewer: "Person | None", requests: list[ServiceRequest]) -> list[dict]:
    full = _fully_visible(viewer, requests)
    return [request_entry(r, full=r.pk in full) for r in requests]


def one_request(number: str) -> ServiceRequest:
    found = selectors.request_by_number(number)
    if found is None:
        raise Open311Error(404, _("service_request_id: no such request."))
    return found


def by_token(token: str) -> ServiceRequest:
    found = selectors.request_by_token(token)
    if found is None:
        raise Open311Error(404, _("token: no such token."))
    return found


# --- the request list ---------------------------------------------------------------------------


def _moment(value: str, name: str, *, end: bool = False) -> datetime:
    """An ISO 8601 date-time (a zone, or local time), or a plain date (its start, or for
    end_date its end)."""
    text = (value or "").strip().replace(" ", "+")  # a "+" that arrived unencoded
    try:
        day = parse_date(text) if len(text) == 10 else None
        if day is not None:
            moment = datetime.combine(day, time.max if end else time.min)
        else:
            moment = parse_datetime(text)
            if moment is None:
                raise ValueError
    except ValueError:
        raise Open311Error(
            400,
            _("%(name)s: give an ISO 8601 date-time, e.g. 2026-11-01T00:00:00+08:00.")
            % {"name": name},
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        inside = FIRST_MOMENT <= moment <= LAST_MOMENT
        moment = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        inside = False
    if not inside:
        raise Open311Error(
            400,
            f"{name}: "
            + _("Enter a date and time from %(first)s to %(last)s (Beijing time).")
            % {"first": "1901-01-01 00:00", "last": "2100-12-31 23:59"},
        )
    return moment


def _statuses(value: str) -> list[str]:
    wanted = {part.strip().lower() for part in value.split(",") if part.strip()}
    if not wanted <= {"open", "closed"}:
        raise Open311Error(400, _("status: give open, closed or both."))
    statuses = []
    if "open" in wanted:
        statuses += list(OPEN_STATUSES)
    if "closed" in wanted:
        statuses += list(CLOSED_STATUSES)
    return statuses


def request_list(params) -> list[ServiceRequest]:
    """GET requests: service_request_id (comma list) overrides every other filter; else
    service_code, start_date / end_date (at most 90 days apart; the last 90 days when
    neither is given) and status; newest first, at most 1000."""
    requests = selectors.requests_public()
    ids = (params.get("service_request_id") or "").strip()
    if ids:
        numbers = [n.strip()[:20] for n in ids.split(",") if n.strip()]
        if len(numbers) > MAX_IDS:
            raise Open311Error(
                400, _("service_request_id: at most %(n)d at once.") % {"n": MAX_IDS}
            )
        requests = requests.filter(number__in=numbers)
    else:
        start_text, end_text = params.get("start_date"), params.get("end_date")
        start = _moment(start_text, "start_date") if start_text else None
        end = _moment(end_text, "end_date", end=True) if end_text else None
        if start and end:
            if end < start:
                raise Open311Error(400, _("end_date: it is before start_date."))
            if end - start > LIST_SPAN:
                raise Open311Error(
                    400, _("end_date: the dates may not be more than 90 days apart.")
                )
        elif start:
            end = start + LIST_SPAN
        elif end:
            start = end - LIST_SPAN
        else:
            end = timezone.now()
            start = end - LIST_SPAN
        requests = requests.filter(submitted_at__gte=start, submitted_at__lte=end)
        code = (params.get("service_code") or "").strip()
        if code:
            if not selectors.item_exists(code):
                raise Open311Error(404, _("service_code: no such service."))
            requests = requests.filter(item__code=code[:60])
        status = (params.get("status") or "").strip()
        if status:
            requests = requests.filter(status__in=_statuses(status))
    return list(selectors.with_notes(requests.order_by("-submitted_at", "-id"))[:LIST_LIMIT])


# --- POST requests ------------------------------------------------------------------------------


def _attributes(data, item: ServiceItem) -> dict:
    """attribute[code]=value (and attribute[code][]=... for lists) -> {code: value}."""
    fields = {f.code: f for f in item.fields.all()}
    values: dict = {}
    for key in data:
        if not key.startswith("attribute["):
            continue
        inner = key[len("attribute[") :]
        many = inner.endswith("][]")
        code = inner[:-3] if many else inner.rstrip("]")
        if not key.endswith("]") or code not in fields:
            raise Open311Error(
                400, _("%(key)s: this service has no such attribute.") % {"key": key}
            )
        got = data.getlist(key)
        if many or len(got) > 1:
            raise Open311Error(
                400, _("%(key)s: this attribute takes a single value.") % {"key": key}
            )
        value = got[0] if got else ""
        if fields[code].datatype == Datatype.DATE:
            value = _date_value(value)
        values[code] = value
    return values


def _date_value(value: str) -> str:
    """Open311's datetime, for our date fields: the local date of a date-time."""
    text = (value or "").strip()
    try:
        moment = parse_datetime(text.replace(" ", "+"))
    except ValueError:
        return text
    if moment is None:
        return text
    if timezone.is_aware(moment):
        try:
            moment = timezone.localtime(moment)
        except (OverflowError, ValueError):  # beyond year 9999 in Shanghai: out of range
            return moment.date().isoformat()
    return moment.date().isoformat()


def _for_whom(actor: "Person", phone: str | None) -> "Person":
    """The key's own person; with a phone number, that person, for staff only."""
    from dangqun.people.identity import normalize_mobile
    from dangqun.people.selectors import person_by_mobile

    phone = (phone or "").strip()
    if not phone:
        return actor
    try:
        mobile = normalize_mobile(phone, field="phone")
    except DomainError:
        raise Open311Error(400, _("phone: give a mainland mobile number.")) from None
    if mobile == actor.mobile:
        return actor
    if not access.is_staff(actor):
        raise Open311Error(403, _("phone: only staff keys may file requests for others."))
    person = person_by_mobile(mobile)
    if person is None or not person.is_active or person.privacy_consent_at is None:
        raise Open311Error(
            400,
            _(
                "phone: nobody with this number has signed up and accepted the privacy "
                "notice; they sign up first (or staff file it at the counter)."
            ),
        )
    return person


def _address_center(item: ServiceItem, address_id: str) -> "ServiceCenter":
    """address_id names a service center by its slug: the request is made at that center."""
    center = places.center_by_slug(address_id[:60])
    if center is None:
        raise Open311Error(400, _("address_id: no service center has this id."))
    return center


def _nearest_center(item: ServiceItem, lat: Decimal, lng: Decimal) -> "ServiceCenter | None":
    """For an item offered in a whole street or the district: the nearest of its centers."""
    if item.region_id is None:
        return None
    centers = selectors.located_centers_inside(item.region)
    if not centers:
        return None
    return min(
        centers,
        key=lambda c: geo.distance_m(float(lat), float(lng), float(c.latitude), float(c.longitude)),
    )


def _check_rate(actor: "Person") -> None:
    limits = config()
    most = (
        limits["STAFF_POSTS_PER_KEY_PER_HOUR"]
        if access.is_staff(actor)
        else limits["POSTS_PER_KEY_PER_HOUR"]
    )
    recent = selectors.requests_filed_since(
        actor, channel=Channel.OPEN311, since=timezone.now() - timedelta(hours=1)
    )
    if recent >= most:
        raise Open311Error(
            429, _("api_key: too many requests in the last hour; please try again later.")
        )


def request_post(data) -> tuple[ServiceRequest, "Person"]:
    """File a POSTed request. Returns the request and the key's person."""
    from .services import request_submit

    check_jurisdiction(data.get("jurisdiction_id"))
    actor = key_person(data.get("api_key"), required=True)
    code = (data.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, _("service_code: this parameter is required."))
    item = offered_item(code)
    values = _attributes(data, item)
    person = _for_whom(actor, data.get("phone"))

    raw_lat, raw_lng = data.get("lat"), data.get("long")
    has_point = raw_lat not in (None, "") or raw_lng not in (None, "")
    lat = lng = None
    if has_point:
        if raw_lat in (None, "") or raw_lng in (None, ""):
            raise Open311Error(400, _("lat, long: give both, as WGS-84 degrees."))
        try:
            lat = geo.parse_coordinate(raw_lat, kind="latitude", field="lat")
            lng = geo.parse_coordinate(raw_lng, kind="longitude", field="lng")
        except DomainError as error:
            raise from_domain(error) from None
    address = (data.get("address_string") or "").strip()
    address_id = (data.get("address_id") or "").strip()
    center = None
    if address_id:
        center = _address_center(item, address_id)
        if not address:
            address = center.address or center.name
        if lat is None and center.latitude is not None:
            lat, lng = center.latitude, center.longitude
    elif lat is not None:
        center = _nearest_center(item, lat, lng)
    if item.location_required and lat is None and not address:
        raise Open311Error(
            400,
            _(
                "lat, long: this service needs a location (lat and long, address_string "
                "or address_id)."
            ),
        )
    submitted_item = item
    if item.location_required and lat is None:
        # An address alone is a location in Open311; the service asks for coordinates.
        submitted_item = copy.copy(item)
        submitted_item.location_required = False
    try:
        handling = selectors.handling_center(item, center)
    except DomainError as error:
        raise from_domain(error) from None
    if person != actor and not access.covers(actor, handling.region, roles=access.MANAGERS):
        raise Open311Error(
            403, _("api_key: this key may not file requests for others at that center.")
        )
    _check_rate(actor)
    try:
        request = request_submit(
            actor=actor,
            person=person,
            item=submitted_item,
            channel=Channel.OPEN311,
            values=values,
            description=data.get("description") or "",
            lat=lat,
            lng=lng,
            address=address,
            center=handling,
        )
    except NotFound:
        raise Open311Error(403, _("api_key: this key may not file this request.")) from None
    except DomainError as error:
        raise from_domain(error, [f.code for f in item.fields.all()]) from None
    return request, actor


def posted_entry(request: ServiceRequest) -> dict:
    return {
        "service_request_id": request.number,
        "token": request.token,
        "service_notice": service_notice(request),
        "account_id": str(request.person.public_id),
    }
