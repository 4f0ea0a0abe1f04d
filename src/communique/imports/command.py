"""What every importer's command shares: the file argument, ``--dry-run``,
one transaction, and the report printed item by item."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from communique.imports.report import ImportReport
from communique.imports.writes import ImportRun, SourceError


class ImportCommand(BaseCommand):
    """Subclasses name their ``source`` and implement ``run_import``."""

    source = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Print what would be created, updated and skipped; save nothing."),
        )

    def run_import(self, path: Path, run: ImportRun, **options: Any) -> None:
        raise NotImplementedError

    def handle(self, *args: object, file: str, dry_run: bool, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        run = ImportRun(source=self.source, report=ImportReport(dry_run=dry_run))
        try:
            with transaction.atomic():
                self.run_import(path, run, **options)
                run.finish()
                # A dry run does all the work, then undoes it: what it prints
                # is what a real run would do, to the item.
                transaction.set_rollback(dry_run)
        except SourceError as error:
            raise CommandError(
                _("%(path)s cannot be imported: %(error)s")
                % {"path": path, "error": error}
            ) from None
        self._print(run.report, verbosity=options.get("verbosity", 1))

    def _print(self, report: ImportReport, *, verbosity: int) -> None:
        for line in report.lines:
            if line.outcome is None:
                self.stderr.write(report.render_line(line))
            elif verbosity >= 1:
                self.stdout.write(report.render_line(line))
        self.stdout.write(report.summary())
