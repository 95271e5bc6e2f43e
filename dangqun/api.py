"""The one NinjaAPI: /api/v1/, its OpenAPI document at /api/v1/openapi.json and the
browsable docs at /api/v1/docs. Errors are always {"code", "message", "field"}."""

import logging

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError

from dangqun.accounts.api import router as accounts_router
from dangqun.accounts.auth import AUTH
from dangqun.activities.api import router as activities_router
from dangqun.activities.staff_api import router as staff_activities_router
from dangqun.activities.staff_checkin_api import router as staff_checkin_router
from dangqun.bookings.api import router as bookings_router
from dangqun.bookings.staff_api import router as staff_bookings_router
from dangqun.charging.api import router as charging_router
from dangqun.charging.staff_api import router as staff_charging_router
from dangqun.core.errors import DomainError, error_of_status, errors_from_django
from dangqun.core.input import CheckedParser
from dangqun.intake.api import router as intake_router
from dangqun.intake.staff_api import router as staff_intake_router
from dangqun.partners.api import router as partners_router
from dangqun.partners.figures_api import router as staff_partner_figures_router
from dangqun.partners.mobile_api import router as mobile_members_router
from dangqun.partners.mobile_api import staff_router as staff_mobile_members_router
from dangqun.partners.packages_api import router as packages_router
from dangqun.partners.packages_api import staff_router as staff_packages_router
from dangqun.partners.staff_api import router as staff_partners_router
from dangqun.people.staff_api import router as staff_people_router
from dangqun.places.api import router as places_router
from dangqun.places.staff_api import router as staff_places_router
from dangqun.riders.api import router as riders_router
from dangqun.volunteers.api import router as volunteers_router
from dangqun.volunteers.lead_api import router as volunteers_lead_router
from dangqun.volunteers.staff_api import router as staff_volunteers_router
from dangqun.workdays.api import router as workdays_router

# --- the document tells the truth about errors -------------------------------------------
#
# Every answer that is not a success has one shape, {code, message, field, errors}, and the
# statuses an operation can answer with are declared on it, so that a client generated from
# the document reads them instead of failing on an "unexpected status":
#   every operation   400 (a body or query the boundary refuses), 404 (an unknown id or
#                     filter; missing and forbidden look alike), 422 (a field out of its
#                     type or range), 500 (our fault, still JSON);
#   with a body       413 (over DATA_UPLOAD_MAX_MEMORY_SIZE);
#   signed in         401 (no or a wrong credential), 403 (a session without its CSRF
#                     token, or a step the role may not take);
#   writes            409 (a conflict with the current state: taken, full, done already);
#   sign-in           429 (too many codes or tries; counted in the database).
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["code", "message", "field"],
    "properties": {
        "code": {"type": "string", "description": "A machine-readable reason."},
        "message": {"type": "string", "description": "For people, in their language."},
        "field": {
            "anyOf": [{"type": "string"}, {"type": "null"}],
            "description": "The field refused (dotted path), or null for the request.",
        },
        "errors": {
            "type": "array",
            "description": "Every refusal, when several fields were refused.",
            "items": {"$ref": "#/components/schemas/ErrorItem"},
        },
    },
}
ERROR_ITEM_SCHEMA = {
    "title": "ErrorItem",
    "type": "object",
    "required": ["code", "message", "field"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "field": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    },
}
ERROR_DESCRIPTIONS = {
    400: "Bad input: a body or query the input boundary refuses, or a rule of the service.",
    401: "Sign in first (a session, or Authorization: Bearer <token>).",
    403: "Not allowed (or a session without its CSRF token).",
    404: "Not found (missing and forbidden look alike).",
    409: "Conflicts with the current state (taken, full, done already).",
    413: "The request is too large.",
    422: "A field is missing, of the wrong type or out of its range.",
    429: "Too many requests; try again later.",
    500: "Something went wrong on our side.",
}


def error_statuses(path: str, method: str, operation: dict) -> list[int]:
    statuses = [400, 404, 422, 500]
    if method in ("post", "put", "patch"):
        statuses.append(413)
    if operation.get("security"):
        statuses += [401, 403]
    if method in ("post", "put", "patch", "delete"):
        statuses.append(409)
    if path.startswith("/api/v1/auth/"):
        statuses.append(429)
    return sorted(statuses)


def declare_errors(document: dict) -> dict:
    """Add the error schema and every operation's error statuses to the document."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    schemas["ErrorItem"] = ERROR_ITEM_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in error_statuses(path, method, operation):
                responses.setdefault(
                    status, {"description": ERROR_DESCRIPTIONS[status], "content": error}
                )
    return document


class DocumentedAPI(NinjaAPI):
    """Ninja's API whose OpenAPI document also declares every error an operation answers."""

    def get_openapi_schema(self, *args, **kwargs):
        return declare_errors(super().get_openapi_schema(*args, **kwargs))


