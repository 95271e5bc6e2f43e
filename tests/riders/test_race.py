"""A rider's first registration sent several times at once (a double tap on a slow network,
two phones) over real HTTP: every request answers 200, and the database holds one rider
profile and one new-employment tag. On SQLite and PostgreSQL."""

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from dangqun.accounts.services import api_token_create
from dangqun.people.models import PersonTag
from dangqun.riders.models import RiderProfile
from tests import factories

WAIT = 30


@pytest.fixture
def race_db(django_db_serialized_rollback, transactional_db):
    """Committed rows that the live server's threads can see."""


def _put_together(base_url: str, token: str, bodies: list[dict]) -> list[tuple[int, dict]]:
    address = urlsplit(base_url)
    start_line = threading.Barrier(len(bodies), timeout=WAIT)

    def put(body: dict) -> tuple[int, dict]:
        client = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        try:
            client.connect()
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            start_line.wait()
            client.request("PUT", "/api/v1/riders/me", body=json.dumps(body), headers=headers)
            response = client.getresponse()
            raw = response.read()
            try:
                return response.status, json.loads(raw)
            except ValueError:
                return response.status, {"unexpected": raw[:300].decode(errors="replace")}
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return [f.result(timeout=120) for f in [pool.submit(put, b) for b in bodies]]


def test_first_registration_sent_at_once_makes_one_rider(race_db, live_server):
    person = factories.PersonFactory()
    _token, secret = api_token_create(person=person, name="race")
    bodies = [
        {
            "trade": "delivery",
            "platform": f"平台{i}",
            "location_consent": True,
            "work_lat": 30.29,
            "work_lng": 119.98,
        }
        for i in range(6)
    ]

    answers = _put_together(live_server.url, secret, bodies)

    assert [status for status, _body in answers] == [200] * 6, answers
    assert RiderProfile.objects.filter(person=person).count() == 1
    tags = PersonTag.objects.filter(person=person, tag="new_employment")
    assert tags.count() == 1
    assert tags.get().platform in {b["platform"] for b in bodies}
