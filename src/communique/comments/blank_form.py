"""The empty comment form under a statement, rendered once per worker.

For a reader who is not signed in, the empty form differs between statements
only in the address it posts to, and between readers only in the CSRF token,
CAPTCHA id and form time, which cacheable pages carry as markers filled per
response. So a worker renders it once per statement and language and keeps
the HTML; rendering it through Django's form templates costs more than the
rest of the statement page. Changed settings (in tests) forget every copy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.signals import setting_changed
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from communique.comments.forms import CommentForm
from communique.pagecache.placeholders import CSRF_MARKER
from communique.worker_memory import Kept

if TYPE_CHECKING:
    from communique.publishing.models import Statement

_kept: Kept[tuple, SafeString] = Kept(1000)


def render(request: HttpRequest, statement: Statement, *, captcha: bool) -> SafeString:
    """The form section for a new comment on ``statement``, from this worker's
    copies when it may. ``captcha``: whether the form asks for one."""
    anonymous = not request.user.is_authenticated
    key = (statement.pk, get_language(), get_script_prefix(), captcha)
    if anonymous and (html := _kept.get(key)) is not None:
        return html
    form = CommentForm(statement=statement, user=request.user, captcha=captcha)
    context = {"form": form, "preview": None, "heading": _("Add new comment")}
    html = render_to_string("comments/_form.html", context, request)
    if anonymous and CSRF_MARKER in html:
        # Without the marker it holds this reader's own token: never for another.
        _kept.put(key, html)
    return html


def forget(**kwargs) -> None:
    _kept.clear()


setting_changed.connect(forget, dispatch_uid="communique.comments.blank_form")
