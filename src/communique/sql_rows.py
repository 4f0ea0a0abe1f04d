"""Rows read with hand-written SQL, with the values the ORM would give.

A few reads run on every page view, where building the query through the ORM
costs several times what the database spends answering it. Those are written
as portable SQL; what comes back passes through the same converters the ORM
applies (SQLite returns dates as text, for one), so callers see no difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model


def columns(
    model: type[Model], names: Iterable[str], connection: BaseDatabaseWrapper
) -> dict[str, str]:
    """The quoted column of each field name ("pk" for the primary key)."""
    meta = model._meta
    quote = connection.ops.quote_name
    return {
        name: quote((meta.pk if name == "pk" else meta.get_field(name)).column)
        for name in names
    }


def table(model: type[Model], connection: BaseDatabaseWrapper) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def fetch(
    connection: BaseDatabaseWrapper,
    sql: str,
    params: Sequence,
    fields: Sequence[Field],
) -> list[list]:
    """Run ``sql``, whose columns are ``fields``, and convert its rows' values
    as the ORM would."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    converting = _converters(tuple(fields), connection)
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
