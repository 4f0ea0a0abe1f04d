from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from django.db import connections, models

from communique import sql_rows

if TYPE_CHECKING:
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
        self, statement_id: int, *, start: int, stop: int
    ) -> list[ShownComment]:
        """The published comments in the published threads ``start`` to ``stop``
        (oldest thread first) under a statement, in thread order, in one query.

        The rows ``in_threads(threads_on(statement)[start:stop])`` gives, written
        as SQL because every statement page reads them: building the query
        through the ORM costs several times what the database spends on it.
        tests/comments/test_threads_page.py holds it to the ORM's answer.
        Filters already on the queryset do not apply.
        """
        connection = connections[self.db]
        meta = self.model._meta
        shown = [
            meta.pk if name == "pk" else meta.get_field(name)
            for name in ShownComment._fields
        ]
        column = sql_rows.columns(
            self.model,
            ("pk", "statement", "status", "parent", "thread", "path"),
            connection,
        )
        table = sql_rows.table(self.model, connection)
        selected = ", ".join(
            sql_rows.columns(self.model, ShownComment._fields, connection).values()
        )
        sql = (
            f"SELECT {selected} FROM {table} WHERE {column['thread']} IN ("
            f"SELECT {column['pk']} FROM {table} WHERE {column['statement']} = %s "
            f"AND {column['status']} = %s AND {column['parent']} IS NULL "
            f"ORDER BY {column['pk']} LIMIT %s OFFSET %s) "
            f"AND {column['status']} = %s ORDER BY {column['path']}"
        )
        params = [statement_id, PUBLISHED, max(stop - start, 0), start, PUBLISHED]
        rows = sql_rows.fetch(connection, sql, params, shown)
        return [ShownComment._make(row) for row in rows]
