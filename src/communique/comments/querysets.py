from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from django.db import connections, models

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
        meta = self.model._meta
        connection = connections[self.db]
        quote = connection.ops.quote_name
        shown = [
            meta.pk if name == "pk" else meta.get_field(name)
            for name in ShownComment._fields
        ]
        column = {
            name: quote(meta.get_field(name).column)
            for name in ("id", "statement", "status", "parent", "thread", "path")
        }
        table = quote(meta.db_table)
        sql = (
            f"SELECT {', '.join(quote(field.column) for field in shown)} "
            f"FROM {table} WHERE {column['thread']} IN ("
            f"SELECT {column['id']} FROM {table} WHERE {column['statement']} = %s "
            f"AND {column['status']} = %s AND {column['parent']} IS NULL "
            f"ORDER BY {column['id']} LIMIT %s OFFSET %s) "
            f"AND {column['status']} = %s ORDER BY {column['path']}"
        )
        params = [statement_id, PUBLISHED, max(stop - start, 0), start, PUBLISHED]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [ShownComment._make(row) for row in _converted(rows, shown, connection)]


def _converted(rows: list[tuple], fields: list, connection) -> list[tuple]:
    """``rows`` with each value as the ORM would give it (e.g. SQLite's date
    text as a datetime), through the database's and the fields' converters."""
    converting = []
    for index, field in enumerate(fields):
        column = field.get_col(field.model._meta.db_table)
        found = connection.ops.get_db_converters(column)
        found += field.get_db_converters(connection)
        if found:
            converting.append((index, column, found))
    if not converting:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for index, column, converters in converting:
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        converted.append(values)
    return converted
