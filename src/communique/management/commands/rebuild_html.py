from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from communique import pagecache
from communique.comments.models import Comment
from communique.pagecache.tags import SITE
from communique.publishing.models import Statement
from communique.search import index

BATCH = 500


class Command(BaseCommand):
    help = (
        "Render the stored HTML of every statement and comment again from its "
        "source, e.g. after a change to a text format, index its text for search "
        "again, and retire cached pages."
    )

    def handle(self, *args: object, **options: object) -> None:
        for model in (Statement, Comment):
            changed = self._rebuild(model)
            self.stdout.write(
                _("%(things)s: %(count)d changed")
                % {"things": model._meta.verbose_name_plural, "count": changed}
            )
        pagecache.invalidate(SITE)

    def _rebuild(self, model) -> int:
        changed = 0
        last_pk = 0
        fields = (*model.DERIVED_FIELDS, *_format_field(model))
        while True:
            batch = list(
                model.objects.filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "body_source", *fields)[:BATCH]
            )
            if not batch:
                return changed
            last_pk = batch[-1].pk
            stale = []
            for item in batch:
                before = [getattr(item, name) for name in model.DERIVED_FIELDS]
                item.render_body()
                if [getattr(item, name) for name in model.DERIVED_FIELDS] != before:
                    stale.append(item)
            with transaction.atomic():
                model.objects.bulk_update(stale, list(model.DERIVED_FIELDS))
                _reindex(model, stale)
            changed += len(stale)


def _reindex(model, items: list) -> None:
    """Index the text of re-rendered ``items`` for search (read again: the
    batch loaded only the fields it renders)."""
    pks = [item.pk for item in items]
    if model is Statement:
        index.index_statements(Statement.objects.filter(pk__in=pks))
    else:
        index.index_comments(
            Comment.objects.filter(pk__in=pks).select_related("statement")
        )


def _format_field(model) -> tuple[str, ...]:
    return ("body_format",) if model is Statement else ()
