"""The search index: the text of statements and comments as search compares
it (folded, ``textformats.fold_for_matching``), one row per statement or
comment, deleted with it.

Rows hold text only, never whether readers may see it: every search joins the
row to its statement or comment and applies the read vocabulary
(``Statement.objects.published()``, ``Comment.objects.shown_to_readers()``),
so that publishing, trashing or approving needs no change here.

How a database matches the rows is ``backends``' business: on SQLite an FTS5
table reads them (triggers of migration 0001 keep it in step); on PostgreSQL
``vector`` holds their ``tsvector``, under a GIN index.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from communique.comments.models import Comment
from communique.publishing.models import Statement


class StatementText(models.Model):
    key = "statement_id"  # the column rows are ordered by, newest last
    statement = models.OneToOneField(
        Statement,
        verbose_name=_("statement"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_text",
    )
    language = models.CharField(_("language"), max_length=12)
    title = models.TextField(_("title"))
    body = models.TextField(_("body"))
    signature = models.TextField(_("signature"))
    # PostgreSQL only; NULL elsewhere.
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("statement's search text")
        verbose_name_plural = _("statements' search texts")

    def __str__(self) -> str:
        return self.title


class CommentText(models.Model):
    key = "comment_id"
    comment = models.OneToOneField(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_text",
    )
    language = models.CharField(_("language"), max_length=12)
    body = models.TextField(_("comment"))
    # PostgreSQL only; NULL elsewhere.
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("comment's search text")
        verbose_name_plural = _("comments' search texts")

    def __str__(self) -> str:
        return self.body[:40]
