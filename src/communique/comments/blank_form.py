"""The empty comment form under a statement, rendered once per worker.

For a reader who is not signed in, the empty form differs between statements
only in the address it posts to: pages carry nothing per reader. So a worker
renders it once per statement and language and keeps the HTML; rendering it
through Django's form templates costs more than the rest of the statement
page. Changed settings (in tests) forget every copy (``worker_memory``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from communique.comments.forms import CommentForm
from communique.worker_memory import Kept

if TYPE_CHECKING:
    from communique.publishing.models import Statement

_kept: Kept[tuple, SafeString] = Kept("blank comment forms", size=1000, weigh=len)


def render(request: HttpRequest, statement: Statement, *, captcha: bool) -> SafeString:
    """The form section for a new comment on ``statement``, from this worker's
    copies when it may. ``captcha``: whether the form asks for one."""
    anonymous = not request.user.is_authenticated
    key = (statement.pk, get_language(), get_script_prefix(), captcha)
    if anonymous and (html := _kept.get(key)) is not None:
        return html
    form = CommentForm(
        statement=statement, user=request.user, captcha=[] if captcha else None
    )
    context = {"form": form, "preview": None, "heading": _("Add new comment")}
    html = render_to_string("comments/_form.html", context, request)
    if anonymous:
        _kept.put(key, html)
    return html
