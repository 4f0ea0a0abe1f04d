from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from communique.imports.command import ImportCommand
from communique.imports.disqus import import_disqus
from communique.imports.writes import ImportRun


class Command(ImportCommand):
    help = _(
        "Import the comments of a Disqus export (XML) onto the statements "
        "already here, matched by their addresses. Importing again updates."
    )
    source = "disqus"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--site-url",
            action="append",
            default=[],
            metavar="URL",
            help=_(
                "The old site's address (repeat for each domain it had); "
                "threads on other hosts are reported and skipped. Without "
                "it, threads on every host are matched."
            ),
        )
        parser.add_argument(
            "--pending",
            action="store_true",
            help=_("Hold every comment that is neither spam nor deleted for review."),
        )

    def run_import(self, path: Path, run: ImportRun, **options: Any) -> None:
        import_disqus(
            path, run, site_urls=options["site_url"], pending=options["pending"]
        )
