"""Keeping the search index in step with statements and comments, and
reading queries the way the index was written.

Text and query pass through the same ``fold`` (``textformats.fold_for_matching``):
case, the Arabic and Persian spellings of yeh and kaf, diacritics and the
half-space (U+200C, removed, so that "می‌خواهم" meets "میخواهم") fold alike.

Who writes here:

- ``statements_saved`` and ``comments_saved`` receive the signals publishing
  and comments send when they save a text (the services, hence the admin,
  the importer, the demo and the factories of the tests);
- ``communique rebuild_html`` indexes what it re-rendered;
- ``communique generate`` indexes what it inserted in bulk;
- ``rebuild()`` (``communique rebuild_search_index``) writes it all again.

Deleting a statement or comment deletes its row (``on_delete=CASCADE``).
Publishing, trashing, approving change no row: searches apply the read
vocabulary at query time (``backends``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

import regex
from django.db import transaction

from communique import textformats
from communique.comments.models import Comment
from communique.publishing.models import Statement
from communique.search import backends
from communique.search.models import CommentText, StatementText

BATCH = 500
STATEMENT_WEIGHTS = {"title": "A", "signature": "B", "body": "D"}
COMMENT_WEIGHTS = {"body": "D"}
# What of a query is read: enough for any question a reader types, and a
# bound on the work a long one can cause.
MAX_QUERY_CHARACTERS = 1000
MAX_TERMS = 12
MAX_TERM_CHARACTERS = 60
WORD = regex.compile(r"[\p{L}\p{N}\p{M}]+")

fold = textformats.fold_for_matching


def query_terms(query: str) -> list[str]:
    """The words of a reader's query, folded as the index is, without
    repeats: what every match must contain. Anything else in the query
    (quotes, operators, punctuation) separates words and nothing more."""
    terms: list[str] = []
    for word in WORD.findall(fold(query[:MAX_QUERY_CHARACTERS])):
        term = word[:MAX_TERM_CHARACTERS]
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def _statement_row(statement: Statement, fold: Callable[[str], str]) -> StatementText:
    return StatementText(
        statement_id=statement.pk,
        language=statement.language,
        title=fold(statement.title),
        body=fold(textformats.plain_text_of(statement.body_html)),
        signature=fold(statement.signature),
    )


def comment_text(comment: Comment) -> str:
    """What of a comment is searched: its own subject, if it has one, and its
    text."""
    body = textformats.plain_text_of(comment.body_html)
    return f"{comment.subject}\n{body}" if comment.has_own_subject else body


def _comment_row(comment: Comment, fold: Callable[[str], str]) -> CommentText:
    return CommentText(
        comment_id=comment.pk,
        language=comment.statement.language,
        body=fold(comment_text(comment)),
    )


def _write(model, rows: list, weights: dict[str, str]) -> None:
    key = model._meta.pk.name
    with transaction.atomic():
        model.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=[key],
            update_fields=["language", *weights],
        )
        backends.refresh_vectors(
            model.objects.filter(pk__in=[row.pk for row in rows]), weights
        )


def _index(model, rows: Iterable, weights: dict[str, str]) -> int:
    """Write ``rows`` (made lazily) a batch at a time. Returns how many."""
    done = 0
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            _write(model, batch, weights)
            done, batch = done + len(batch), []
    if batch:
        _write(model, batch, weights)
    return done + len(batch)


def index_statements(
    statements: Iterable[Statement], *, fold: Callable[[str], str] = fold
) -> int:
    """Write the rows of ``statements`` (with title, body_html, signature and
    language loaded). Returns how many."""
    rows = (_statement_row(statement, fold) for statement in statements)
    return _index(StatementText, rows, STATEMENT_WEIGHTS)


def index_comments(
    comments: Iterable[Comment], *, fold: Callable[[str], str] = fold
) -> int:
    """Write the rows of ``comments``. Returns how many."""
    rows = (_comment_row(comment, fold) for comment in comments)
    return _index(CommentText, rows, COMMENT_WEIGHTS)


def statements_saved(sender, *, statements: list[Statement], **kwargs) -> None:
    index_statements(statements)


def comments_saved(sender, *, comments: list[Comment], **kwargs) -> None:
    index_comments(comments)


def _in_batches(queryset) -> Iterable:
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk).order_by("pk")[:BATCH])
        if not batch:
            return
        yield from batch
        last_pk = batch[-1].pk


def index_statements_from(first_pk: int = 0) -> int:
    """Index every statement from ``first_pk`` on (``generate``'s bulk
    inserts). Folds each distinct text once."""
    statements = Statement.objects.filter(pk__gte=first_pk).only(
        "pk", "title", "body_html", "signature", "language"
    )
    return index_statements(_in_batches(statements), fold=_memo(fold))


def index_comments_from(first_pk: int = 0) -> int:
    """Index every comment from ``first_pk`` on."""
    comments = (
        Comment.objects.filter(pk__gte=first_pk)
        .select_related("statement")
        .only("pk", "subject", "body_source", "body_html", "statement__language")
    )
    return index_comments(_in_batches(comments), fold=_memo(fold))


def rebuild() -> tuple[int, int]:
    """Write the whole index again: (statements, comments) indexed."""
    with transaction.atomic():
        StatementText.objects.all().delete()
        CommentText.objects.all().delete()
        return index_statements_from(), index_comments_from()


def _memo(function: Callable[[str], str], size: int = 1024) -> Callable[[str], str]:
    """``function`` remembering its last ``size`` answers: generated texts
    repeat."""
    return lru_cache(maxsize=size)(function)
