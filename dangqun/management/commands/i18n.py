"""`dangqun i18n`: keep the translations in step without needing gettext at run time.

`dangqun i18n --extract` refreshes the .po catalogues from the code (this step runs
Django's makemessages and needs GNU gettext, on a developer's machine only);
`dangqun i18n` compiles every .po into the .mo that Django reads, in pure Python (polib),
so a fresh machine with no gettext gets the same .mo files the repository holds."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def catalogues() -> list[Path]:
    return sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/django.po"))


def untranslated(po) -> list[str]:
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]


class Command(BaseCommand):
    help = "Compile translations to .mo (pure Python); --extract refreshes .po first."

    def add_arguments(self, parser):
        parser.add_argument("--extract", action="store_true", help="run makemessages first")

    def handle(self, *args, extract, **options):
        import polib

        if extract:
            locales = [p.parent.parent.name for p in catalogues()]
            call_command(
                "makemessages",
                locale=locales,
                ignore_patterns=["tests/*"],
                no_obsolete=True,
                verbosity=0,
            )
        for path in catalogues():
            po = polib.pofile(str(path))
            missing = untranslated(po)
            po.save_as_mofile(str(path.with_suffix(".mo")))
            self.stdout.write(
                f"{path.parent.parent.name}: {len(po.translated_entries())} "
                f"translated, {len(missing)} missing"
            )
            for msgid in missing:
                self.stdout.write(f"  missing: {msgid!r}")
        if extract and any(untranslated(polib.pofile(str(p))) for p in catalogues()):
            raise CommandError("Some strings have no translation yet: fill them in the .po.")
