from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import ngettext

from communique import backups


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the whole site (statements, revisions, "
        "comments, moderation, users, settings kept in the database) to FILE, "
        "as gzip-compressed JSON. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Where to write the dump.")
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database to dump (default: the site's).",
        )

    def handle(self, *args: object, **options) -> None:
        try:
            counts = backups.dump(options["file"], using=options["database"])
        except (backups.BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        total = sum(counts.values())
        self.stdout.write(
            ngettext(
                "Wrote %(count)d row to %(file)s.",
                "Wrote %(count)d rows to %(file)s.",
                total,
            )
            % {"count": total, "file": options["file"]}
        )
        if options["verbosity"] > 1:
            for label, count in counts.items():
                self.stdout.write(f"  {label}: {count}")
