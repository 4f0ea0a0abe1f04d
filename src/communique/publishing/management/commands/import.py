from django.core.management.base import BaseCommand, CommandError, CommandParser

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
                self.stderr.write(f"error: {error}")
                continue
            verb = "created" if outcome.created else "updated"
            self.stdout.write(
                f"{verb}: {outcome.statement.title} "
                f"({outcome.statement.get_absolute_url()}) from {path}"
            )
        if failures:
            raise CommandError(
                f"{failures} of {len(files)} files could not be imported; "
                "the others were imported."
            )
        if not files:
            raise CommandError("No .md or .markdown files found.")