api = DocumentedAPI(
    title="dangqun API",
    version="1",
    urls_namespace="api",
    parser=CheckedParser(),
    description="党群服务平台 API. Sign in with a session, or send "
    "`Authorization: Bearer <token>` (create tokens at /me/tokens or POST /api/v1/auth/token).",
)
logger = logging.getLogger("dangqun.api")


def error_body(code: str, message: str, field: str | None = None, **extra) -> dict:
    return {"code": code, "message": message, "field": field, **extra}


def _at_most(ctx: dict) -> str:
    if ctx.get("field_type") == "List":
        return _("At most %(n)d items.") % {"n": ctx["max_length"]}
    return _("At most %(n)d characters.") % {"n": ctx["max_length"]}


def _at_least(ctx: dict) -> str:
    if ctx.get("field_type") == "List":
        return _("At least %(n)d items.") % {"n": ctx["min_length"]}
    return _("At least %(n)d characters.") % {"n": ctx["min_length"]}


def _choices(ctx: dict) -> str:
    # Pydantic lists them in English ("'a', 'b' or 'c'"); a list needs no word.
    return ctx["expected"].replace("' or '", "', '")


# The messages of pydantic's own errors, in the caller's language; each takes the error's
# context (the bound that was crossed). Errors of core/schemas.py carry their own message.
_PYDANTIC_MESSAGES = {
    "missing": lambda ctx: _("This field is required."),
    "int_parsing": lambda ctx: _("Enter a whole number."),
    "int_type": lambda ctx: _("Enter a whole number."),
    "int_from_float": lambda ctx: _("Enter a whole number."),
    "int_parsing_size": lambda ctx: _("This number is out of range."),
    "float_parsing": lambda ctx: _("Enter a number."),
    "float_type": lambda ctx: _("Enter a number."),
    "finite_number": lambda ctx: _("Enter a number."),
    "decimal_parsing": lambda ctx: _("Enter a number."),
    "decimal_type": lambda ctx: _("Enter a number."),
    "bool_parsing": lambda ctx: _("Enter true or false."),
    "bool_type": lambda ctx: _("Enter true or false."),
    "date_from_datetime_parsing": lambda ctx: _("Enter a date like 2024-05-01."),
    "date_from_datetime_inexact": lambda ctx: _("Enter a date like 2024-05-01."),
    "date_parsing": lambda ctx: _("Enter a date like 2024-05-01."),
    "date_type": lambda ctx: _("Enter a date like 2024-05-01."),
    "datetime_parsing": lambda ctx: _("Enter a date and time like 2024-05-01T09:30:00+08:00."),
    "datetime_from_date_parsing": lambda ctx: _(
        "Enter a date and time like 2024-05-01T09:30:00+08:00."
    ),
    "datetime_type": lambda ctx: _("Enter a date and time like 2024-05-01T09:30:00+08:00."),
    "time_parsing": lambda ctx: _("Enter a time like 09:30."),
    "time_type": lambda ctx: _("Enter a time like 09:30."),
    "string_type": lambda ctx: _("Enter text."),
    "string_too_long": lambda ctx: _("At most %(n)d characters.") % {"n": ctx["max_length"]},
    "string_too_short": lambda ctx: _("At least %(n)d characters.") % {"n": ctx["min_length"]},
    "too_long": lambda ctx: _at_most(ctx),
    "too_short": lambda ctx: _at_least(ctx),
    "greater_than_equal": lambda ctx: _("Enter a value of at least %(n)s.") % {"n": ctx["ge"]},
    "greater_than": lambda ctx: _("Enter a value greater than %(n)s.") % {"n": ctx["gt"]},
    "less_than_equal": lambda ctx: _("Enter a value of at most %(n)s.") % {"n": ctx["le"]},
    "less_than": lambda ctx: _("Enter a value less than %(n)s.") % {"n": ctx["lt"]},
    "enum": lambda ctx: _("Choose one of: %(choices)s.") % {"choices": _choices(ctx)},
    "literal_error": lambda ctx: _("Choose one of: %(choices)s.") % {"choices": _choices(ctx)},
    "list_type": lambda ctx: _("Enter a list."),
    "model_type": lambda ctx: _("Enter an object."),
    "model_attributes_type": lambda ctx: _("Enter an object."),
    "dict_type": lambda ctx: _("Enter an object."),
    "uuid_parsing": lambda ctx: _("This is not a valid identifier."),
    "uuid_type": lambda ctx: _("This is not a valid identifier."),
}


ERROR_HANDLERS: dict = {}


def _handles(exc_class):
    def register(handler):
        ERROR_HANDLERS[exc_class] = handler
        return handler

    return register


def install_error_handlers(target: NinjaAPI) -> None:
    """Every error of `target` answered in the one shape (a test API uses them too)."""
    for exc_class, handler in ERROR_HANDLERS.items():
        target.add_exception_handler(exc_class, handler)


def _message_of(error: dict) -> str:
    ctx = error.get("ctx") or {}
    if ctx.get("own_message"):
        return error["msg"]
    known = _PYDANTIC_MESSAGES.get(error.get("type"))
    if known is not None:
        try:
            return str(known(ctx))
        except (KeyError, TypeError):
            pass
    return str(_("This value is not valid."))


