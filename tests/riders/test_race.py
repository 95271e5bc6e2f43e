"""A rider's first registration sent several times at once (a double tap on a slow network,
two phones) over real HTTP: every request answers 200, and the database holds one rider
profile and one new-employment tag. On SQLite and PostgreSQL."""

import json

from dangqun.accounts.services import api_token_create
from dangqun.people.models import PersonTag
from dangqun.riders.models import RiderProfile
from tests import factories
from tests.races import bearer, together


def _put_together(base_url: str, token: str, bodies: list[dict]) -> list[tuple[int, dict]]:
    sent = [("PUT", "/api/v1/riders/me", json.dumps(b).encode(), bearer(token)) for b in bodies]
    return together(base_url, sent)


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
