"""Places never exceed capacity under contention: many residents sign up at once over real
HTTP, the same person signs up from several clients at once, cancellations and sign-ups
cross; and the race itself, shown step by step without the guard and with it, on SQLite
and PostgreSQL.

The guard is the database's: a check constraint (Activity.taken <= capacity), and a
sign-up that decides under the lock of the activity's row, which it takes before looking
at the places (services.registration._take_place_and_sign_up; everything that frees a place or moves
the queue takes the same lock first). The service never decides from a count it read
earlier, so there is nothing to race."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.db import IntegrityError, connection, connections, transaction
from django.db.models import F

from dangqun.accounts.services import api_token_create
from dangqun.activities import selectors, services
from dangqun.activities.models import Activity, Registration
from dangqun.activities.services import registration as sign_up_module
from dangqun.core.errors import DomainError
from tests import factories
from tests.races import WAIT, bearer, together

Status = Registration.Status
CONSTRAINT = "activity_never_over_capacity"


# --- helpers -------------------------------------------------------------------------------


def _residents(count: int) -> list[tuple[object, str]]:
    """People, each with their own API token."""
    people = [factories.PersonFactory() for _ in range(count)]
    return [(p, api_token_create(person=p, name="race")[1]) for p in people]


def _post_together(base_url: str, requests: list[tuple[str, str]]) -> list[tuple[int, dict]]:
    """POST to every (path, token) at the same moment. Returns (status, JSON body) in order."""
    return together(base_url, [("POST", path, b"", bearer(token)) for path, token in requests])


def _sign_up_path(activity: Activity) -> str:
    return f"/api/v1/activities/{activity.public_id}/registrations"


def _counts(activity: Activity) -> Counter:
    """Registrations of the activity by status, counted by the database."""
    return Counter(Registration.objects.filter(activity=activity).values_list("status", flat=True))


def _taken(activity: Activity) -> int:
    return Activity.objects.values_list("taken", flat=True).get(pk=activity.pk)


def _waiting(activity: Activity) -> int:
    """The activity's own count of its waiting list (not a count of the registrations)."""
    return Activity.objects.values_list("waiting", flat=True).get(pk=activity.pk)


def _active_twice(activity: Activity) -> list[int]:
    """People with more than one active registration for the activity."""
    people = Registration.objects.filter(
        activity=activity, status__in=Registration.ACTIVE
    ).values_list("person_id", flat=True)
    return [person for person, n in Counter(people).items() if n > 1]


def _guard_present() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT COUNT(*) FROM pg_constraint WHERE conname = %s", [CONSTRAINT])
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'activities_activity' "
                "AND sql LIKE %s",
                [f"%{CONSTRAINT}%"],
            )
        return cursor.fetchone()[0] == 1


@contextmanager
def constraint_dropped():
    """Drop the check constraint for the block; put it back as the migration made it.
    (SQLite cannot drop a constraint: the schema editor rebuilds the table from the model's
    constraints, so the model forgets it while the table is rebuilt.)"""
    meta = Activity._meta
    (check,) = [c for c in meta.constraints if c.name == CONSTRAINT]
    kept = [c for c in meta.constraints if c.name != CONSTRAINT]
    with connection.schema_editor() as editor:
        if connection.vendor == "sqlite":
            everything, meta.constraints = meta.constraints, kept
            try:
                editor.remove_constraint(Activity, check)
            finally:
                meta.constraints = everything
        else:
            editor.remove_constraint(Activity, check)
    assert not _guard_present()
    try:
        yield
    finally:
        # The oversold activities let in meanwhile would stop the constraint from coming back.
        Activity.objects.filter(taken__gt=F("capacity")).delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(Activity, check)
        assert _guard_present()


def _read_then_write(registration: Registration, walk_in: bool) -> bool:
    """What a sign-up would be without the guard: decide from the activity as the request
    read it (selectors.activity_public, when the request began), then write."""
    activity = registration.activity
    free = activity.taken < activity.capacity
    if free:
        Activity.objects.filter(pk=activity.pk).update(taken=F("taken") + 1)
    registration.status = Status.CONFIRMED if free else Status.WAITLISTED
    registration.save()
    return free


def _both_read_then_both_write(activity: Activity, people) -> list[object]:
    """Two requests in two threads (two connections): each reads the activity as the API
    does, waits until the other has read it too, then signs up. Returns each registration,
    or the error its sign-up raised."""
    both_read = threading.Barrier(len(people), timeout=WAIT)

    def request(person):
        try:
            seen = selectors.activity_public(activity.public_id)
            both_read.wait()
            return services.registration_create(actor=person, activity=seen)
        except (IntegrityError, DomainError) as error:
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        futures = [pool.submit(request, person) for person in people]
        return [f.result(timeout=WAIT * 2) for f in futures]


# --- many clients at once, over HTTP -------------------------------------------------------


def test_thirty_residents_at_once_fill_five_places_and_the_rest_wait(live_server, race_db):
    assert _guard_present()
    activity = factories.activity(capacity=5)
    residents = _residents(30)

    answers = _post_together(
        live_server.url, [(_sign_up_path(activity), token) for _person, token in residents]
    )

    assert [status for status, _body in answers] == [201] * 30, answers
    statuses = Counter(body["status"] for _status, body in answers)
    assert statuses == {"confirmed": 5, "waitlisted": 25}
    assert _taken(activity) == 5
    assert _counts(activity) == {Status.CONFIRMED: 5, Status.WAITLISTED: 25}
    assert _active_twice(activity) == []
    confirmed_in_db = set(
        Registration.objects.filter(activity=activity, status=Status.CONFIRMED).values_list(
            "public_id", flat=True
        )
    )
    assert {body["public_id"] for _s, body in answers if body["status"] == "confirmed"} == {
        str(public_id) for public_id in confirmed_in_db
    }
    # One waiting list, 1 to 25, in the order the sign-ups reached the activity's row: the
    # place in line each answer told is the place the queue gives it.
    waiting = {
        str(r.public_id): selectors.waiting_position(r)
        for r in Registration.objects.filter(activity=activity, status=Status.WAITLISTED)
    }
    assert sorted(waiting.values()) == list(range(1, 26))
    told = {body["public_id"]: body["waiting_position"] for _s, body in answers}
    assert {key: told[key] for key in waiting} == waiting
    assert _waiting(activity) == 25


def test_one_person_signing_up_from_eight_clients_at_once_gets_one_registration(
    live_server, race_db
):
    assert _guard_present()
    activity = factories.activity(capacity=5)
    ((person, token),) = _residents(1)

    answers = _post_together(live_server.url, [(_sign_up_path(activity), token)] * 8)

    created = [body for status, body in answers if status == 201]
    assert len(created) == 1, answers
    assert created[0]["status"] == "confirmed"
    for status, body in answers:
        if status != 201:
            assert status == 409, body
            assert body["code"] == "already_registered"
            assert body["field"] == "activity"
            assert body["message"].strip()
    assert Registration.objects.filter(activity=activity, person=person).count() == 1
    # The places taken by the requests that lost were given back with their transactions.
    assert _taken(activity) == 1


def test_cancellations_and_sign_ups_crossing_keep_places_and_registrations_in_step(
    live_server, race_db
):
    """Five holders cancel, two of the waiting cancel and twelve newcomers sign up, all at
    once. Each freed place is offered to the first in line (two hours to confirm) or given
    back; whatever the order, the places taken are exactly the confirmed and offered ones."""
    assert _guard_present()
    activity = factories.activity(capacity=5, promotion_confirm_hours=2)
    holders, waiting, newcomers = _residents(5), _residents(6), _residents(12)
    registrations = {
        person.pk: services.registration_create(actor=person, activity=activity)
        for person, _token in holders + waiting
    }
    assert _counts(activity) == {Status.CONFIRMED: 5, Status.WAITLISTED: 6}

    def cancel_path(person) -> str:
        return f"/api/v1/registrations/{registrations[person.pk].public_id}/cancel"

    requests = [(cancel_path(p), t) for p, t in holders + waiting[-2:]]
    requests += [(_sign_up_path(activity), t) for _p, t in newcomers]
    answers = _post_together(live_server.url, requests)

    assert [status for status, _body in answers] == [200] * 7 + [201] * 12, answers
    assert {body["status"] for _s, body in answers[:7]} == {"cancelled"}
    counts = _counts(activity)
    assert counts[Status.CANCELLED] == 7
    assert sum(counts.values()) == 5 + 6 + 12
    taken = _taken(activity)
    assert taken == counts[Status.CONFIRMED] + counts[Status.OFFERED]
    assert taken <= activity.capacity
    assert _waiting(activity) == counts[Status.WAITLISTED]
    assert _active_twice(activity) == []
    # The four who waited and stayed were first in line for the five freed places.
    for person, _token in waiting[:4]:
        registrations[person.pk].refresh_from_db()
        assert registrations[person.pk].status == Status.OFFERED


# --- the race, step by step ----------------------------------------------------------------


def test_without_the_guard_two_requests_for_the_last_place_both_get_it(race_db, monkeypatch):
    activity = factories.activity(capacity=1)
    first, second = factories.PersonFactory(), factories.PersonFactory()
    monkeypatch.setattr(sign_up_module, "_take_place_and_sign_up", _read_then_write)

    with constraint_dropped():
        outcomes = _both_read_then_both_write(activity, [first, second])
        # Both read "one place free" and nothing stopped either write: oversold.
        assert [o.status for o in outcomes] == [Status.CONFIRMED, Status.CONFIRMED], outcomes
        assert _counts(activity) == {Status.CONFIRMED: 2}
        assert _taken(activity) == 2 > activity.capacity


def test_the_check_constraint_alone_refuses_the_second_place(race_db, monkeypatch):
    """The same careless code with the constraint in place: the database refuses the write
    that would go over capacity, so the second request fails instead of overselling."""
    assert _guard_present()
    activity = factories.activity(capacity=1)
    first, second = factories.PersonFactory(), factories.PersonFactory()
    monkeypatch.setattr(sign_up_module, "_take_place_and_sign_up", _read_then_write)

    outcomes = _both_read_then_both_write(activity, [first, second])

    won = [o for o in outcomes if isinstance(o, Registration)]
    refused = [o for o in outcomes if isinstance(o, IntegrityError)]
    assert len(won) == 1 and len(refused) == 1, outcomes
    assert CONSTRAINT in str(refused[0]) or "CHECK constraint failed" in str(refused[0])
    assert _counts(activity) == {Status.CONFIRMED: 1}
    assert _taken(activity) == 1


def test_with_the_guard_the_loser_of_the_race_waits_in_line(race_db):
    """The real service, in the same interleaving: the conditional UPDATE decides on the
    row as it is when the write happens (on PostgreSQL the second UPDATE waits for the
    first to commit and checks again; on SQLite the second writer cannot begin until the
    first has committed), so the second request is put on the waiting list."""
    assert _guard_present()
    activity = factories.activity(capacity=1)
    first, second = factories.PersonFactory(), factories.PersonFactory()

    outcomes = _both_read_then_both_write(activity, [first, second])

    assert all(isinstance(o, Registration) for o in outcomes), outcomes
    assert sorted(o.status for o in outcomes) == [Status.CONFIRMED, Status.WAITLISTED]
    assert _counts(activity) == {Status.CONFIRMED: 1, Status.WAITLISTED: 1}
    assert _taken(activity) == 1


def _paused(name: str, moment: threading.Event, go_on: threading.Event, seen: list):
    """services.registration.<name>, pausing once it has run (still inside its caller's transaction)
    until go_on is set, or for two seconds at most; `seen` gets whether go_on was set
    during the pause (the other side was not held up)."""
    real = getattr(sign_up_module, name)

    def pausing(*args, **kwargs):
        result = real(*args, **kwargs)
        moment.set()
        seen.append(go_on.wait(timeout=2))
        return result

    return pausing


def _in_another_connection(work):
    def run():
        try:
            return work()
        finally:
            connections.close_all()

    return run


def test_a_cancellation_waits_for_a_sign_up_joining_the_queue_and_gives_it_the_place(
    race_db, monkeypatch
):
    """The newcomer's sign-up has joined the queue and not committed yet when the holder
    cancels in another connection. The cancellation cannot look for the first in line
    before the sign-up commits (the sign-up holds the activity's row; on SQLite, the
    database), so it sees the newcomer then and gives it the place. Without the lock it
    would have found nobody waiting, given the place back and left the newcomer waiting."""
    activity = factories.activity(capacity=1)
    holder, newcomer = factories.PersonFactory(), factories.PersonFactory()
    held = services.registration_create(actor=holder, activity=activity)
    joined, cancelled, seen = threading.Event(), threading.Event(), []
    pausing = _paused("_take_place_and_sign_up", joined, cancelled, seen)
    monkeypatch.setattr(sign_up_module, "_take_place_and_sign_up", pausing)

    def cancel():
        assert joined.wait(timeout=WAIT)
        services.registration_cancel(actor=holder, registration=held)
        cancelled.set()

    with ThreadPoolExecutor(max_workers=1) as pool:
        cancelling = pool.submit(_in_another_connection(cancel))
        with transaction.atomic():
            registration = services.registration_create(actor=newcomer, activity=activity)
            assert registration.status == Status.WAITLISTED
        cancelling.result(timeout=WAIT * 2)
    # The cancellation could not finish while the sign-up paused its two seconds.
    assert seen == [False]

    registration.refresh_from_db()
    assert (registration.status, _taken(activity), _waiting(activity)) == (
        Status.CONFIRMED,
        1,
        0,
    )
    assert _counts(activity) == {Status.CONFIRMED: 1, Status.CANCELLED: 1}


def test_a_sign_up_waits_for_a_cancellation_in_progress_and_takes_the_freed_place(
    race_db, monkeypatch
):
    """The other way round: the holder's cancellation has given its place back (nobody
    waits) and not committed yet when the newcomer signs up in another connection. The
    sign-up waits for it, then finds the place free."""
    activity = factories.activity(capacity=1)
    holder, newcomer = factories.PersonFactory(), factories.PersonFactory()
    held = services.registration_create(actor=holder, activity=activity)
    released, signed_up, seen = threading.Event(), threading.Event(), []
    pausing = _paused("_promote_next", released, signed_up, seen)
    monkeypatch.setattr(sign_up_module, "_promote_next", pausing)

    def sign_up():
        assert released.wait(timeout=WAIT)
        registration = services.registration_create(actor=newcomer, activity=activity)
        signed_up.set()
        return registration

    with ThreadPoolExecutor(max_workers=1) as pool:
        signing_up = pool.submit(_in_another_connection(sign_up))
        services.registration_cancel(actor=holder, registration=held)
        registration = signing_up.result(timeout=WAIT * 2)
    assert seen == [False]  # the sign-up could not finish while the cancellation paused

    assert registration.status == Status.CONFIRMED
    assert (_taken(activity), _waiting(activity)) == (1, 0)
    assert _counts(activity) == {Status.CONFIRMED: 1, Status.CANCELLED: 1}
