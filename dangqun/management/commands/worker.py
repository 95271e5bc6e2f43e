"""`dangqun worker`: the background worker alone. It runs the tasks waiting in the database
(reminders before sessions, offers from the waiting list that lapse) once they are due.

It is django-tasks-db's `db_worker` with the same options (--interval, --batch, --max-tasks,
--queue-name, --no-startup-delay, ...), plus what a long-running service needs:

- SIGTERM, or a first Ctrl-C, lets the task in hand finish and then stops. A repeated
  SIGTERM asks the same again instead of killing the task (a service manager and `dangqun
  up` may both send one); only a second Ctrl-C stops at once.
- --parent-pid PID: stop as on SIGTERM once PID is no longer the parent, so a worker that
  `dangqun up` started does not outlive it even when `up` itself is killed.
- The database being away for a while (a PostgreSQL restart) is waited out with growing
  pauses instead of ending the worker. With --batch the error ends the run: it is the answer.

With --batch (tests, CI, cron) the signal handlers of the caller are put back afterwards.
"""

import logging
import os
import signal
import threading
import time

from django.core.management.base import CommandError
from django.db import InterfaceError, OperationalError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

logger = logging.getLogger("dangqun.worker")

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name)
)
PARENT_CHECK_SECONDS = 1.0
LONGEST_PAUSE = 60  # seconds between tries while the database is away


class ServiceWorker(Worker):
    def shutdown(self, signum, frame) -> None:
        if not self.running and signum != signal.SIGINT:
            logger.info("Received %s again: still finishing the task in hand.", signum)
            return
        super().shutdown(signum, frame)

    def run(self) -> None:
        if self.batch:
            return super().run()
        failures = 0
        while self.running:
            started = time.monotonic()
            try:
                return super().run()
            except (OperationalError, InterfaceError) as error:
                failures = failures + 1 if time.monotonic() - started < LONGEST_PAUSE else 1
                pause = min(LONGEST_PAUSE, 2**failures)
                logger.warning("Database unavailable (%s); trying again in %d s.", error, pause)
                connections.close_all()
                time.sleep(pause)  # a stop signal ends the sleep and the worker
        return None


def _stop_when_orphaned(parent_pid: int) -> None:
    """In a thread: once the parent is gone, ask this process to stop as SIGTERM would."""
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_SECONDS)
    logger.warning("The process that started the worker (pid %s) is gone; stopping.", parent_pid)
    os.kill(os.getpid(), signal.SIGTERM)


class Command(DbWorkerCommand):
    help = (
        "Run the background worker: reminders before sessions, offers that lapse, and every "
        "other task queued in the database, each once it is due. `dangqun up` starts one; "
        "run this beside `dangqun up --no-worker`, or to add workers. --batch runs what is "
        "due now and exits."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--parent-pid",
            type=int,
            default=None,
            help="stop (as on SIGTERM) once this process is no longer the worker's parent",
        )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        parent_pid: int | None,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ServiceWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloaded child runs tasks
            run_with_reloader(worker.run)
            return
        if parent_pid is not None:
            threading.Thread(
                target=_stop_when_orphaned, args=(parent_pid,), name="parent-watch", daemon=True
            ).start()
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = {s: signal.getsignal(s) for s in STOP_SIGNALS} if in_main_thread else {}
        try:
            if in_main_thread:
                worker.configure_signals()
            worker.run()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
