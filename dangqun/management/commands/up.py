"""`dangqun up`: create and migrate the database, load the demo district when it is
empty, set the demo charging room's cabinets playing (charging/demo_play.py), collect
static files, start the background worker (`dangqun worker`, a process of its own) and
serve with the production server. Stopping `up` stops both."""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from dangqun import demo
from dangqun.charging import demo_play
from dangqun.core import sms
from dangqun.server import serve
from dangqun.volunteers import tasks as volunteers_tasks


class Command(BaseCommand):
    help = "Set up the database if needed and serve the site with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-demo", action="store_true", help="do not load the demo data")
        parser.add_argument("--workers", type=int, default=None)
        parser.add_argument("--threads", type=int, default=None)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the background worker (run `dangqun worker` separately)",
        )

    def handle(self, *args, host, port, no_demo, workers, threads, no_worker, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            "Database ready: " + settings.DATABASES["default"]["ENGINE"].split(".")[-1]
        )
        if not no_demo and demo.is_empty():
            with sms.held() as texts:
                figures = demo.load()
            self.stdout.write(
                "Demo district loaded: " + ", ".join(f"{k}={v}" for k, v in figures.items())
            )
            self.stdout.write(f"{texts[0]} text messages of the demo's invented people not sent.")
        if demo_play.player_start():
            self.stdout.write(
                "The demo charging room's cabinets report every "
                f"{demo_play.turn_seconds()} s while the worker runs."
            )
        if volunteers_tasks.round_start():
            self.stdout.write(
                "The volunteers' round (closing shifts, the demo teams' shifts) runs every "
                f"{volunteers_tasks.ROUND_SECONDS // 60} min while the worker runs."
            )
        call_command("collectstatic", interactive=False, verbosity=0)
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        self.stdout.write(self.style.SUCCESS(f"Open http://{shown}:{port}/"))
        if not no_demo:
            self.stdout.write(
                f"Demo staff sign-in: http://{shown}:{port}/accounts/sign-in/password/ "
                f"mobile {demo.DEMO_STAFF_MOBILE}, password {demo.demo_password()}\n"
                "Or sign in with any mobile number: the SMS code is printed in this log."
            )
        # Workers are forked: none may inherit the set-up's database connection.
        connections.close_all()
        if no_worker:
            self.stdout.write("No background worker: run `dangqun worker` beside this server.")
            self.stdout.flush()
            serve(host=host, port=port, workers=workers, threads=threads)
            return
        worker = BackgroundWorker()
        try:
            self.stdout.write(f"Background worker started (pid {worker.process.pid}).")
            self.stdout.flush()
            serve(host=host, port=port, workers=workers, threads=threads)
        finally:
            # gunicorn's forked workers leave through here too; only `up` itself stops it.
            if os.getpid() == worker.owner:
                worker.stop()


class BackgroundWorker:
    """`dangqun worker` as a child process, in this process group: Ctrl-C in a terminal and
    a signal to the whole group reach it as they reach gunicorn. It stops by itself if this
    process disappears without stopping it (--parent-pid)."""

    STOP_TIMEOUT = 30  # seconds for the task in hand to finish before the worker is killed

    def __init__(self):
        self.owner = os.getpid()
        command = [sys.executable, "-m", "dangqun.cli", "worker", "--no-reload"]
        command += ["--parent-pid", str(self.owner)]
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL)

    def stop(self) -> None:
        """SIGTERM: the worker finishes its task and exits; a second one changes nothing,
        so it is safe when the worker already had one (Ctrl-C, a service manager)."""
        self.process.send_signal(signal.SIGTERM)  # a no-op once it has exited
        try:
            self.process.wait(timeout=self.STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=self.STOP_TIMEOUT)
