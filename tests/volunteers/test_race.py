"""A shift never gets more volunteers than places, and one person never holds two shifts at
the same time, when the requests come at the same moment over real HTTP, on SQLite and
PostgreSQL.

The places are the activities' guard (the sign-up decides under the lock of the shift's
activity row, tests/activities/test_race.py). Overlapping shifts are two activities, two
locks: the team's gate ("no other shift at that time") is asked before either is taken.
So services.shift_sign_up first holds the person's row until its commit; the second
sign-up of the same person waits there and its gate sees the first one's place. The race
without that lock is shown step by step below."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from dangqun.accounts.services import api_token_create
from dangqun.activities import services as activity_services
from dangqun.activities.models import Activity, Registration
from dangqun.core.errors import DomainError
from dangqun.volunteers import gate
from tests.races import WAIT, bearer, together

from .conftest import SHIFT_DAYS, make_crew, open_shift

ACTIVE = Registration.ACTIVE


@pytest.fixture
def tree(race_db, district):
    """The district's places, committed, where the server's threads can see them."""
    return district


def _token(person) -> str:
    return api_token_create(person=person, name="race")[1]


def _sign_up_path(shift) -> str:
    return f"/api/v1/volunteers/shifts/{shift.public_id}/sign-up"


def _post_together(base_url: str, requests: list[tuple[str, str]]) -> list[tuple[int, dict]]:
    return together(base_url, [("POST", path, b"", bearer(token)) for path, token in requests])


def _counts(shift) -> Counter:
    return Counter(
        Registration.objects.filter(activity=shift.activity).values_list("status", flat=True)
    )


def _taken(shift) -> int:
    return Activity.objects.values_list("taken", flat=True).get(pk=shift.activity_id)


def _active_shifts_of(person) -> int:
    return Registration.objects.filter(person=person, status__in=ACTIVE).count()


def test_twenty_members_at_once_fill_three_places_and_the_rest_wait(live_server, tree):
    crew = make_crew(tree, members=20, places=3)
    tokens = [_token(member) for member in crew.members]

    answers = _post_together(live_server.url, [(_sign_up_path(crew.shift), t) for t in tokens])

    assert [status for status, _body in answers] == [201] * 20, answers
    statuses = Counter(body["status"] for _status, body in answers)
    assert statuses == {"confirmed": 3, "waitlisted": 17}
    assert _taken(crew.shift) == 3
    assert _counts(crew.shift) == {"confirmed": 3, "waitlisted": 17}
    assert sorted(body["waiting_position"] for _s, body in answers if body["waiting_position"]) == (
        list(range(1, 18))
    )
    assert all(body["short_code"] for _s, body in answers if body["status"] == "confirmed")


def test_one_person_signing_up_for_two_overlapping_shifts_at_once_gets_one(live_server, tree):
    crew = make_crew(tree, members=1, places=5)
    member = crew.members[0]
    overlapping = [
        open_shift(crew, crew.leader, days=SHIFT_DAYS, hour=10 + n, hours=2) for n in (0, 0)
    ]
    overlapping.append(crew.shift)  # 09:00-12:00 overlaps both
    token = _token(member)
    requests = [(_sign_up_path(shift), token) for shift in overlapping for _ in range(3)]

    answers = _post_together(live_server.url, requests)

    placed = [body for status, body in answers if status == 201]
    assert len(placed) == 1, answers
    for status, body in answers:
        if status != 201:
            assert status in (403, 409), body
            assert body["field"] == "shift" and body["message"].strip(), body
    assert _active_shifts_of(member) == 1
    assert sum(_taken(shift) for shift in overlapping) == 1


def test_without_the_person_s_lock_two_overlapping_sign_ups_both_pass_the_gate(tree, monkeypatch):
    """The race the lock closes: two requests of one person each ask the gate, each hears
    "no other shift" (neither has signed up yet), then both sign up. This is the sign-up
    as it was, straight to the activities' service, with nothing held before the gate."""
    crew = make_crew(tree, members=1, places=5)
    member = crew.members[0]
    other = open_shift(crew, crew.leader, days=SHIFT_DAYS, hour=10, hours=2)
    both_asked = threading.Barrier(2, timeout=WAIT)
    asked = gate.overlapping_shift

    def ask_then_wait(person, shift):
        found = asked(person, shift)
        both_asked.wait()
        return found

    monkeypatch.setattr(gate, "overlapping_shift", ask_then_wait)

    def sign_up(shift):
        try:
            return activity_services.registration_create(actor=member, activity=shift.activity)
        except DomainError as refused:
            return refused
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        done = [
            f.result(timeout=WAIT * 2)
            for f in [pool.submit(sign_up, s) for s in (crew.shift, other)]
        ]

    assert all(isinstance(r, Registration) for r in done), done
    assert _active_shifts_of(member) == 2  # two shifts at the same time: the race
