"""Results of a search, a page at a time, as a paginator slices them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from communique import textformats
from communique.comments.models import Comment
from communique.publishing.models import Statement
from communique.search import backends, index, snippets

STATEMENTS = "statements"
COMMENTS = "comments"
KINDS = (STATEMENTS, COMMENTS)


@dataclass
class Result:
    url: str
    title: list[snippets.Part]
    snippet: list[snippets.Part]
    language: str
    date: object
    byline: str


class Results:
    """The matches of ``terms`` among what readers may see, for ``kind``:
    counted once, read a page at a time (``results[start:stop]``)."""

    def __init__(self, kind: str, terms: list[str], *, language: str) -> None:
        self.kind, self.terms, self.language = kind, terms, language
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            counter = (
                backends.count_statements
                if self.kind == STATEMENTS
                else backends.count_comments
            )
            self._count = counter(self.terms) if self.terms else 0
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Result]:
        if not self.terms:
            return []
        start, stop = window.start or 0, window.stop
        if self.kind == STATEMENTS:
            ids = backends.statement_ids(
                self.terms, language=self.language, start=start, stop=stop
            )
            return _in_order(ids, Statement.objects.in_bulk(ids), self._statement)
        ids = backends.comment_ids(
            self.terms, language=self.language, start=start, stop=stop
        )
        found = Comment.objects.select_related("statement").in_bulk(ids)
        return _in_order(ids, found, self._comment)

    def _statement(self, statement: Statement) -> Result:
        return Result(
            url=statement.get_absolute_url(),
            title=snippets.marked(statement.title, self.terms),
            snippet=snippets.snippet(
                textformats.plain_text_of(statement.body_html), self.terms
            ),
            language=statement.language,
            date=statement.date,
            byline=statement.signature,
        )

    def _comment(self, comment: Comment) -> Result:
        return Result(
            url=comment.get_absolute_url(),
            title=snippets.marked(comment.statement.title, []),
            snippet=snippets.snippet(index.comment_text(comment), self.terms),
            language=comment.statement.language,
            date=comment.created,
            byline=comment.author_name,
        )


def _in_order(ids: list[int], found: dict, make: Callable) -> list[Result]:
    return [make(found[pk]) for pk in ids if pk in found]
