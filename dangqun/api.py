"""The one NinjaAPI: /api/v1/, its OpenAPI document at /api/v1/openapi.json and the
browsable docs at /api/v1/docs. Errors are always {"code", "message", "field"}."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from dangqun.accounts.api import router as accounts_router
from dangqun.accounts.auth import AUTH
from dangqun.activities.api import router as activities_router
from dangqun.activities.staff_api import router as staff_activities_router
from dangqun.bookings.api import router as bookings_router
from dangqun.bookings.staff_api import router as staff_bookings_router
from dangqun.charging.api import router as charging_router
from dangqun.charging.staff_api import router as staff_charging_router
from dangqun.core.errors import DomainError, errors_from_django
from dangqun.intake.api import router as intake_router
from dangqun.intake.staff_api import router as staff_intake_router
from dangqun.people.staff_api import router as staff_people_router
from dangqun.places.api import router as places_router
from dangqun.places.staff_api import router as staff_places_router
from dangqun.riders.api import router as riders_router
from dangqun.workdays.api import router as workdays_router

api = NinjaAPI(
    title="dangqun API",
    version="1",
    urls_namespace="api",
    description="党群服务平台 API. Sign in with a session, or send "
    "`Authorization: Bearer <token>` (create tokens at /me/tokens or POST /api/v1/auth/token).",
)


def error_body(code: str, message: str, field: str | None = None, **extra) -> dict:
    return {"code": code, "message": message, "field": field, **extra}


_PYDANTIC_MESSAGES = {
    "missing": lambda: _("This field is required."),
    "int_parsing": lambda: _("Enter a whole number."),
    "int_type": lambda: _("Enter a whole number."),
    "float_parsing": lambda: _("Enter a number."),
    "decimal_parsing": lambda: _("Enter a number."),
    "bool_parsing": lambda: _("Enter true or false."),
    "date_from_datetime_parsing": lambda: _("Enter a date like 2024-05-01."),
    "date_parsing": lambda: _("Enter a date like 2024-05-01."),
    "string_too_long": lambda: _("This text is too long."),
    "uuid_parsing": lambda: _("This is not a valid identifier."),
}


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc):
    items = []
    for error in exc.errors:
        loc = [
            str(p) for p in error.get("loc", []) if p not in ("body", "query", "path", "payload")
        ]
        message = _PYDANTIC_MESSAGES.get(error.get("type"), lambda: _("This value is not valid."))()
        items.append(error_body(error.get("type", "invalid"), str(message), ".".join(loc) or None))
    first = items[0] if items else error_body("invalid", _("This value is not valid."))
    return api.create_response(request, {**first, "errors": items}, status=422)


@api.exception_handler(DomainError)
def on_domain_error(request, exc):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc):
    items = errors_from_django(exc)
    return api.create_response(request, {**items[0], "errors": items}, status=400)


@api.exception_handler(DataError)
def on_unstorable_value(request, exc):
    # PostgreSQL refuses some input outright (a NUL character, an out-of-range number):
    # that is bad input, not a server error.
    message = _("This value contains characters or a size that cannot be stored.")
    return api.create_response(request, error_body("invalid", message), status=400)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, error_body("not_found", _("Not found.")), status=404)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    # Ninja's own refusals (a failed CSRF check, a body that is not JSON) in our shape.
    if exc.status_code == 403:
        body = error_body("forbidden", _("You may not do this."))
    else:
        body = error_body("invalid", _("The request could not be carried out."))
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(
        request, error_body("unauthenticated", _("Please sign in first.")), status=401
    )


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
api.add_router("/intake/", intake_router)
api.add_router("/intake/staff/", staff_intake_router)
api.add_router("/", riders_router)
api.add_router("/", charging_router)
api.add_router("/staff/", staff_charging_router)
