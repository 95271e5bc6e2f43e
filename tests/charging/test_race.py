"""One slot, many riders at once, over real HTTP: exactly one holds it. And the race
itself, step by step, without the guard (two holds of one slot) and with it, on SQLite and
PostgreSQL.

The guard is the database's: partial unique indexes allow one active hold per slot and one
per person (Reservation's constraints). The service's own check comes first for a friendly
answer; the index decides when two requests pass the check together."""

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection, connections

from dangqun.accounts.services import api_token_create
from dangqun.charging import services
from dangqun.charging.errors import SlotTaken
from dangqun.charging.models import Reservation, Slot
from dangqun.core.errors import DomainError
from tests import factories
from tests.races import WAIT, bearer, together

from .helpers import room_with_cabinet

CONSTRAINT = "reservation_one_per_slot"


@pytest.fixture
def slot(race_db, district):
    _room, cabinet, _secret = room_with_cabinet(district.cangqian, charging=2, swap=0)
    return Slot.objects.get(cabinet=cabinet, number=1)


def _riders(count: int):
    people = [factories.PersonFactory() for _ in range(count)]
    return [(p, api_token_create(person=p, name="race")[1]) for p in people]


def _post_together(base_url: str, requests: list[tuple[str, str]]) -> list[tuple[int, dict]]:
    return together(base_url, [("POST", path, b"", bearer(token)) for path, token in requests])


def _active(slot) -> int:
    return Reservation.objects.filter(slot=slot, status=Reservation.Status.ACTIVE).count()


def _guard_present() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT COUNT(*) FROM pg_indexes WHERE indexname = %s", [CONSTRAINT])
        else:
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = %s", [CONSTRAINT])
        return cursor.fetchone()[0] == 1


@contextmanager
def guard_dropped():
    """Drop the one-hold-per-slot index for the block and put it back afterwards."""
    meta = Reservation._meta
    (unique,) = [c for c in meta.constraints if c.name == CONSTRAINT]
    with connection.schema_editor() as editor:
        editor.remove_constraint(Reservation, unique)
    assert not _guard_present()
    try:
        yield
    finally:
        # The double holds let in meanwhile would stop the index from coming back.
        Reservation.objects.filter(status=Reservation.Status.ACTIVE).update(
            status=Reservation.Status.CANCELLED
        )
        with connection.schema_editor() as editor:
            editor.add_constraint(Reservation, unique)
        assert _guard_present()


def _both_check_then_both_write(slot, people):
    """Two requests in two threads: each sees the slot unheld (as the request read it when
    it began), waits for the other to see it too, then holds it."""
    both_read = threading.Barrier(len(people), timeout=WAIT)

    def request(person):
        try:
            both_read.wait()
            return services.reservation_create(actor=person, slot=slot)
        except (DomainError, IntegrityError) as error:
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        futures = [pool.submit(request, person) for person in people]
        return [f.result(timeout=WAIT * 2) for f in futures]


def test_twenty_riders_at_once_one_holds_the_slot(live_server, slot):
    assert _guard_present()
    riders = _riders(20)
    path = f"/api/v1/charging/slots/{slot.pk}/reservations"

    answers = _post_together(live_server.url, [(path, token) for _p, token in riders])

    statuses = sorted(status for status, _body in answers)
    assert statuses == [201] + [409] * 19, answers
    for status, body in answers:
        if status == 409:
            assert body["code"] == "slot_taken"
            assert body["field"] == "slot"
    assert _active(slot) == 1
    (winner,) = [body for status, body in answers if status == 201]
    assert Reservation.objects.get(status="active").public_id.hex == winner["public_id"].replace(
        "-", ""
    )


def test_one_rider_from_eight_clients_at_once_gets_one_hold(live_server, slot):
    ((rider, token),) = _riders(1)
    other = Slot.objects.get(cabinet=slot.cabinet, number=2)
    paths = [f"/api/v1/charging/slots/{s.pk}/reservations" for s in (slot, other)] * 4

    answers = _post_together(live_server.url, [(path, token) for path in paths])

    assert sorted(status for status, _b in answers) == [201] + [409] * 7, answers
    assert Reservation.objects.filter(person=rider, status="active").count() == 1


def test_without_the_guard_two_riders_both_hold_the_slot(slot, monkeypatch):
    first, second = factories.PersonFactory(), factories.PersonFactory()
    # The careless service: it decides from what the request saw when it began (unheld).
    monkeypatch.setattr(services, "_slot_is_held", lambda _slot: False)

    with guard_dropped():
        outcomes = _both_check_then_both_write(slot, [first, second])
        assert all(isinstance(o, Reservation) for o in outcomes), outcomes
        assert _active(slot) == 2


def test_the_index_alone_refuses_the_second_hold(slot, monkeypatch):
    assert _guard_present()
    first, second = factories.PersonFactory(), factories.PersonFactory()
    monkeypatch.setattr(services, "_slot_is_held", lambda _slot: False)

    outcomes = _both_check_then_both_write(slot, [first, second])

    won = [o for o in outcomes if isinstance(o, Reservation)]
    refused = [o for o in outcomes if isinstance(o, SlotTaken)]
    assert len(won) == 1 and len(refused) == 1, outcomes
    assert _active(slot) == 1


def test_with_the_guard_and_the_check_the_loser_is_told_the_slot_is_taken(slot):
    assert _guard_present()
    first, second = factories.PersonFactory(), factories.PersonFactory()

    outcomes = _both_check_then_both_write(slot, [first, second])

    assert sorted(type(o).__name__ for o in outcomes) == ["Reservation", "SlotTaken"]
    assert _active(slot) == 1


def test_one_report_replayed_from_eight_clients_at_once_is_applied_once(live_server, slot):
    """The seen signatures live in the database, so parallel copies of one report (as
    several server processes would receive them) are accepted once."""
    from .helpers import signed

    cabinet = slot.cabinet
    secret = services.cabinet_secret(cabinet)
    body, headers = signed(secret, {"slots": [{"number": 1, "state": "charging"}]})
    report = (
        "POST",
        f"/api/v1/charging/devices/{cabinet.code}/report",
        body,
        {
            "Content-Type": "application/json",
            "X-Timestamp": headers["HTTP_X_TIMESTAMP"],
            "X-Signature": headers["HTTP_X_SIGNATURE"],
        },
    )
    answers = together(live_server.url, [report] * 8)

    assert sorted(status for status, _b in answers) == [200] + [409] * 7, answers
    assert {b["code"] for s, b in answers if s == 409} == {"replayed"}
    from dangqun.charging.models import ChargingSession

    assert ChargingSession.objects.filter(slot=slot).count() == 1
