"""The test clients every test module uses: one JSON API client, one page client, one way
to count queries. (Each app's tests used to define their own.)"""

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dangqun.accounts.services import api_token_create

BACKEND = "dangqun.accounts.backends.PersonBackend"


def page_client(person=None, *, language: str = "en") -> Client:
    """A browser-like client that reads the given language (English by default, so tests
    can read the wording), signed in as the person if one is given."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if person is not None:
        client.force_login(person, backend=BACKEND)
    return client


class Api:
    """A JSON client of /api/v1/<base> that reads English. Signed in with a session (staff
    at a desk), or with `token=True` through a Bearer token (an app)."""

    def __init__(self, person=None, *, base: str = "", token: bool = False, language="en"):
        self.base = f"/api/v1{base}"
        self.client = Client()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        self.headers = {}
        if person is not None and token:
            _token, secret = api_token_create(person=person, name="测试")
            self.headers["Authorization"] = f"Bearer {secret}"
        elif person is not None:
            self.client.force_login(person, backend=BACKEND)

    def get(self, path, params=None):
        return self.client.get(f"{self.base}{path}", params or {}, headers=self.headers)

    def send(self, method: str, path: str, payload=None):
        return getattr(self.client, method)(
            f"{self.base}{path}",
            {} if payload is None else payload,
            content_type="application/json",
            headers=self.headers,
        )

    def post(self, path, payload=None):
        return self.send("post", path, payload)

    def put(self, path, payload=None):
        return self.send("put", path, payload)

    def patch(self, path, payload=None):
        return self.send("patch", path, payload)

    def delete(self, path, payload=None):
        return self.send("delete", path, payload)

    def post_multipart(self, path, data):
        return self.client.post(f"{self.base}{path}", data, headers=self.headers)


def error(response, status: int) -> dict:
    """The API's error body, after checking the status and the shape."""
    assert response.status_code == status, response.content
    body = response.json()
    assert {"code", "message", "field"} <= set(body)
    return body


def count_queries(fetch) -> tuple[int, object]:
    """How many queries `fetch()` ran, and what it returned."""
    with CaptureQueriesContext(connection) as queries:
        result = fetch()
    return len(queries), result
