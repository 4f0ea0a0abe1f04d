from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from communique.imports.command import ImportCommand
from communique.imports.drupal import import_drupal
from communique.imports.writes import ImportRun


class Command(ImportCommand):
    help = _(
        "Import statements and comments from a Drupal site's views: FILE "
        "lists the nodes, --comments FILE their comments (JSON or CSV). "
        "Importing again updates."
    )
    source = "drupal"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--comments",
            metavar="FILE",
            help=_("The comments view's file, imported after the nodes."),
        )
        parser.add_argument(
            "--signature",
            default="",
            help=_("The signature of statements whose row has none."),
        )

    def run_import(self, path: Path, run: ImportRun, **options: Any) -> None:
        comments = Path(options["comments"]) if options["comments"] else None
        if comments is not None and not comments.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": comments})
        import_drupal(path, run, comments_path=comments, signature=options["signature"])
