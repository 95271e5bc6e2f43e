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
