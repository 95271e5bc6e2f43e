"""No double booking under contention: many clients at once over real HTTP, and the race
itself shown step by step, with and without the database's guard, on SQLite and PostgreSQL.

The guard is migrations/0002_no_overlap_guard: an exclusion constraint on PostgreSQL,
triggers on SQLite. The service checks for an overlap before it inserts; that check only
gives a friendly answer, the guard is what makes the answer true under concurrency."""

import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from importlib import import_module

import pytest
from django.db import IntegrityError, connection, connections
from django.db.models.signals import post_save
from django.utils import timezone

from dangqun.accounts.services import api_token_create
from dangqun.bookings import rules, services
from dangqun.bookings.errors import AlreadyBooked
from dangqun.bookings.models import Booking
from tests import factories
from tests.races import WAIT, bearer, together

GUARD = import_module("dangqun.bookings.migrations.0002_no_overlap_guard")


# --- helpers -------------------------------------------------------------------------------


def _day(days_ahead: int = 2) -> datetime:
    """Midnight in Shanghai a few days ahead: inside the default 30 days, never in the past."""
    local = timezone.localdate() + timedelta(days=days_ahead)
    return timezone.make_aware(datetime.combine(local, datetime.min.time()))


def _at(day: datetime, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return day + timedelta(hours=hours, minutes=minutes)


def _space():
    center = factories.CenterFactory(opening_hours=["24h"] * 7)
    return factories.SpaceFactory(center=center, is_bookable=True, capacity=50)


def _residents(count: int) -> list[tuple[object, str]]:
    """People, each with their own API token."""
    people = [factories.PersonFactory() for _ in range(count)]
    return [(p, api_token_create(person=p, name="race")[1]) for p in people]


def _overlapping_pairs() -> int:
    """Pairs of active bookings of one space whose times overlap, counted by the database."""
    active = "('pending', 'confirmed')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT COUNT(*) FROM bookings_booking a
                JOIN bookings_booking b ON a.space_id = b.space_id AND a.id < b.id
                WHERE a.status IN {active} AND b.status IN {active}
                  AND a."start" < b."end" AND b."start" < a."end" """
        )
        return cursor.fetchone()[0]


def _guard_present() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COUNT(*) FROM pg_constraint WHERE conname = 'booking_no_overlap'"
            )
            return cursor.fetchone()[0] == 1
        cursor.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'booking_no_overlap_%'"
        )
        return cursor.fetchone()[0] == 2


def _run_sql(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@contextmanager
def guard_removed():
    """Drop the overlap guard for the block; put it back with the migration's own SQL."""
    drop = {"postgresql": GUARD.POSTGRES_UNDO, "sqlite": GUARD.SQLITE_UNDO}[connection.vendor]
    create = {"postgresql": GUARD.POSTGRES, "sqlite": GUARD.SQLITE}[connection.vendor]
    _run_sql(drop)
    assert not _guard_present()
    try:
        yield
    finally:
        # The overlaps let in meanwhile would stop the constraint from coming back.
        Booking.objects.all().delete()
        _run_sql(create)
        assert _guard_present()


def _in_thread(function):
    """Run function in a thread of its own, with its own database connection."""

    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    return run


class _Checked:
    """What the service's overlap check found, kept so the caller can pause after it."""

    def __init__(self, taken: bool):
        self.taken = taken

    def exists(self) -> bool:
        return self.taken


def _pause_after_check(monkeypatch, pause) -> list[bool]:
    """Make the service's "is it free?" check run for real, then call pause(start) before
    the service goes on to insert. Returns the list of what each check found."""
    real = rules.overlapping
    found = []

    def check_then_pause(space, start, end):
        taken = real(space, start, end).exists()
        found.append(taken)
        pause(start)
        return _Checked(taken)

    monkeypatch.setattr(rules, "overlapping", check_then_pause)
    return found


def _book(person, space, start, end):
    """booking_create as the API calls it; returns the booking or the error it raised."""
    try:
        return services.booking_create(
            actor=person, space=space, start=start, end=end, purpose="race", headcount=2
        )
    except AlreadyBooked as error:
        return error


def _interleaved(monkeypatch, space, people, slots):
    """PostgreSQL: two requests run booking_create in two threads (two connections). Each
    pauses right after its overlap check until both have checked, so both see the time free.
    Then the first inserts, and the second inserts while the first has not committed yet:
    the interleaving that a check-then-insert without a guard gets wrong."""
    both_checked = threading.Barrier(2, timeout=WAIT)
    first_inserted = threading.Event()
    first_start = slots[0][0]

    def pause(start):
        both_checked.wait()
        if start != first_start:
            assert first_inserted.wait(WAIT)

    def on_insert(sender, instance, created, **kwargs):
        if created and instance.start == first_start:
            first_inserted.set()

    found = _pause_after_check(monkeypatch, pause)
    post_save.connect(on_insert, sender=Booking, weak=False)
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [
                pool.submit(_in_thread(_book), person, space, start, end)
                for person, (start, end) in zip(people, slots, strict=True)
            ]
            outcomes = [f.result(timeout=WAIT) for f in futures]
    finally:
        post_save.disconnect(on_insert, sender=Booking)
    assert found == [False, False], "both requests passed the check before either inserted"
    assert first_inserted.is_set()
    return outcomes


def _post_together(base_url: str, requests: list[tuple[str, dict]]) -> list[tuple[int, dict]]:
    """POST every (token, body) to /api/v1/bookings at the same moment. Returns (status,
    JSON body) in order."""
    sent = [("POST", "/api/v1/bookings", json.dumps(b).encode(), bearer(t)) for t, b in requests]
    return together(base_url, sent)


def _body(space, start: datetime, end: datetime) -> dict:
    return {
        "space_id": space.pk,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "purpose": "同一时段争抢",
        "headcount": 3,
    }


def _assert_already_booked(status: int, body: dict) -> None:
    assert status == 409, body
    assert body["code"] == "already_booked"
    assert body["field"] == "start"
    assert body["message"].strip()


# --- many clients at once, over HTTP -------------------------------------------------------


def test_twenty_concurrent_requests_for_one_slot_book_it_once(live_server, race_db):
    assert _guard_present()
    space = _space()
    day = _day()
    start, end = _at(day, "10:00"), _at(day, "11:30")
    residents = _residents(21)

    answers = _post_together(
        live_server.url, [(token, _body(space, start, end)) for _person, token in residents]
    )

    accepted = [body for status, body in answers if status == 201]
    assert len(accepted) == 1, answers
    for status, body in answers:
        if status != 201:
            _assert_already_booked(status, body)
    active = Booking.objects.filter(space=space, status__in=Booking.ACTIVE)
    assert active.count() == 1
    assert str(active.get().public_id) == accepted[0]["public_id"]
    assert accepted[0]["status"] == "confirmed"


# Three groups on one day, far enough apart not to touch each other. In each of the first
# two every slot contains the same half hour, so exactly one of the group can win; the third
# is a chain where neighbours overlap, so one to three of it win.
SAME_HALF_HOUR_10 = [
    ("09:00", "11:00"),
    ("10:00", "12:00"),
    ("10:00", "11:30"),
    ("09:30", "10:30"),
    ("10:00", "10:30"),
    ("08:00", "12:00"),
    ("10:00", "11:00"),
    ("09:00", "10:30"),
]
SAME_HALF_HOUR_15 = [
    ("14:00", "16:00"),
    ("15:00", "15:30"),
    ("14:30", "15:30"),
    ("15:00", "17:00"),
    ("13:00", "16:00"),
    ("15:00", "16:00"),
    ("14:00", "15:30"),
    ("13:30", "17:00"),
]
CHAIN = [
    ("18:00", "19:00"),
    ("18:30", "19:30"),
    ("19:00", "20:00"),
    ("19:30", "20:30"),
    ("20:00", "21:00"),
    ("18:00", "21:00"),
]


def _overlap(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def test_concurrent_overlapping_requests_leave_no_overlap(live_server, race_db):
    assert _guard_present()
    space = _space()
    day = _day(3)
    groups = [SAME_HALF_HOUR_10, SAME_HALF_HOUR_15, CHAIN]
    slots = [(_at(day, a), _at(day, b)) for group in groups for a, b in group]
    group_of = [n for n, group in enumerate(groups) for _slot in group]
    residents = _residents(len(slots))

    answers = _post_together(
        live_server.url,
        [(token, _body(space, *slot)) for (_p, token), slot in zip(residents, slots, strict=True)],
    )

    won = [slot for slot, (status, _body_) in zip(slots, answers, strict=True) if status == 201]
    won_groups = [g for g, (status, _b) in zip(group_of, answers, strict=True) if status == 201]
    assert won_groups.count(0) == 1
    assert won_groups.count(1) == 1
    assert 1 <= won_groups.count(2) <= 3
    for slot, (status, body) in zip(slots, answers, strict=True):
        if status != 201:
            _assert_already_booked(status, body)
            assert any(_overlap(slot, w) for w in won), "refused without a booking in the way"
    assert not any(_overlap(a, b) for i, a in enumerate(won) for b in won[i + 1 :])
    assert Booking.objects.filter(space=space, status__in=Booking.ACTIVE).count() == len(won)
    assert _overlapping_pairs() == 0


# --- the race, step by step ----------------------------------------------------------------


def test_without_the_guard_the_race_lets_an_overlap_in(race_db, monkeypatch):
    space = _space()
    day = _day()
    (first, _t1), (second, _t2) = _residents(2)
    slots = [(_at(day, "09:00"), _at(day, "11:00")), (_at(day, "10:00"), _at(day, "12:00"))]

    with guard_removed():
        if connection.vendor == "postgresql":
            outcomes = _interleaved(monkeypatch, space, [first, second], slots)
            # Both checks said "free" and nothing stopped either insert: the race is real.
            assert all(isinstance(o, Booking) for o in outcomes), outcomes
        else:
            # SQLite runs every write transaction as BEGIN IMMEDIATE (settings), so two
            # services' check-then-insert cannot interleave: the second waits for the first
            # to commit and then its check sees the booking (the next test shows the wait).
            # What the triggers add is that no writer, checked or not, gets an overlap in:
            # without them, an insert made as by a request whose check ran before the other
            # committed goes straight through.
            assert isinstance(_book(first, space, *slots[0]), Booking)
            Booking.objects.create(
                space=space,
                booker=second,
                created_by=second,
                start=slots[1][0],
                end=slots[1][1],
                purpose="race",
                headcount=2,
                status=Booking.Status.CONFIRMED,
            )
        assert Booking.objects.filter(space=space, status__in=Booking.ACTIVE).count() == 2
        assert _overlapping_pairs() == 1


def test_with_the_guard_the_loser_of_the_race_gets_already_booked(race_db, monkeypatch):
    assert _guard_present()
    space = _space()
    day = _day()
    (first, _t1), (second, _t2) = _residents(2)
    slots = [(_at(day, "09:00"), _at(day, "11:00")), (_at(day, "10:00"), _at(day, "12:00"))]

    if connection.vendor == "postgresql":
        outcomes = _interleaved(monkeypatch, space, [first, second], slots)
        booked = [o for o in outcomes if isinstance(o, Booking)]
        refused = [o for o in outcomes if isinstance(o, AlreadyBooked)]
        assert len(booked) == 1 and len(refused) == 1, outcomes
        # The check had said "free": the refusal came from the database's constraint and
        # the service turned the IntegrityError into AlreadyBooked.
        cause = refused[0].__context__
        assert isinstance(cause, IntegrityError)
        assert "booking_no_overlap" in str(cause)
    else:
        _sqlite_writers_wait_for_each_other(monkeypatch, space, [first, second], slots)
        # And a writer that skips the check is refused by the trigger.
        with pytest.raises(IntegrityError, match="booking_no_overlap"):
            Booking.objects.create(
                space=space,
                booker=second,
                created_by=second,
                start=slots[1][0],
                end=slots[1][1],
                purpose="race",
                headcount=2,
                status=Booking.Status.PENDING,
            )
    assert Booking.objects.filter(space=space, status__in=Booking.ACTIVE).count() == 1
    assert _overlapping_pairs() == 0


def _sqlite_writers_wait_for_each_other(monkeypatch, space, people, slots):
    """While one booking_create sits between its check and its insert, it holds SQLite's
    write lock (BEGIN IMMEDIATE): another connection cannot begin a write transaction, so
    it cannot run its own check until the first has committed. Readers still read (WAL)."""
    checked, go_on = threading.Event(), threading.Event()

    def pause(_start):
        checked.set()
        assert go_on.wait(WAIT)

    found = _pause_after_check(monkeypatch, pause)
    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(_in_thread(_book), people[0], space, *slots[0])
        try:
            assert checked.wait(WAIT)
            other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.2)
            other.isolation_level = None
            try:
                assert other.execute("SELECT COUNT(*) FROM bookings_booking").fetchone() == (0,)
                with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                    other.execute("BEGIN IMMEDIATE")
            finally:
                other.close()
        finally:
            go_on.set()
        assert isinstance(first.result(timeout=WAIT), Booking)
    # Now the second request runs; its check sees the first booking and refuses politely,
    # before the database has to.
    refused = _book(people[1], space, *slots[1])
    assert isinstance(refused, AlreadyBooked)
    assert refused.__context__ is None
    assert found == [False, True]


def test_a_deadlock_between_two_overlapping_inserts_is_an_already_booked(race_db):
    """PostgreSQL checks the exclusion constraint after writing the row, so two
    transactions that each hold a row the other overlaps wait for each other; PostgreSQL
    cancels one ("deadlock detected"). That one lost the race: AlreadyBooked, not a 500."""
    if connection.vendor == "sqlite":
        # Writers cannot hold rows at the same time here: each takes the write lock when
        # its transaction begins, so there is no cycle to detect.
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        return
    space = _space()
    person = factories.PersonFactory()
    day = _day()
    first_row_in = [threading.Event(), threading.Event()]
    outcomes: list[object] = [None, None]

    def writer(me: int, first: str, second: str) -> None:
        try:
            with services.transaction.atomic():
                for index, hhmm in enumerate((first, second)):
                    if index == 1:
                        first_row_in[me].set()
                        assert first_row_in[1 - me].wait(WAIT)
                    start = _at(day, hhmm)
                    services._insert(
                        space=space,
                        booker=person,
                        created_by=person,
                        start=start,
                        end=start + timedelta(hours=1),
                        purpose="x",
                        headcount=1,
                        status=Booking.Status.CONFIRMED,
                    )
            outcomes[me] = "booked"
        except AlreadyBooked as lost:
            outcomes[me] = lost
        finally:
            connections.close_all()

    # Each writer first takes one slot, then reaches for the other's: a cycle.
    threads = [
        threading.Thread(target=writer, args=(0, "09:00", "11:00")),
        threading.Thread(target=writer, args=(1, "11:00", "09:00")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
    assert sorted(map(type, outcomes), key=str) == sorted([str, AlreadyBooked], key=str)
    assert Booking.objects.filter(space=space).count() == 2
