"""The reads every statement page makes, in hand-written SQL.

Measured (bench/render_cost.py --instructions): built through the ORM, the
statement's and its comments' queries cost more than the rest of the uncached
statement page's render together (5.4 M and 2.5 M instructions of 14.6 M), far
above the 10 % the ORM may add; its translations' query took 0.47 ms through
the ORM against 0.03 ms by hand, and read the index of published statements.
They are plain functions here, given the models they read, so that this module
imports no app; no QuerySet method pretends to chain them. What
comes back passes through the converters the ORM applies (SQLite returns dates
as text, for one), so callers see what the ORM would give:
tests/publishing/test_find.py and tests/comments/test_threads_page.py hold
each to the ORM's answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

PUBLISHED = "published"


def statements_at_slug(
    model: type[Model], slug: str, language: str | None, *, using: str = "default"
) -> list[Model]:
    """The statements (instances of ``model``) at ``slug``, in ``language``
    when given, read through the slug's index."""
    where = {"slug": slug} | ({"language": language} if language else {})
    return _statements_where(model, where, using=using)


def statements_of_family(
    model: type[Model], family: str, *, using: str = "default"
) -> list[Model]:
    """The statements of one family of translations, read through its index
    (the ORM's query, with the visibility filters, would have the database
    pick the index of published statements and sort them, for one family)."""
    return _statements_where(model, {"family": family}, using=using)


def related_of(
    model: type[Model], field_name: str, pk: int, *, using: str = "default"
) -> list[Model]:
    """The objects ``model``'s many-to-many field ``field_name`` links the row
    ``pk`` to (a statement's topics), in the related model's order by name,
    read through the link table alone."""
    connection = connections[using]
    field = model._meta.get_field(field_name)
    related = field.related_model
    through = field.remote_field.through._meta
    quote = connection.ops.quote_name
    fields = related._meta.concrete_fields
    selected = ", ".join(
        f"{_table(related, connection)}.{quote(f.column)}" for f in fields
    )
    sql = (
        f"SELECT {selected} FROM {_table(related, connection)} "
        f"INNER JOIN {quote(through.db_table)} ON "
        f"{quote(through.db_table)}.{quote(field.m2m_reverse_name())} = "
        f"{_table(related, connection)}.{quote(related._meta.pk.column)} "
        f"WHERE {quote(through.db_table)}.{quote(field.m2m_column_name())} = %s "
        f"ORDER BY {_table(related, connection)}.{quote('name')}"
    )
    names = [f.attname for f in fields]
    return [
        related.from_db(using, names, values)
        for values in _fetch(connection, sql, [pk], fields)
    ]


def _statements_where(
    model: type[Model], where: dict[str, object], *, using: str
) -> list[Model]:
    connection = connections[using]
    selected, names, converting = _every_column(model, connection)
    column = _columns(model, where, connection)
    conditions = " AND ".join(f"{column[name]} = %s" for name in where)
    sql = f"SELECT {selected} FROM {_table(model, connection)} WHERE {conditions}"
    return [
        model.from_db(using, names, values)
        for values in _converted(connection, sql, list(where.values()), converting)
    ]


@lru_cache(maxsize=16)
def _every_column(
    model: type[Model], connection: BaseDatabaseWrapper
) -> tuple[str, list[str], list[tuple]]:
    """The select list of all of ``model``'s columns, their attribute names
    and their converters: worked out once per model and connection, so that a
    new field costs a statement page its value, not its lookups."""
    fields = model._meta.concrete_fields
    selected = ", ".join(_columns(model, [f.name for f in fields], connection).values())
    names = [field.attname for field in fields]
    return selected, names, _converters(tuple(fields), connection)


def comment_threads_page(
    model: type[Model],
    statement_id: int,
    *,
    start: int,
    stop: int,
    fields: Sequence[str],
    newest_first: bool = False,
    using: str = "default",
) -> list[list]:
    """``fields`` of the published comments (of ``model``) in the published
    threads ``start`` to ``stop`` (oldest thread first, or newest) under a
    statement, in thread order: one query."""
    connection = connections[using]
    meta = model._meta
    shown = [meta.pk if name == "pk" else meta.get_field(name) for name in fields]
    column = _columns(
        model, ("pk", "statement", "status", "parent", "thread", "path"), connection
    )
    table = _table(model, connection)
    selected = ", ".join(_columns(model, fields, connection).values())
    # A thread's path starts with its first comment's id: oldest first, the
    # paths alone order the threads.
    descending = " DESC" if newest_first else ""
    threads = f"{column['thread']} DESC, " if newest_first else ""
    sql = (
        f"SELECT {selected} FROM {table} WHERE {column['thread']} IN ("
        f"SELECT {column['pk']} FROM {table} WHERE {column['statement']} = %s "
        f"AND {column['status']} = %s AND {column['parent']} IS NULL "
        f"ORDER BY {column['pk']}{descending} LIMIT %s OFFSET %s) "
        f"AND {column['status']} = %s ORDER BY {threads}{column['path']}"
    )
    params = [statement_id, PUBLISHED, max(stop - start, 0), start, PUBLISHED]
    return _fetch(connection, sql, params, shown)


def _columns(
    model: type[Model], names: Iterable[str], connection: BaseDatabaseWrapper
) -> dict[str, str]:
    """The quoted column of each field name ("pk" for the primary key)."""
    meta = model._meta
    quote = connection.ops.quote_name
    return {
        name: quote((meta.pk if name == "pk" else meta.get_field(name)).column)
        for name in names
    }


def _table(model: type[Model], connection: BaseDatabaseWrapper) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _fetch(
    connection: BaseDatabaseWrapper, sql: str, params: Sequence, fields: Sequence[Field]
) -> list[list]:
    """Run ``sql``, whose columns are ``fields``, and convert its rows' values
    as the ORM would."""
    return _converted(connection, sql, params, _converters(tuple(fields), connection))


def _converted(
    connection: BaseDatabaseWrapper, sql: str, params: Sequence, converting: list
) -> list[list]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    converted = []
    for row in rows:
        values = list(row)
        for index, column, converters in converting:
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        converted.append(values)
    return converted


@lru_cache(maxsize=64)
def _converters(
    fields: tuple[Field, ...], connection: BaseDatabaseWrapper
) -> list[tuple]:
    """(position, column, converters) for each of ``fields`` that has any.

    Per connection object: a converter may be bound to its connection.
    """
    found = []
    for index, field in enumerate(fields):
        column = field.get_col(field.model._meta.db_table)
        converters = connection.ops.get_db_converters(column)
        converters += field.get_db_converters(connection)
        if converters:
            found.append((index, column, converters))
    return found
