"""`dangqun bench <scenario>`: measure one scenario against a fresh database and the
production server started for the run. Scenarios are the modules of dangqun/bench/; each
prints its figures and the command ends with one JSON line holding them."""

import json

from django.core.management.base import BaseCommand, CommandError

from dangqun import bench


class Command(BaseCommand):
    help = (
        "Measure a scenario on a fresh database (a temporary SQLite file, or a scratch "
        "PostgreSQL database with --database-url) served by gunicorn on a loopback port. "
        "Prints the figures, then one JSON line."
    )
    # The bench never touches the database of its own settings, nor needs it checked.
    requires_system_checks = []

    def add_arguments(self, parser):
        scenarios = parser.add_subparsers(dest="scenario", metavar="scenario", required=True)
        for name, module in bench.scenarios().items():
            sub = scenarios.add_parser(name, help=module.HELP, description=module.__doc__)
            bench.add_common_arguments(sub)
            module.add_arguments(sub)

    def handle(self, *args, scenario: str, **options):
        module = bench.scenarios()[scenario]
        try:
            figures = module.run(options, write=self._write)
        except (ValueError, RuntimeError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(figures, ensure_ascii=False))
        if figures.get("double_bookings"):
            raise CommandError(f"{figures['double_bookings']} double bookings in the database")
        if figures.get("oversold"):
            raise CommandError(f"{figures['oversold']} places beyond capacity in the database")

    def _write(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
