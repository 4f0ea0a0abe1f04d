from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communique import backups


class Command(BaseCommand):
    help = (
        "Load a dump made by `communique dump` into a new site, migrated with "
        "`communique migrate`, in one transaction. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The dump to restore.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the site's statements, comments and users first, "
            "instead of refusing a site that has any.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database to restore into (default: the site's).",
        )

    def handle(self, *args: object, **options) -> None:
        try:
            counts = backups.restore(
                options["file"],
                using=options["database"],
                replace=options["replace"],
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        total = sum(counts.values())
        self.stdout.write(
            ngettext(
                "Restored %(count)d row from %(file)s.",
                "Restored %(count)d rows from %(file)s.",
                total,
            )
            % {"count": total, "file": options["file"]}
        )
        self.stdout.write(
            _("Everyone signs in again: sessions are not part of a dump.")
        )
