"""Two guards at the door.

ApiErrorsMiddleware: under /api/ every error is JSON `{"code", "message", "field"}` in the
caller's language, whoever answered it (Django's 404 for an unknown path, ninja's 405, a
body over DATA_UPLOAD_MAX_MEMORY_SIZE as 413, a server error as 500).

UnstorableInputMiddleware: pages and forms. A NUL or another control character (other than
tab, newline and carriage return) in the path, a query parameter or a form field is never
typed by a person and could never be stored, exported or sent: the request is refused up
front with a 400 in the visitor's language. Files in a multipart upload are content, not
text, and are not looked at. The API's input is checked by its parser (core/input.py)."""

import logging
import re

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DataError
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from .errors import error_of_status, too_large_message

logger = logging.getLogger("dangqun.input")

API_PREFIX = "/api/"
_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Headers of an error response worth keeping when it is rewritten as JSON.
_KEPT_HEADERS = ("Allow", "Retry-After", "Vary", "WWW-Authenticate")


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _json_error(body: dict, status: int) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def unstorable_message():
    return _("This value contains characters or a size that cannot be stored.")


class ApiErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_api(request):
            return self.get_response(request)
        refused = self._read_body(request)
        if refused is not None:
            return refused
        return self._as_json(self.get_response(request))

    @staticmethod
    def _read_body(request):
        """Read the body now, so that one too large is a 413 here and not Django's 400 page
        from whichever code touches it first."""
        try:
            if request.method == "POST" and request.content_type == "multipart/form-data":
                request.POST  # noqa: B018 - files stream to disk; only the fields count
            else:
                request.body  # noqa: B018
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
            body = {"code": "too_large", "message": str(too_large_message()), "field": None}
            return _json_error(body, 413)
        except MultiPartParserError:
            return _json_error(error_of_status(400), 400)
        return None

    @staticmethod
    def _as_json(response):
        if response.status_code < 400 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        rewritten = _json_error(error_of_status(response.status_code), response.status_code)
        for header in _KEPT_HEADERS:
            if header in response:
                rewritten[header] = response[header]
        return rewritten


class UnstorableInputMiddleware:
    """Input the database cannot store is the visitor's bad input: 400 with a plain
    message in their language, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or (
            not _checked_by_its_door(request) and self._has_control(request)
        ):
            return self._refuse(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DataError):
            return self._refuse(request)
        if isinstance(exception, OverflowError):
            # The last line of defence: a date or number beyond what Python's types hold.
            # The real fix is validating it where it enters; the log says where it did not.
            logger.warning("OverflowError at %s", request.path, exc_info=exception)
            return self._refuse(request, out_of_range=True)
        return None

    @staticmethod
    def _has_control(request) -> bool:
        if _any_control(request.GET):
            return True
        return request.content_type in _FORM_TYPES and _any_control(request.POST)

    @staticmethod
    def _refuse(request, *, out_of_range: bool = False):
        if out_of_range:
            message = _("This date or number is out of range.")
        else:
            message = unstorable_message()
        if _is_api(request):
            code = "out_of_range" if out_of_range else "invalid"
            return _json_error({"code": code, "message": message, "field": None}, 400)
        return render(request, "400.html", status=400)


# Open311 checks every parameter itself and answers in the specification's formats (JSON
# or XML naming the parameter), as the API's parser does under /api/.
OPEN311_PREFIX = "/open311/"


def _checked_by_its_door(request) -> bool:
    return _is_api(request) or request.path.startswith(OPEN311_PREFIX)


def _any_control(values) -> bool:
    return any(
        _CONTROL.search(key) or any(_CONTROL.search(value) for value in items)
        for key, items in values.lists()
    )
