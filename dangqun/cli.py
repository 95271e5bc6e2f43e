"""The `dangqun` command: Django's manage.py, plus the project's own commands
(`up`, `demo`, `bench`, ...) which live in dangqun/management/commands/."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangqun.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dangqun", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
