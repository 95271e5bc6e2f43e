"""API of one-stop intake for residents, under /api/v1/intake/: the catalogue, submitting
a request (JSON, or multipart with attachments), following one's own requests and rating
them. Staff endpoints are in staff_api.py; Open311 is in open311.py."""

import json

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from pydantic import ValidationError as PydanticValidationError

from dangqun.accounts.auth import AUTH
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.input import check_value
from dangqun.places import selectors as places

from . import selectors, services
from .models import Channel
from .schemas import (
    CenterSlug,
    ItemCode,
    ItemOut,
    KindFilter,
    RequestDetailOut,
    RequestIn,
    RequestNumber,
    RequestOut,
    RequestRatingIn,
    RequestRatingOut,
)

router = Router(tags=["intake"])


def _center(slug: str | None):
    """The center a slug names (None for no slug); the API's 404 for an unknown one."""
    if not slug:
        return None
    center = places.center_by_slug(slug)
    if center is None:
        raise NotFound()
    return center


@router.get("/items", response=list[ItemOut], summary="The service catalogue (of a center)")
def item_list(request, center: CenterSlug | None = None, kind: KindFilter | None = None):
    items = selectors.items_offered(center=_center(center))
    if kind:
        items = items.filter(kind=kind)
    return items


@router.get("/items/{code}", response=ItemOut, summary="One service item and its extra fields")
def item_detail(request, code: ItemCode):
    return selectors.item_offered(code=code)


def _submit(request, payload: RequestIn, attachments=()):
    item = selectors.item_offered(code=payload.item)
    return services.request_submit(
        actor=request.user,
        person=request.user,
        item=item,
        channel=Channel.ONLINE,
        values=payload.values,
        description=payload.description,
        lat=payload.lat,
        lng=payload.lng,
        address=payload.address,
        region=payload.region,
        attachments=attachments,
        center=_center(payload.center),
    )


@router.post(
    "/requests",
    response={201: RequestDetailOut},
    auth=AUTH,
    summary="Submit a request (JSON, no attachments)",
)
def request_create(request, payload: RequestIn):
    return Status(201, _submit(request, payload))


@router.post(
    "/requests/with-files",
    response={201: RequestDetailOut},
    auth=AUTH,
    summary="Submit a request with attachments (multipart: `data` is the request as JSON)",
)
def request_create_with_files(
    request, data: Form[str], attachments: File[list[UploadedFile]] = None
):
    return Status(201, _submit(request, _request_data(data), attachments or ()))


def _request_data(data: str) -> RequestIn:
    """The `data` part of a multipart request: a JSON object checked like a JSON body (the
    text rule, numbers in 64 bits) and by RequestIn, errors naming `data.<field>`."""
    try:
        parsed = json.loads(data, parse_constant=_not_json)
    except (ValueError, RecursionError):
        parsed = None
    if not isinstance(parsed, dict):
        raise ValidationFailed(_("The request data is not valid JSON."), field="data")
    check_value(parsed, ("data",))
    try:
        return RequestIn(**parsed)
    except PydanticValidationError as error:
        raise NinjaValidationError(
            [{**e, "loc": ("data", *e["loc"])} for e in error.errors(include_url=False)]
        ) from None


def _not_json(name: str):
    raise ValueError(f"{name} is not JSON")


@router.get("/me/requests", response=list[RequestOut], auth=AUTH, summary="My requests")
def my_requests(request):
    return selectors.requests_of(request.user)


@router.get(
    "/me/requests/{number}", response=RequestDetailOut, auth=AUTH, summary="One of my requests"
)
def my_request(request, number: RequestNumber):
    return selectors.request_of(request.user, number=number)


@router.post(
    "/me/requests/{number}/rating",
    response={201: RequestRatingOut},
    auth=AUTH,
    summary="Rate a resolved request (好差评), once",
)
def rate(request, number: RequestNumber, payload: RequestRatingIn):
    service_request = selectors.request_of(request.user, number=number)
    return Status(
        201,
        services.rating_give(
            actor=request.user,
            request=service_request,
            score=payload.score,
            comment=payload.comment,
        ),
    )
