from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from communique import pagecache
from communique.pagecache.tags import STATEMENT_LIST
from communique.search import index


class Command(BaseCommand):
    help = (
        "Write the search index again from every statement and comment, e.g. "
        "after a change to how text is folded for matching, and retire cached "
        "search pages."
    )

    def handle(self, *args: object, **options: object) -> None:
        statements, comments = index.rebuild()
        pagecache.invalidate(STATEMENT_LIST)  # the cached search pages
        self.stdout.write(
            _("Indexed %(statements)d statements and %(comments)d comments.")
            % {"statements": statements, "comments": comments}
        )
