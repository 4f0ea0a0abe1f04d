"""Results of a search, a page at a time, as a paginator slices them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from communique import textformats
from communique.comments.models import Comment
from communique.publishing.languages import language_is_bidi
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

    @property
    def direction(self) -> str:
        return "rtl" if language_is_bidi(self.language) else "ltr"


class Results:
    """The matches of ``terms`` among what readers may see, for ``kind``:
    found and ranked once (at most ``backends.CANDIDATES``, the newest),
    read a page at a time (``results[start:stop]``)."""

    def __init__(self, kind: str, terms: list[str], *, language: str) -> None:
        self.kind, self.terms, self.language = kind, terms, language
        self._ids: list[int] | None = None

    @property
    def ids(self) -> list[int]:
        if self._ids is None:
            find = (
                backends.statement_ids
                if self.kind == STATEMENTS
                else backends.comment_ids
            )
            self._ids = find(self.terms, language=self.language) if self.terms else []
        return self._ids

    def count(self) -> int:
        return len(self.ids)

    @property
    def capped(self) -> bool:
        """More may match than were ranked: only the newest are."""
        return self.count() >= backends.CANDIDATES

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Result]:
        ids = self.ids[window]
        if self.kind == STATEMENTS:
            return _in_order(ids, Statement.objects.in_bulk(ids), self._statement)
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
