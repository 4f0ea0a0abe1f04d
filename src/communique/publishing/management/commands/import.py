from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communique.publishing.importer import (
    StatementFileError,
    find_statement_files,
    import_statement_file,
)


class Command(BaseCommand):
    help = (
        "Import statements from Markdown files with YAML front matter, or from "
        "every .md file in the folders named. Importing again updates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")

    def handle(self, *args: object, paths: list[str], **options: object) -> None:
        try:
            files = list(find_statement_files(paths))
        except StatementFileError as error:
            raise CommandError(str(error)) from None
        failures = 0
        for path in files:
            try:
                outcome = import_statement_file(path)
            except StatementFileError as error:
                failures += 1
                self.stderr.write(_("error: %(error)s") % {"error": error})
                continue
            if outcome.created:
                report = _("created: %(title)s (%(url)s) from %(path)s")
            else:
                report = _("updated: %(title)s (%(url)s) from %(path)s")
            self.stdout.write(
                report
                % {
                    "title": outcome.statement.title,
                    "url": outcome.statement.get_absolute_url(),
                    "path": path,
                }
            )
        if failures:
            raise CommandError(
                ngettext(
                    "%(failures)d of %(total)d file could not be imported; "
                    "the others were imported.",
                    "%(failures)d of %(total)d files could not be imported; "
                    "the others were imported.",
                    len(files),
                )
                % {"failures": failures, "total": len(files)}
            )
        if not files:
            raise CommandError(_("No .md or .markdown files found."))
