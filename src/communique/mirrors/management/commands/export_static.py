"""``communique export_static DIR``: the public site as plain files."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communique.mirrors.export import ExportError, check_copy, export_site

# How many names of missing or stale files --check lists before counting.
LISTED = 20


class Command(BaseCommand):
    help = (
        "Write the whole public site, in every language, as static files in DIR "
        "for a web server, a bucket, a CDN or a USB stick. Run again, it writes "
        "only what changed; --check only reports what is missing or stale."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument(
            "--base-url",
            metavar="URL",
            help="Absolute links under this address (where the copy is served) "
            "instead of relative ones.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; list files that are missing or stale and exit "
            "non-zero when there are any.",
        )

    def handle(self, *args: object, **options: object) -> None:
        directory = Path(str(options["directory"]))
        base_url = options["base_url"]
        try:
            if options["check"]:
                self._check(directory, base_url)
            else:
                self._export(directory, base_url)
        except ExportError as error:
            raise CommandError(str(error)) from None

    def _export(self, directory: Path, base_url) -> None:
        copy, outcome = export_site(directory, base_url=base_url)
        self._skipped(copy.skipped)
        self.stdout.write(
            _(
                "%(pages)d pages, %(files)d files in %(dir)s: %(written)d written, "
                "%(unchanged)d unchanged, %(removed)d removed."
            )
            % {
                "pages": copy.pages,
                "files": len(copy.files),
                "dir": directory,
                "written": len(outcome.written),
                "unchanged": outcome.unchanged,
                "removed": len(outcome.removed),
            }
        )

    def _check(self, directory: Path, base_url) -> None:
        copy, outcome = check_copy(directory, base_url=base_url)
        self._skipped(copy.skipped)
        for label, names in (
            (_("missing"), outcome.missing),
            (_("stale"), outcome.stale),
            (_("no longer on the site"), outcome.removed),
        ):
            for name in names[:LISTED]:
                self.stdout.write(f"{label}: {name}")
            if len(names) > LISTED:
                self.stdout.write(
                    _("%(label)s: … and %(count)d more")
                    % {"label": label, "count": len(names) - LISTED}
                )
        problems = len(outcome.missing) + len(outcome.stale) + len(outcome.removed)
        if problems:
            raise CommandError(
                ngettext(
                    "The copy in %(dir)s is out of date: %(count)d file differs "
                    "from the site (%(missing)d missing, %(stale)d stale, "
                    "%(removed)d no longer on the site).",
                    "The copy in %(dir)s is out of date: %(count)d files differ "
                    "from the site (%(missing)d missing, %(stale)d stale, "
                    "%(removed)d no longer on the site).",
                    problems,
                )
                % {
                    "dir": directory,
                    "count": problems,
                    "missing": len(outcome.missing),
                    "stale": len(outcome.stale),
                    "removed": len(outcome.removed),
                }
            )
        self.stdout.write(
            _("The copy in %(dir)s is up to date (%(count)d files).")
            % {"dir": directory, "count": outcome.unchanged}
        )

    def _skipped(self, skipped: list[tuple[str, int]]) -> None:
        for address, status in skipped:
            self.stderr.write(
                _("skipped %(address)s: the site answered %(status)d")
                % {"address": address, "status": status}
            )
