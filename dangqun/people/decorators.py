"""The decorator of back-office pages: sign-in first, then a staff role, and a NotFound
from any selector becomes the same 404 as a missing page."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from dangqun.core.errors import NotFound

from . import access


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.is_staff(request.user):
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper
