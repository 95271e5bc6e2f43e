"""Background tasks of activities on the real queue (django-tasks-db's DatabaseBackend, as in
production): what is queued, when it is due, and what the worker does with it. Tasks are
made due by moving their run_after into the past, then `dangqun worker --batch` runs them.

The worker checks its database connection between tasks as a server does between requests
(and closes it when it is not good for reuse), so these tests commit for real, like the race
tests: transactional, each starting from the migrated database.

At the end, the worker as a process: `dangqun up` starts one beside gunicorn and stops it."""

import os
import re
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import dj_database_url
import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from dangqun.activities import services, tasks
from dangqun.activities.models import Activity, Registration
from dangqun.people.models import StaffRole
from tests import factories
from tests.test_setup import clean_env, dangqun_command, dangqun_up, throwaway_postgres

Status = Registration.Status
REMINDER = (
    "[Party-Mass Service] Reminder: %(title)s starts at %(when)s. Your check-in code: %(code)s."
)
WAIT = 60  # seconds a subprocess may take before the test gives up


@pytest.fixture
def queue_db(django_db_serialized_rollback, transactional_db):
    """Committed rows, so on_commit work (queuing tasks, texts) runs as in production."""


@pytest.fixture
def tree(queue_db):
    return factories.district_tree()


@pytest.fixture
def staff(tree):
    return factories.staff(StaffRole.Role.CENTER_STAFF, tree.xianlin, tree.xianlin_center)


def _queued(task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=task.module_path).order_by("run_after"))


def _make_due(task) -> None:
    """As if the clock had reached the tasks' time: their run_after moves into the past."""
    past = timezone.now() - timedelta(seconds=1)
    DBTaskResult.objects.filter(task_path=task.module_path, status="READY").update(run_after=past)


def _run_worker() -> None:
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def _published(staff, **fields) -> Activity:
    """A draft of the staff's center, published by them."""
    activity = factories.activity(staff.staff_roles.get().center, status="draft", **fields)
    return services.activity_publish(actor=staff, activity=activity)


def _sign_up(activity, *people) -> list[Registration]:
    return [services.registration_create(actor=p, activity=activity) for p in people]


def _reminder_in(language: str, activity, registration) -> str:
    start = timezone.localtime(activity.sessions.get().start)
    with translation.override(language):
        return gettext(REMINDER) % {
            "title": activity.title,
            "when": f"{start:%m-%d %H:%M}",
            "code": registration.short_code,
        }


# --- reminders -----------------------------------------------------------------------------


def test_publishing_queues_one_reminder_per_session_once_committed(staff):
    activity = factories.activity(
        staff.staff_roles.get().center, status="draft", sessions=2, reminder_minutes=90
    )
    with transaction.atomic():
        services.activity_publish(actor=staff, activity=activity)
        assert _queued(tasks.send_session_reminder) == []  # nothing before the commit

    queued = _queued(tasks.send_session_reminder)
    sessions = list(activity.sessions.order_by("start"))
    assert [q.args_kwargs["args"] for q in queued] == [[s.pk] for s in sessions]
    assert [q.run_after for q in queued] == [s.start - timedelta(minutes=90) for s in sessions]
    assert {q.status for q in queued} == {"READY"}
    assert {q.backend_name for q in queued} == {"default"}


def test_a_reminder_waits_for_its_time(staff, sms_outbox):
    activity = _published(staff)
    _sign_up(activity, factories.PersonFactory())
    sms_outbox.clear()
    _run_worker()
    assert sms_outbox == []
    assert activity.sessions.get().reminded_at is None
    assert [q.status for q in _queued(tasks.send_session_reminder)] == ["READY"]


def test_a_due_reminder_texts_each_confirmed_person_once_in_their_language(staff, sms_outbox):
    activity = _published(staff, capacity=3)
    english = factories.PersonFactory(language="en")
    chinese = factories.PersonFactory(language="zh-hans")
    quitter = factories.PersonFactory(language="en")
    default = factories.PersonFactory(language="")  # the site's language, Chinese
    waiting = factories.PersonFactory(language="en")
    first, second, left, promoted, last = _sign_up(
        activity, english, chinese, quitter, default, waiting
    )
    # The quitter's place goes to the first in line, who is then confirmed like the others.
    services.registration_cancel(actor=quitter, registration=left)
    promoted.refresh_from_db()
    last.refresh_from_db()
    assert (promoted.status, last.status) == (Status.CONFIRMED, Status.WAITLISTED)
    sms_outbox.clear()

    _make_due(tasks.send_session_reminder)
    _run_worker()

    assert sorted(sms_outbox) == sorted(
        [
            (english.mobile, _reminder_in("en", activity, first)),
            (chinese.mobile, _reminder_in("zh-hans", activity, second)),
            (default.mobile, _reminder_in("zh-hans", activity, promoted)),
        ]
    )
    english_text = dict(sms_outbox)[english.mobile]
    assert english_text.startswith(f"[Party-Mass Service] Reminder: {activity.title} starts at")
    assert first.short_code in english_text
    assert timezone.localtime(activity.sessions.get().start).strftime("%m-%d 09:00") in english_text
    session = activity.sessions.get()
    assert session.reminded_at is not None
    (done,) = _queued(tasks.send_session_reminder)
    assert (done.status, done.return_value) == ("SUCCESSFUL", 3)

    # The worker again: nothing is due, nothing is sent.
    sms_outbox.clear()
    _run_worker()
    assert sms_outbox == []
    # The same reminder queued a second time (a retry, a second publication): it sees the
    # session was reminded and sends nothing.
    tasks.send_session_reminder.enqueue(session.pk)
    _run_worker()
    assert sms_outbox == []
    assert [q.return_value for q in _queued(tasks.send_session_reminder)] == [3, 0]
    session.refresh_from_db()
    assert session.reminded_at is not None


def test_the_reminder_of_a_cancelled_activity_sends_nothing(staff, sms_outbox):
    activity = _published(staff)
    _sign_up(activity, factories.PersonFactory(), factories.PersonFactory())
    services.activity_cancel(actor=staff, activity=activity, reason="场地维修")
    sms_outbox.clear()

    _make_due(tasks.send_session_reminder)
    _run_worker()

    assert sms_outbox == []
    assert activity.sessions.get().reminded_at is None
    (done,) = _queued(tasks.send_session_reminder)
    assert (done.status, done.return_value) == ("SUCCESSFUL", 0)


# --- offers from the waiting list ----------------------------------------------------------


def _offer(tree) -> tuple[Activity, Registration, Registration, Registration]:
    """One place, held by the first of three; the holder cancels and the second is offered
    the place for two hours."""
    activity = factories.activity(tree.xianlin_center, capacity=1, promotion_confirm_hours=2)
    holder, offered, next_one = _sign_up(activity, *(factories.PersonFactory() for _ in "abc"))
    services.registration_cancel(actor=holder.person, registration=holder)
    offered.refresh_from_db()
    assert offered.status == Status.OFFERED
    return activity, holder, offered, next_one


def test_an_unanswered_offer_lapses_to_the_next_in_line_when_due(tree, sms_outbox):
    activity, _holder, offered, next_one = _offer(tree)
    (expiry,) = _queued(tasks.expire_offer)
    assert expiry.args_kwargs["args"] == [offered.pk]
    assert expiry.run_after == offered.offered_until

    _run_worker()  # not due yet: the offer stands
    offered.refresh_from_db()
    assert offered.status == Status.OFFERED

    # Two hours later: the offer has run out and its task is due.
    Registration.objects.filter(pk=offered.pk).update(
        offered_until=timezone.now() - timedelta(seconds=1)
    )
    _make_due(tasks.expire_offer)
    sms_outbox.clear()
    _run_worker()

    offered.refresh_from_db()
    next_one.refresh_from_db()
    activity.refresh_from_db()
    assert (offered.status, next_one.status, activity.taken) == (
        Status.EXPIRED,
        Status.OFFERED,
        1,
    )
    assert [mobile for mobile, _text in sms_outbox] == [next_one.person.mobile]
    # The next offer has its own expiry queued, due when that offer runs out.
    first, second = _queued(tasks.expire_offer)
    assert (first.status, first.return_value) == ("SUCCESSFUL", True)
    assert (second.status, second.args_kwargs["args"]) == ("READY", [next_one.pk])
    assert second.run_after == next_one.offered_until


def test_an_accepted_offer_is_left_alone_by_its_expiry(tree, sms_outbox):
    activity, _holder, offered, next_one = _offer(tree)
    services.offer_accept(actor=offered.person, registration=offered)
    sms_outbox.clear()

    _make_due(tasks.expire_offer)
    _run_worker()

    offered.refresh_from_db()
    next_one.refresh_from_db()
    activity.refresh_from_db()
    assert (offered.status, next_one.status, activity.taken) == (
        Status.CONFIRMED,
        Status.WAITLISTED,
        1,
    )
    assert sms_outbox == []
    (done,) = _queued(tasks.expire_offer)
    assert (done.status, done.return_value) == ("SUCCESSFUL", False)


def test_the_batch_worker_gives_the_callers_signal_handlers_back(queue_db):
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    _run_worker()
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


# --- the worker as a process ---------------------------------------------------------------


@pytest.fixture
def fresh_env(tmp_path):
    """A fresh var/ folder and, on a PostgreSQL run, a fresh database of its own."""
    env = clean_env(tmp_path / "var")
    url = os.environ.get("DATABASE_URL", "")
    if url and dj_database_url.parse(url)["ENGINE"].endswith("postgresql"):
        with throwaway_postgres(url) as fresh:
            env["DATABASE_URL"] = fresh
            yield env
    else:
        env.pop("DATABASE_URL", None)
        yield env


def _shell(env: dict, tmp_path: Path, code: str) -> str:
    done = subprocess.run(
        [*dangqun_command(), "shell", "-c", code],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=WAIT,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the live child processes of pid (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append((int(entry.name), cmdline))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_up_runs_one_worker_that_does_due_tasks_and_stops_with_up(tmp_path, fresh_env):
    with dangqun_up(tmp_path, fresh_env, "--no-demo") as server:
        server.wait_healthy()
        pid = int(re.search(r"Background worker started \(pid (\d+)\)", server.output())[1])
        workers = [c for c in _children(server.process.pid) if " worker " in c[1]]
        assert [p for p, _cmd in workers] == [pid]

        # A task queued in up's database, due now: the worker runs it.
        task_id = _shell(
            fresh_env,
            tmp_path,
            "from dangqun.activities.tasks import expire_offer; print(expire_offer.enqueue(0).id)",
        )
        check = (
            "from django_tasks_db.models import DBTaskResult as R; "
            f"r = R.objects.get(id='{task_id}'); print(r.status, r.return_value)"
        )
        for _attempt in range(20):
            state = _shell(fresh_env, tmp_path, check)
            if state not in ("READY None", "RUNNING None"):  # queued, or being run just now
                break
        assert state == "SUCCESSFUL False"

        # SIGTERM to up alone (not its group): gunicorn stops, and up stops the worker.
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=WAIT) == 0
        assert not _alive(pid)
        output = server.output()
        assert "Traceback" not in output, output
        assert "Shutting down: Master" in output


def test_up_without_a_worker_starts_none(tmp_path, fresh_env):
    with dangqun_up(tmp_path, fresh_env, "--no-demo", "--no-worker") as server:
        server.wait_healthy()
        output = server.output()
        assert "No background worker: run `dangqun worker` beside this server." in output
        assert "Background worker started" not in output
        assert f"Open {server.base}/" in output
        assert [c for c in _children(server.process.pid) if " worker " in c[1]] == []


def test_a_worker_whose_starter_is_killed_stops_by_itself(tmp_path, fresh_env):
    """`dangqun worker --parent-pid` as `up` starts it: when up dies without stopping it
    (SIGKILL), the worker notices and stops instead of running on alone."""
    with dangqun_up(tmp_path, fresh_env, "--no-demo") as server:
        server.wait_healthy()
        pid = int(re.search(r"Background worker started \(pid (\d+)\)", server.output())[1])
        assert _alive(pid)
        server.process.kill()
        server.process.wait(timeout=WAIT)
        for _attempt in range(WAIT * 10):  # it checks its parent every second
            if not _alive(pid):
                break
            time.sleep(0.1)
        assert not _alive(pid)
        assert "is gone; stopping" in server.output()
