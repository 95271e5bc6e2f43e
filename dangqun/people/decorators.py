"""The decorators of back-office pages and endpoints. Both check through the one guard
(access.require); a NotFound from the guard or any selector becomes the same 404 as a
missing page (the API's handler answers NotFound with its JSON 404)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from dangqun.core.errors import NotFound

from . import access


def staff_required(view=None, *, roles=access.ALL_ROLES):
    """A back-office page: sign-in first (a visitor is sent to it), then one of `roles`.
    Used bare (`@staff_required`, any staff role) or with roles
    (`@staff_required(roles=access.MANAGERS)`)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                access.require(request.user, roles)
                return view(request, *args, **kwargs)
            except NotFound:
                raise Http404 from None

        return wrapper

    return decorate(view) if view is not None else decorate


def staff_endpoint(roles=access.MANAGERS):
    """A back-office API endpoint (below the router's decorator): one of `roles`, else the
    API's 404. Sign-in itself is the router's `auth=AUTH`."""

    def decorate(endpoint):
        @wraps(endpoint)
        def wrapper(request, *args, **kwargs):
            access.require(request.user, roles)
            return endpoint(request, *args, **kwargs)

        return wrapper

    return decorate
