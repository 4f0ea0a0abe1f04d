"""The comments under a statement as HTML, each article rendered once per worker.

A worker keeps the HTML it rendered for each comment, keyed by everything the
article shows (so an edit, or HTML rebuilt by `rebuild_html`, makes a new
key). A page of 50 comments then costs 50 look-ups instead of 50 template
renders; nothing here needs to agree across workers.
"""

from __future__ import annotations

from collections.abc import Collection

from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from communique.comments.models import Comment
from communique.comments.querysets import ShownComment
from communique.worker_memory import Kept

_kept: Kept[tuple, SafeString] = Kept(
    "comment articles", size=5000, max_bytes=32 * 1024 * 1024, weigh=len
)


def shown_in_order(rows: list[ShownComment]) -> list[ShownComment]:
    """The comments, in thread order, whose every ancestor is shown too.

    ``rows`` come in path order, so a parent precedes its replies.
    """
    kept: dict[int, ShownComment] = {}
    for row in rows:
        if row.parent_id is None or row.parent_id in kept:
            kept[row.pk] = row
    return list(kept.values())


def articles_html(
    rows: list[ShownComment],
    *,
    replies_allowed: bool,
    editable: Collection[int] = (),
) -> SafeString:
    """The articles of ``rows`` (shown in order), from this worker's copies
    where it has them. ``editable``: ids of comments the reader may edit."""
    names = {row.pk: row.author_name for row in rows}
    # Besides the row: what the article shows of its parent, the links the
    # reader gets, and the language and address prefix it is written for.
    setting = (get_language(), get_script_prefix())
    keys = [
        (
            row,
            names.get(row.parent_id, ""),
            bool(replies_allowed),
            row.pk in editable,
            setting,
        )
        for row in rows
    ]
    articles = [_kept.get(key) for key in keys]
    missing = [key for key, html in zip(keys, articles, strict=True) if html is None]
    if missing:
        rendered = _render([key[0] for key in missing], replies_allowed, editable)
        for key in missing:
            if key[0].pk in rendered:
                _kept.put(key, rendered[key[0].pk])
        articles = [
            html if html is not None else rendered.get(key[0].pk, "")
            for key, html in zip(keys, articles, strict=True)
        ]
    return SafeString("".join(articles))


def _render(
    rows: list[ShownComment], replies_allowed: bool, editable: Collection[int]
) -> dict[int, SafeString]:
    """Render the articles of ``rows`` from their comments, read in one query.

    A comment removed from the database since ``rows`` were read is left out.
    """
    wanted = {row.pk for row in rows} | {
        row.parent_id for row in rows if row.parent_id is not None
    }
    comments = Comment.objects.in_bulk(wanted)
    rendered = {}
    for row in rows:
        comment = comments.get(row.pk)
        if comment is None:
            continue
        if comment.parent_id is not None:
            comment.parent = comments.get(comment.parent_id)
        comment.editable = row.pk in editable
        rendered[row.pk] = render_to_string(
            "comments/_comment.html",
            {"comment": comment, "replies_allowed": replies_allowed},
        )
    return rendered
