"""Domain errors: services raise them, pages show them beside the field, and the API
returns them as {"code", "message", "field"} with a 4xx status."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """The one base class of every error a service raises on purpose."""

    status = 400
    code = "invalid"

    def __init__(self, message=None, *, field: str | None = None, code: str | None = None):
        self.message = message or _("The request could not be carried out.")
        self.field = field
        if code:
            self.code = code
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message), "field": self.field}


class ValidationFailed(DomainError):
    code = "invalid"


class NotFound(DomainError):
    """Missing and forbidden look the same from outside: both are 404."""

    status = 404
    code = "not_found"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("Not found."), **kwargs)


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("You may not do this."), **kwargs)


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"


def errors_from_django(exc) -> list[dict]:
    """Turn a django ValidationError (of a form or a model) into the API's error items."""
    items = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                message = error.message % error.params if error.params else error.message
                items.append(
                    {
                        "code": error.code or "invalid",
                        "message": str(message),
                        "field": None if field == "__all__" else field,
                    }
                )
    else:
        for error in exc.error_list:
            message = error.message % error.params if error.params else error.message
            items.append({"code": error.code or "invalid", "message": str(message), "field": None})
    return items


def too_large_message():
    from django.conf import settings

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return _("The request is too large (at most %(megabytes)s MB).") % {
        "megabytes": f"{limit / (1024 * 1024):g}"
    }


# The error of a status when nothing more precise is known (a refusal by Django or ninja
# before any of our code ran).
_BY_STATUS = {
    400: ("invalid", lambda: _("The request could not be carried out.")),
    401: ("unauthenticated", lambda: _("Please sign in first.")),
    403: ("forbidden", lambda: _("You may not do this.")),
    404: ("not_found", lambda: _("Not found.")),
    405: ("method_not_allowed", lambda: _("This method is not allowed here.")),
    409: ("conflict", lambda: _("This conflicts with a change made meanwhile; please reload.")),
    413: ("too_large", too_large_message),
    429: ("rate_limited", lambda: _("Too many requests; please wait a moment and try again.")),
    500: ("server_error", lambda: _("Something went wrong on our side; please try again later.")),
}


def error_of_status(status: int) -> dict:
    """{"code", "message", "field"} for a bare HTTP status, in the active language."""
    if status not in _BY_STATUS:
        status = 500 if status >= 500 else 400
    code, message = _BY_STATUS[status]
    return {"code": code, "message": str(message()), "field": None}
