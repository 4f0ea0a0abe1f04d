"""A statement's versions, as readers and editors see them.

A statement's current title, body and signature are its newest version; its
revisions (``StatementRevision``) hold the ones they replaced. Readers see
only the versions they could have read: revisions replaced while the
statement was public (``was_public``), and the current one of a public
statement. Drafts' text never reaches the public pages. Editors see every
revision.

Versions are numbered from 1, oldest first; the public numbering counts the
public versions only, so a number stays the same as new versions are added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.safestring import SafeString

from communique import textformats
from communique.publishing.models import Statement, StatementRevision


@dataclass(frozen=True)
class Version:
    number: int
    title: str
    body_source: str
    body_format: str
    signature: str
    # When readers (or, for editors, anyone) first saw it, and when it was
    # replaced: None for the current version.
    since: dt.datetime | None
    until: dt.datetime | None
    revision: StatementRevision | None = None

    @property
    def is_current(self) -> bool:
        return self.revision is None

    @property
    def body(self) -> SafeString:
        return textformats.stored_html(
            textformats.render(self.body_format, self.body_source)
        )

    @property
    def body_text(self) -> str:
        """The body as readers read it: its paragraphs as plain text, a blank
        line between them."""
        text = textformats.plain_text_of(
            textformats.render(self.body_format, self.body_source)
        )
        return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _versions(
    statement: Statement, revisions: list[StatementRevision], *, since: dt.datetime
) -> list[Version]:
    versions = []
    for number, revision in enumerate(revisions, start=1):
        versions.append(
            Version(
                number=number,
                title=revision.title,
                body_source=revision.body_source,
                body_format=revision.body_format,
                signature=revision.signature,
                since=since,
                until=revision.replaced_at,
                revision=revision,
            )
        )
        since = revision.replaced_at
    versions.append(
        Version(
            number=len(revisions) + 1,
            title=statement.title,
            body_source=statement.body_source,
            body_format=statement.body_format,
            signature=statement.signature,
            since=since,
            until=None,
        )
    )
    return versions


def public_versions(statement: Statement) -> list[Version]:
    """The versions readers saw, oldest first, the current one last; none for a
    statement readers cannot see."""
    if not statement.is_public:
        return []
    revisions = list(
        statement.revisions.filter(was_public=True).order_by("replaced_at", "pk")
    )
    return _versions(statement, revisions, since=statement.published_at)


def all_versions(statement: Statement) -> list[Version]:
    """Every version editors kept, oldest first, the current one last."""
    revisions = list(statement.revisions.order_by("replaced_at", "pk"))
    return _versions(statement, revisions, since=statement.created)


def changes(older: Version, newer: Version) -> dict[str, SafeString]:
    """What changed from ``older`` to ``newer``, as word diffs of the text
    readers read: title, body and signature."""
    return {
        "title": textformats.word_diff(older.title, newer.title),
        "body": textformats.word_diff(older.body_text, newer.body_text),
        "signature": textformats.word_diff(older.signature, newer.signature),
    }


def source_changes(older: Version, newer: Version) -> dict[str, SafeString]:
    """What changed from ``older`` to ``newer`` in what editors typed."""
    return {
        "title": textformats.word_diff(older.title, newer.title),
        "body": textformats.word_diff(older.body_source, newer.body_source),
        "signature": textformats.word_diff(older.signature, newer.signature),
    }
