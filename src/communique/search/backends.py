"""How each database finds and ranks the index's rows: the one module of the
project that asks which database it runs on.

SQLite: an FTS5 table per kind of row (``search_statement_fts``,
``search_comment_fts``), an external-content index over the search app's
tables that triggers keep in step (migration 0001, ``SQLITE_SQL``). The
tokenizer splits words as Unicode does and stems English (Porter; words of
other scripts pass through as they are). Ranked by ``bm25``, the title
weighing most, then the signature, then the body.

PostgreSQL: the rows' ``vector`` column, filled here, under a GIN index, with
the ``english`` configuration for English rows and ``simple`` (no stemming, no
stop words) for every other language. A query matches under either
configuration. Ranked by ``ts_rank`` with the same weights.

Both: the text and the query are folded alike before they get here
(``index.fold``), a query is a list of words (``index.query_terms``) that
every match must all contain, never syntax of the database's own, and the
reader's language comes first, then rank. Whether a reader may see a row is
always the read vocabulary's (``published()``, ``shown_to_readers()``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.migrations.operations import RunSQL
from django.db.models import Case, F, QuerySet, Value, When

from communique.comments.models import Comment
from communique.publishing.models import Statement

# PostgreSQL text search configurations by language; others use SIMPLE.
CONFIGS = {"en": "english"}
SIMPLE = "simple"
# (weight of the title, of the body, of the signature) for FTS5's bm25.
BM25_STATEMENT_WEIGHTS = (10.0, 1.0, 4.0)


class VendorSQL(RunSQL):
    """``RunSQL`` that runs on one database vendor only, and does nothing on
    the others (a migration step for FTS5 tables or GIN indexes)."""

    def __init__(self, vendor: str, sql: Any, reverse_sql: Any, **kwargs) -> None:
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args, {"vendor": self.vendor, **kwargs}

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _fts5_sql(table: str, source: str, key: str, columns: tuple[str, ...]) -> tuple:
    """An FTS5 index of ``source`` and the triggers that keep it in step, as
    SQLite's documentation describes for external-content tables."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    insert = f"INSERT INTO {table}(rowid, {names}) VALUES (new.{key}, {new});"
    delete = (
        f"INSERT INTO {table}({table}, rowid, {names}) "
        f"VALUES ('delete', old.{key}, {old});"
    )
    forwards = [
        f"CREATE VIRTUAL TABLE {table} USING fts5({names}, content='{source}', "
        f"content_rowid='{key}', tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {source} BEGIN {insert} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {source} BEGIN {delete} END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON {source} "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {table}({table}) VALUES ('rebuild')",
    ]
    backwards = [
        f"DROP TRIGGER IF EXISTS {table}_{suffix}" for suffix in ("ai", "ad", "au")
    ] + [f"DROP TABLE IF EXISTS {table}"]
    return forwards, backwards


STATEMENTS_FTS = "search_statement_fts"
COMMENTS_FTS = "search_comment_fts"


def migration_operations() -> list[RunSQL]:
    """The database's own index structures, for migration 0001."""
    statements = _fts5_sql(
        STATEMENTS_FTS,
        "search_statementtext",
        "statement_id",
        ("title", "body", "signature"),
    )
    comments = _fts5_sql(COMMENTS_FTS, "search_commenttext", "comment_id", ("body",))
    return [
        VendorSQL("sqlite", *statements),
        VendorSQL("sqlite", *comments),
        VendorSQL(
            "postgresql",
            [
                "CREATE INDEX search_statementtext_vector "
                "ON search_statementtext USING gin (vector)",
                "CREATE INDEX search_commenttext_vector "
                "ON search_commenttext USING gin (vector)",
            ],
            [
                "DROP INDEX IF EXISTS search_statementtext_vector",
                "DROP INDEX IF EXISTS search_commenttext_vector",
            ],
        ),
    ]


def refresh_vectors(rows: QuerySet, fields: dict[str, str]) -> None:
    """Compute the PostgreSQL vector of ``rows`` (of StatementText or
    CommentText) from their text: ``fields`` maps each column to its weight.
    Nothing to do on SQLite, whose triggers have already indexed them."""
    if connection.vendor != "postgresql":
        return
    languages = list(CONFIGS)
    for config, subset in [
        *[(CONFIGS[code], rows.filter(language=code)) for code in languages],
        (SIMPLE, rows.exclude(language__in=languages)),
    ]:
        vectors = [
            SearchVector(name, weight=weight, config=config)
            for name, weight in fields.items()
        ]
        combined = vectors[0]
        for vector in vectors[1:]:
            combined = combined + vector
        subset.update(vector=combined)


