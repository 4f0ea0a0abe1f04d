from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db import models

from communique import reads
from communique.publishing.models import Statement

PUBLISHED = "published"


class ShownComment(NamedTuple):
    """What a comment's article under a statement shows, without a model object."""

    pk: int
    parent_id: int | None
    depth: int
    edited: dt.datetime | None
    subject: str
    author_name: str
    homepage: str
    body_html: str


class CommentQuerySet(models.QuerySet):
    """The read vocabulary for comments."""

    def published(self) -> CommentQuerySet:
        return self.filter(status=PUBLISHED)

    def pending(self) -> CommentQuerySet:
        return self.filter(status="pending")

    def shown_to_readers(self) -> CommentQuerySet:
        """Published comments a reader may see on their own page (permalink,
        reply): under a public statement whose comments are not hidden."""
        return (
            self.published()
            .filter(statement__in=Statement.objects.published())
            .exclude(statement__commenting=Statement.Commenting.HIDDEN)
        )

    def on(self, statement: Statement) -> CommentQuerySet:
        return self.filter(statement=statement)

    def visible_on(self, statement: Statement) -> CommentQuerySet:
        """Published comments of ``statement``, in thread order."""
        return self.on(statement).published().order_by("path")

    def threads_on(self, statement: Statement) -> CommentQuerySet:
        """The published top-level comments of ``statement``, oldest first."""
        return self.visible_on(statement).filter(parent__isnull=True).order_by("pk")

    def in_threads(self, thread_ids: list[int]) -> CommentQuerySet:
        return self.filter(thread_id__in=thread_ids).published().order_by("path")

    def threads_page(
        self, statement_id: int, *, start: int, stop: int, newest_first: bool = False
    ) -> list[ShownComment]:
        """The published comments in the published threads ``start`` to ``stop``
        (oldest thread first, or newest) under a statement, in thread order, in
        one query (``reads.comment_threads_page``). Filters already on the
        queryset do not apply."""
        rows = reads.comment_threads_page(
            self.model,
            statement_id,
            start=start,
            stop=stop,
            fields=ShownComment._fields,
            newest_first=newest_first,
            using=self.db,
        )
        return [ShownComment._make(row) for row in rows]
