from django.db import DataError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# A NUL character can never be stored (PostgreSQL refuses it) and is never typed by a
# person: where it could reach a text field, the request is refused up front. Files in a
# multipart upload are content, not text, and are not looked at.
_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _any_nul(values) -> bool:
    return any("\x00" in value for _key, items in values.lists() for value in items)


class UnstorableInputMiddleware:
    """Input the database cannot store is the visitor's bad input: 400 with a plain
    message in their language, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return self._refuse(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        return self._refuse(request) if isinstance(exception, DataError) else None

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or _any_nul(request.GET):
            return True
        if request.content_type == "application/json":
            return b"\\u0000" in request.body
        return request.content_type in _FORM_TYPES and _any_nul(request.POST)

    @staticmethod
    def _refuse(request):
        message = _("This value contains characters or a size that cannot be stored.")
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "invalid", "message": message, "field": None}, status=400)
        return render(request, "400.html", status=400)
