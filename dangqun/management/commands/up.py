"""`dangqun up`: create and migrate the database, load the demo district when it is
empty, collect static files, and serve with the production server."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from dangqun import demo
from dangqun.server import serve


class Command(BaseCommand):
    help = "Set up the database if needed and serve the site with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-demo", action="store_true", help="do not load the demo data")
        parser.add_argument("--workers", type=int, default=None)
        parser.add_argument("--threads", type=int, default=None)

    def handle(self, *args, host, port, no_demo, workers, threads, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            "Database ready: " + settings.DATABASES["default"]["ENGINE"].split(".")[-1]
        )
        if not no_demo and demo.is_empty():
            figures = demo.load()
            self.stdout.write(
                "Demo district loaded: " + ", ".join(f"{k}={v}" for k, v in figures.items())
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
        self.stdout.flush()
        # Workers are forked: none may inherit the set-up's database connection.
        connections.close_all()
        serve(host=host, port=port, workers=workers, threads=threads)
