"""Open311 GeoReport v2 endpoints at /open311/v2/: discovery, services, a service's
definition, POST and GET requests, one request, and a request id from a token, each as
.json or .xml. Callers authenticate with api_key (an API token of the accounts app), never
with the browser's session, so POST needs no CSRF token."""

from django.db import DataError
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import open311
from .open311 import Open311Error
from .open311_xml import DEFINITION, DISCOVERY, REQUESTS, SERVICES, error, respond


def _answer(view):
    """Errors in the specification's format, in the format the URL asked for."""

    def wrapper(request, *args, fmt: str, **kwargs):
        try:
            open311.check_parameters(
                request.GET, request.POST if request.method == "POST" else {}, kwargs
            )
            open311.check_jurisdiction(request.GET.get("jurisdiction_id"))
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as failure:
            return error(fmt, failure.status, *failure.descriptions)
        except DataError:
            return error(
                fmt, 400, _("A value contains characters or a size that cannot be stored.")
            )

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _viewer(request):
    return open311.key_person(request.GET.get("api_key"), required=False)


@csrf_exempt
@require_http_methods(["GET"])
@_answer
def discovery(request, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:root"))
    data = {
        "changeset": "2026-11-29T00:00:00+08:00",
        "contact": str(_("The district's party-mass service center")),
        "key_service": str(_("Create an API token in your account (/accounts/me/tokens/).")),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2026-11-29T00:00:00+08:00",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return respond(data, fmt, DISCOVERY)


@csrf_exempt
@require_http_methods(["GET"])
@_answer
def services(request, fmt: str) -> HttpResponse:
    items = open311.offered_items()
    return respond([open311.service_entry(item) for item in items], fmt, SERVICES)


@csrf_exempt
@require_http_methods(["GET"])
@_answer
def service_definition(request, code: str, fmt: str) -> HttpResponse:
    return respond(open311.service_definition(open311.offered_item(code)), fmt, DEFINITION)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_answer
def requests(request, fmt: str) -> HttpResponse:
    if request.method == "POST":
        data = request.POST.copy()
        for name in ("api_key", "jurisdiction_id"):
            if name not in data and name in request.GET:
                data[name] = request.GET[name]
        filed, _actor = open311.request_post(data)
        return respond([open311.posted_entry(filed)], fmt, REQUESTS)
    viewer = _viewer(request)
    return respond(open311.entries(viewer, open311.request_list(request.GET)), fmt, REQUESTS)


@csrf_exempt
@require_http_methods(["GET"])
@_answer
def request_detail(request, number: str, fmt: str) -> HttpResponse:
    viewer = _viewer(request)
    return respond(open311.entries(viewer, [open311.one_request(number)]), fmt, REQUESTS)


@csrf_exempt
@require_http_methods(["GET"])
@_answer
def token(request, token: str, fmt: str) -> HttpResponse:
    found = open311.by_token(token)
    return respond([{"service_request_id": found.number, "token": found.token}], fmt, REQUESTS)


def root(request) -> HttpResponse:
    """The base address itself: where the documentation is."""
    return error("xml", 404, _("See discovery.xml or services.xml under this address."))
