"""``communique import-wordpress FILE.xml``: a WordPress site, from the file
of Tools → Export → All content."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from communique.imports.command import ImportCommand
from communique.imports.wordpress.importer import import_export
from communique.imports.wordpress.mapping import Choices
from communique.imports.wordpress.wxr import read_export
from communique.imports.writes import ImportRun

TOPIC_SOURCES = ("categories", "tags")


def topic_sources(value: str) -> frozenset[str]:
    """``categories,tags``, ``tags``, ``none`` ... as a set of sources."""
    names = {name.strip() for name in value.split(",") if name.strip()}
    if names == {"none"}:
        return frozenset()
    unknown = names - set(TOPIC_SOURCES)
    if unknown:
        raise argparse.ArgumentTypeError(
            _("unknown topic source %(names)s; use categories, tags or none")
            % {"names": ", ".join(sorted(unknown))}
        )
    return frozenset(names)


class Command(ImportCommand):
    help = (
        "Import posts and their comments from a WordPress export file "
        "(Tools → Export → All content). Running it again updates what "
        "changed and leaves the rest alone."
    )
    source = "wordpress"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--include-pages",
            action="store_true",
            help=_("Import pages too, as statements (by default only posts)."),
        )
        parser.add_argument(
            "--include-pingbacks",
            action="store_true",
            help=_("Import pingbacks and trackbacks as comments (skipped by default)."),
        )
        parser.add_argument(
            "--signature-from",
            choices=("author", "category"),
            default="author",
            help=_(
                "Sign each statement with its author's display name (default) "
                "or with its first category."
            ),
        )
        parser.add_argument(
            "--signature",
            metavar="TEXT",
            default="",
            help=_("Sign every statement with TEXT (overrides --signature-from)."),
        )
        parser.add_argument(
            "--topics",
            type=topic_sources,
            default=frozenset(TOPIC_SOURCES),
            metavar="SOURCES",
            help=_(
                "What becomes topics: categories, tags, both "
                "(categories,tags: the default) or none."
            ),
        )

    def run_import(self, path: Path, run: ImportRun, **options: Any) -> None:
        choices = Choices(
            include_pages=options["include_pages"],
            include_pingbacks=options["include_pingbacks"],
            signature_from=options["signature_from"],
            signature=" ".join(options["signature"].split()),
            topics=options["topics"],
        )
        import_export(read_export(path), run, choices)
