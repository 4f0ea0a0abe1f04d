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
reader's language comes first, then rank. Only the newest ``CANDIDATES``
matches are ranked and counted, so that a word in every statement costs no
more than one in a thousand. Whether a reader may see a row is always the
read vocabulary's (``published()``, ``shown_to_readers()``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.migrations.operations import RunSQL
from django.db.models import F, QuerySet

from communique.comments.models import Comment
from communique.publishing.models import Statement
from communique.search.models import CommentText, StatementText

# PostgreSQL text search configurations by language; others use SIMPLE.
CONFIGS = {"en": "english"}
SIMPLE = "simple"
# (weight of the title, of the body, of the signature) for FTS5's bm25.
BM25_STATEMENT_WEIGHTS = (10.0, 1.0, 4.0)
# How many matches, the newest, are ranked and counted: a word nearly every
# statement holds would otherwise have every one of them scored for each
# search. Readers see "more than" when a search reaches it.
CANDIDATES = 1000


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


def _sqlite_candidates(table: str, terms: list[str], rank: str) -> tuple[str, list]:
    """SQL for the newest ``CANDIDATES`` rows of ``table`` that match, with
    their ``score``: FTS5 walks its index newest first and stops there, and
    scores only those."""
    return (
        f"SELECT rowid AS hit, {rank} AS score FROM {table} "
        f"WHERE {table} MATCH %s ORDER BY rowid DESC LIMIT %s",
        [_fts5_match(terms), CANDIDATES],
    )


def _sqlite_visible_candidates(
    table: str, visible: QuerySet, terms: list[str], rank: str
) -> tuple[str, list]:
    """The candidates readers may see, with ``hit``, ``score`` and
    ``hit_language``."""
    candidates, candidate_params = _sqlite_candidates(table, terms, rank)
    sql, params = visible.query.sql_with_params()
    return (
        f"SELECT found.hit, found.score, visible.hit_language FROM ({candidates}) "
        f"AS found CROSS JOIN ({sql}) AS visible ON visible.hit = found.hit",
        [*candidate_params, *params],
    )


def _sqlite_ranked(
    table: str, visible: QuerySet, terms: list[str], *, rank: str, language: str
) -> list[int]:
    sql, params = _sqlite_visible_candidates(table, visible, terms, rank)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT hit FROM ({sql}) ORDER BY hit_language = %s DESC, score, hit DESC",
            [*params, language],
        )
        return [row[0] for row in cursor.fetchall()]


def _postgresql_query(terms: list[str]) -> SearchQuery:
    text = " ".join(terms)
    query = SearchQuery(text, config=SIMPLE, search_type="plain")
    for config in set(CONFIGS.values()):
        query = query | SearchQuery(text, config=config, search_type="plain")
    return query


def _postgresql_candidates(text_model, terms: list[str]) -> dict[int, float]:
    """The newest ``CANDIDATES`` rows of ``text_model`` that match: their keys
    and their ``ts_rank``, which is worked out only for the rows returned.

    Read in a query of their own, before visibility and language: as a
    subquery (``pk__in=<sliced queryset>``) the planner could run it once per
    row of the outer query, a nested-loop semi join that took minutes on
    100,000 statements whose statistics were stale; and ranking them in the
    outer query read each vector a second time."""
    query = _postgresql_query(terms)
    rows = (
        text_model.objects.filter(vector=query)
        .order_by(f"-{text_model.key}")
        .annotate(rank=SearchRank(F("vector"), query))
        .values_list(text_model.key, "rank")[:CANDIDATES]
    )
    return dict(rows)


def _postgresql_ranked(
    visible: QuerySet, text_model, terms: list[str], language: str, lang_field: str
) -> list[int]:
    ranks = _postgresql_candidates(text_model, terms)
    if not ranks:
        return []
    shown = visible.filter(pk__in=list(ranks)).values_list("pk", lang_field)
    ordered = sorted(
        shown, key=lambda row: (row[1] != language, -ranks[row[0]], -row[0])
    )
    return [pk for pk, _language in ordered]


def _visible_statements() -> QuerySet:
    return Statement.objects.published().order_by()


def _visible_comments() -> QuerySet:
    return Comment.objects.shown_to_readers().order_by()


def statement_ids(terms: list[str], *, language: str) -> list[int]:
    """The ids of the statements readers may see among the newest
    ``CANDIDATES`` that contain every one of ``terms``: those in
    ``language`` first, best first."""
    if connection.vendor == "postgresql":
        return _postgresql_ranked(
            _visible_statements(), StatementText, terms, language, "language"
        )
    visible = _visible_statements().values(hit=F("pk"), hit_language=F("language"))
    weights = ", ".join(str(weight) for weight in BM25_STATEMENT_WEIGHTS)
    return _sqlite_ranked(
        STATEMENTS_FTS,
        visible,
        terms,
        rank=f"bm25({STATEMENTS_FTS}, {weights})",
        language=language,
    )


def comment_ids(terms: list[str], *, language: str) -> list[int]:
    """The ids of the comments readers may see among the newest
    ``CANDIDATES`` that contain every one of ``terms``: those under
    statements in ``language`` first, best first."""
    if connection.vendor == "postgresql":
        return _postgresql_ranked(
            _visible_comments(), CommentText, terms, language, "statement__language"
        )
    visible = _visible_comments().values(
        hit=F("pk"), hit_language=F("statement__language")
    )
    return _sqlite_ranked(
        COMMENTS_FTS, visible, terms, rank=f"bm25({COMMENTS_FTS})", language=language
    )
