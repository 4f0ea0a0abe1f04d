"""Rendering comments under a statement, each article rendered once per worker.

A worker keeps the HTML it rendered for each comment, keyed by everything the
article shows (so an edit, or HTML rebuilt by `rebuild_html`, makes a new
key). A page of 50 comments then costs 50 look-ups instead of 50 template
renders; nothing here needs to agree across workers.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from communique.comments.models import Comment
from communique.worker_memory import Kept

register = template.Library()

_kept: Kept[tuple, SafeString] = Kept(5000)


def _key(comment: Comment, replies_allowed: bool) -> tuple:
    """Everything the article shows: any change makes a new key."""
    return (
        comment.pk,
        comment.edited,
        comment.body_html,
        comment.subject,
        comment.author_name,
        comment.homepage,
        comment.depth,
        comment.parent.author_name if comment.parent_id else "",
        bool(replies_allowed),
        bool(getattr(comment, "editable", False)),
        get_language(),
    )


@register.simple_tag
def comment_article(comment: Comment, replies_allowed: bool) -> SafeString:
    """The comment's article, from this worker's copies when it has one."""
    context = {"comment": comment, "replies_allowed": replies_allowed}
    if comment.pk is None:
        return render_to_string("comments/_comment.html", context)
    key = _key(comment, replies_allowed)
    html = _kept.get(key)
    if html is None:
        html = render_to_string("comments/_comment.html", context)
        _kept.put(key, html)
    return html
