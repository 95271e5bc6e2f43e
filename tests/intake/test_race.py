"""Concurrent writes over real HTTP, on SQLite and PostgreSQL: many submissions at once get
distinct consecutive numbers (one counter row raised by one UPDATE); a rating sent from
several clients at once is stored once (a one-to-one row); the same step pressed by several
staff at once happens once (the request row is locked and its status read again)."""

import json

import pytest
from django.utils import timezone

from dangqun.accounts.services import api_token_create
from dangqun.intake import services
from dangqun.intake.models import Rating, RequestEvent, ServiceRequest
from dangqun.people.models import StaffRole
from tests import factories
from tests.races import bearer, together

from .conftest import FIELDS, GOOD_VALUES


def _post_together(base_url, requests):
    """POST every (path, token, body) at the same moment, each over its own connection."""
    sent = [("POST", path, json.dumps(b).encode(), bearer(token)) for path, token, b in requests]
    return together(base_url, sent)


@pytest.fixture
def setting(race_db, district):
    tree = district
    item = factories.service_item(tree.xianlin_center, code="party-transfer", fields=FIELDS)
    staff = [
        factories.staff(StaffRole.Role.CENTER_STAFF, tree.xianlin, tree.xianlin_center)
        for _ in range(4)
    ]
    return tree, item, staff


def _token(person):
    return api_token_create(person=person, name="race")[1]


def test_simultaneous_submissions_get_distinct_consecutive_numbers(live_server, setting):
    people = [factories.PersonFactory() for _ in range(6)]
    body = {"item": "party-transfer", "values": GOOD_VALUES}
    answers = _post_together(
        live_server.url, [("/api/v1/intake/requests", _token(p), body) for p in people]
    )
    assert [status for status, _ in answers] == [201] * 6, answers
    day = timezone.localdate().strftime("%Y%m%d")
    numbers = sorted(ServiceRequest.objects.values_list("number", flat=True))
    assert numbers == [f"YH-{day}-{n:04d}" for n in range(1, 7)]


def test_one_rating_and_one_step_however_many_press_at_once(live_server, setting):
    _tree, item, staff = setting
    person = factories.PersonFactory()
    request = services.request_submit(
        actor=person,
        person=person,
        item=item,
        channel="online",
        values=GOOD_VALUES,
        description="",
    )
    path = f"/api/v1/intake/staff/requests/{request.number}/accept"
    answers = _post_together(live_server.url, [(path, _token(s), {}) for s in staff])
    assert sorted(status for status, _ in answers) == [200, 409, 409, 409], answers
    assert RequestEvent.objects.filter(request=request, action="accepted").count() == 1
    services.request_resolve(actor=staff[0], request=request)
    token = _token(person)
    rate = f"/api/v1/intake/me/requests/{request.number}/rating"
    answers = _post_together(live_server.url, [(rate, token, {"score": 5})] * 5)
    assert sorted(status for status, _ in answers) == [201, 409, 409, 409, 409], answers
    assert Rating.objects.filter(request=request).count() == 1
    assert RequestEvent.objects.filter(request=request, action="rated").count() == 1
