"""How an API request says who it comes from. Every router imports AUTH from here (not
from the root API, which imports every router: that was an import cycle)."""

from ninja.security import HttpBearer, django_auth

from .services import api_token_person


class TokenAuth(HttpBearer):
    """Authorization: Bearer dq_... for API clients; the browser uses its session."""

    def authenticate(self, request, token):
        person = api_token_person(token)
        if person is not None:
            request.user = person
        return person


token_auth = TokenAuth()
# Either credential will do; the session variant checks CSRF on unsafe methods.
AUTH = [token_auth, django_auth]