def _fts5_match(terms: list[str]) -> str:
    """An FTS5 query asking for every term, each a quoted string: nothing in
    a term is read as FTS5 syntax."""
    return " ".join('"{}"'.format(term.replace('"', '""')) for term in terms)


def _sqlite_search(
    table: str, visible: QuerySet, terms: list[str], *, language: str, rank: str
) -> tuple[str, list]:
    """SQL selecting the ids of the rows of ``table`` matching ``terms`` among
    the ``visible`` ones (a queryset of ``hit`` ids and their
    ``hit_language``), those in ``language`` first, then best first."""
    sql, params = visible.query.sql_with_params()
    return (
        f"SELECT visible.hit FROM {table} "
        f"CROSS JOIN ({sql}) AS visible ON visible.hit = {table}.rowid "
        f"WHERE {table} MATCH %s "
        f"ORDER BY visible.hit_language = %s DESC, {rank}, visible.hit DESC",
        [*params, _fts5_match(terms), language],
    )


def _sqlite_count(table: str, visible: QuerySet, terms: list[str]) -> int:
    sql, params = visible.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {table} "
            f"CROSS JOIN ({sql}) AS visible ON visible.hit = {table}.rowid "
            f"WHERE {table} MATCH %s",
            [*params, _fts5_match(terms)],
        )
        return cursor.fetchone()[0]


def _sqlite_page(sql: str, params: list, start: int, stop: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, stop - start, start])
        return [row[0] for row in cursor.fetchall()]


def _postgresql_query(terms: list[str]) -> SearchQuery:
    text = " ".join(terms)
    query = SearchQuery(text, config=SIMPLE, search_type="plain")
    for config in set(CONFIGS.values()):
        query = query | SearchQuery(text, config=config, search_type="plain")
    return query


def _postgresql_ranked(visible: QuerySet, terms: list[str], language: str, lang_field):
    query = _postgresql_query(terms)
    return (
        visible.filter(search_text__vector=query)
        .annotate(
            rank=SearchRank(F("search_text__vector"), query),
            elsewhere=Case(When(**{lang_field: language}, then=Value(0)), default=1),
        )
        .order_by("elsewhere", "-rank", "-pk")
        .values_list("pk", flat=True)
    )


def _visible_statements() -> QuerySet:
    return Statement.objects.published().order_by()


def _visible_comments() -> QuerySet:
    return Comment.objects.shown_to_readers().order_by()


def count_statements(terms: list[str]) -> int:
    """How many statements readers may see match every one of ``terms``."""
    if connection.vendor == "postgresql":
        return (
            _visible_statements()
            .filter(search_text__vector=_postgresql_query(terms))
            .count()
        )
    visible = _visible_statements().values(hit=F("pk"), hit_language=F("language"))
    return _sqlite_count(STATEMENTS_FTS, visible, terms)


def statement_ids(
    terms: list[str], *, language: str, start: int, stop: int
) -> list[int]:
    """The ids of the matching statements ``start`` to ``stop``: those in
    ``language`` first, best first."""
    if connection.vendor == "postgresql":
        ranked = _postgresql_ranked(_visible_statements(), terms, language, "language")
        return list(ranked[start:stop])
    visible = _visible_statements().values(hit=F("pk"), hit_language=F("language"))
    weights = ", ".join(str(weight) for weight in BM25_STATEMENT_WEIGHTS)
    sql, params = _sqlite_search(
        STATEMENTS_FTS,
        visible,
        terms,
        language=language,
        rank=f"bm25({STATEMENTS_FTS}, {weights})",
    )
    return _sqlite_page(sql, params, start, stop)


def count_comments(terms: list[str]) -> int:
    """How many comments readers may see match every one of ``terms``."""
    if connection.vendor == "postgresql":
        return (
            _visible_comments()
            .filter(search_text__vector=_postgresql_query(terms))
            .count()
        )
    visible = _visible_comments().values(
        hit=F("pk"), hit_language=F("statement__language")
    )
    return _sqlite_count(COMMENTS_FTS, visible, terms)


def comment_ids(terms: list[str], *, language: str, start: int, stop: int) -> list[int]:
    """The ids of the matching comments ``start`` to ``stop``: those under
    statements in ``language`` first, best first."""
    if connection.vendor == "postgresql":
        ranked = _postgresql_ranked(
            _visible_comments(), terms, language, "statement__language"
        )
        return list(ranked[start:stop])
    visible = _visible_comments().values(
        hit=F("pk"), hit_language=F("statement__language")
    )
    sql, params = _sqlite_search(
        COMMENTS_FTS, visible, terms, language=language, rank=f"bm25({COMMENTS_FTS})"
    )
    return _sqlite_page(sql, params, start, stop)