@_handles(NinjaValidationError)
def on_validation_error(request, exc):
    items = []
    for error in exc.errors:
        loc = [
            str(p)
            for p in error.get("loc", [])
            if p not in ("body", "query", "path", "payload", "form", "file")
        ]
        items.append(
            error_body(error.get("type", "invalid"), _message_of(error), ".".join(loc) or None)
        )
    first = items[0] if items else error_body("invalid", _("This value is not valid."))
    return api.create_response(request, {**first, "errors": items}, status=422)


@_handles(DomainError)
def on_domain_error(request, exc):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@_handles(DjangoValidationError)
def on_django_validation_error(request, exc):
    items = errors_from_django(exc)
    return api.create_response(request, {**items[0], "errors": items}, status=400)


@_handles(DataError)
def on_unstorable_value(request, exc):
    # PostgreSQL refuses some input outright (a NUL character, an out-of-range number):
    # that is bad input, not a server error; logged, as the sign of a check missing before.
    logger.warning("DataError at %s %s", request.method, request.path, exc_info=exc)
    message = _("This value contains characters or a size that cannot be stored.")
    return api.create_response(request, error_body("invalid", message), status=400)


@_handles(OverflowError)
def on_overflow(request, exc):
    # The last line of defence: a date or number beyond what Python's types (or SQLite's
    # integers) hold. The real fix is a schema type that refuses it; the log says where.
    logger.warning("OverflowError at %s %s", request.method, request.path, exc_info=exc)
    message = _("This date or number is out of range.")
    return api.create_response(request, error_body("out_of_range", message), status=400)


@_handles(Http404)
def on_not_found(request, exc):
    return api.create_response(request, error_body("not_found", _("Not found.")), status=404)


@_handles(HttpError)
def on_http_error(request, exc):
    # Ninja's own refusals (a failed CSRF check, a body it could not read, throttling) in
    # our shape. A body our parser refused carries the reason as the cause.
    cause = exc.__cause__
    if isinstance(cause, DomainError):
        return on_domain_error(request, cause)
    if isinstance(cause, RequestDataTooBig | TooManyFieldsSent):
        return api.create_response(request, error_of_status(413), status=413)
    if exc.status_code == 403:
        body = error_body("forbidden", _("You may not do this."))
    else:
        body = error_of_status(exc.status_code)
    return api.create_response(request, body, status=exc.status_code)


@_handles(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(
        request, error_body("unauthenticated", _("Please sign in first.")), status=401
    )


def _overflow_within(exc: BaseException) -> bool:
    """An OverflowError behind this one: chained, or wrapped by pydantic while reading an
    attribute for a response (it keeps only the error's text)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OverflowError):
            return True
        if isinstance(exc, PydanticValidationError):
            for error in exc.errors(include_url=False):
                cause = (error.get("ctx") or {}).get("error")
                if isinstance(cause, OverflowError) or str(cause).startswith("OverflowError"):
                    return True
        exc = exc.__cause__ or exc.__context__
    return False


@_handles(Exception)
def on_server_error(request, exc):
    if _overflow_within(exc):
        return on_overflow(request, exc)
    # Logged with the traceback, and signalled as Django does for an uncaught exception
    # (the test client re-raises it); the caller gets the error shape, not a page.
    logger.error("Internal Server Error: %s", request.path, exc_info=exc)
    got_request_exception.send(sender=None, request=request)
    return api.create_response(request, error_of_status(500), status=500)


install_error_handlers(api)
api.add_router("/", places_router)
api.add_router("/", bookings_router)
api.add_router("/", activities_router)
api.add_router("/", accounts_router)
api.add_router("/", workdays_router)
# people and places sit below accounts: their staff routers get sign-in here.
api.add_router("/staff/", staff_people_router, auth=AUTH)
api.add_router("/staff/", staff_places_router, auth=AUTH)
api.add_router("/staff/", staff_bookings_router)
api.add_router("/staff/", staff_activities_router)
api.add_router("/staff/", staff_checkin_router)
api.add_router("/intake/", intake_router)
api.add_router("/intake/staff/", staff_intake_router)
api.add_router("/", riders_router)
api.add_router("/", charging_router)
api.add_router("/staff/", staff_charging_router)
api.add_router("/volunteers/", volunteers_router)
api.add_router("/staff/volunteers/", staff_volunteers_router)
# Before the partners' own staff router: /staff/partners/figures is not a partner's id.
api.add_router("/staff/partners/", staff_partner_figures_router)
api.add_router("/volunteers/lead/", volunteers_lead_router)
api.add_router("/partners/", partners_router)
api.add_router("/staff/partners/", staff_partners_router)
# Service packages (of partners).
api.add_router("/", packages_router)
api.add_router("/staff/", staff_packages_router)
api.add_router("/mobile-members/", mobile_members_router)
api.add_router("/staff/mobile-members/", staff_mobile_members_router)
