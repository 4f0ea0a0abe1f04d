"""Compile the project's translation catalogues (.po to .mo) in pure Python.

Django's ``compilemessages`` calls GNU gettext's ``msgfmt``; this command does
the same work with polib, so a machine without gettext can refresh the .mo
files after a .po has been edited. Like ``msgfmt``, it leaves untranslated and
fuzzy entries out of the .mo (readers see the English text for them) and lists
them, so that a translator knows what is left.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def catalogues(locale_paths: list[Path], languages: list[str]) -> list[Path]:
    """The .po files under ``locale_paths``, of ``languages`` if any are given."""
    found = []
    for root in locale_paths:
        for path in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
            if not languages or path.parent.parent.name in languages:
                found.append(path)
    return found


class Command(BaseCommand):
    help = (
        "Compile the .po catalogues in LOCALE_PATHS to .mo files without GNU "
        "gettext, and list the entries that still need a translation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--locale",
            "-l",
            action="append",
            default=[],
            help="Compile only this language (e.g. fa); may be given again.",
        )

    def handle(self, *args: object, **options) -> None:
        paths = catalogues([Path(p) for p in settings.LOCALE_PATHS], options["locale"])
        if not paths:
            raise CommandError(_("No .po catalogue found in LOCALE_PATHS."))
        for path in paths:
            self._compile(path)

    def _compile(self, path: Path) -> None:
        catalogue = polib.pofile(str(path))
        catalogue.save_as_mofile(str(path.with_suffix(".mo")))
        name = f"{path.parent.parent.name}/{path.name}"
        translated = len(catalogue.translated_entries())
        self.stdout.write(
            ngettext(
                "%(name)s: %(count)d entry compiled.",
                "%(name)s: %(count)d entries compiled.",
                translated,
            )
            % {"name": name, "count": translated}
        )
        left = [
            entry
            for entry in catalogue
            if not entry.obsolete and (entry.fuzzy or not entry.translated())
        ]
        if left:
            self.stderr.write(
                ngettext(
                    "%(count)d entry is untranslated or fuzzy and shows in "
                    "English until it is translated:",
                    "%(count)d entries are untranslated or fuzzy and show in "
                    "English until they are translated:",
                    len(left),
                )
                % {"count": len(left)}
            )
            for entry in left:
                first_line = entry.msgid.partition("\n")[0]
                self.stderr.write(f"  {first_line}")
