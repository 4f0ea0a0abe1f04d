"""The empty comment form under a statement, rendered once per worker.

For a reader who is not signed in, the empty form differs between statements
only in the address it posts to, and between readers only in the CSRF token,
CAPTCHA id and form time, which cacheable pages carry as markers filled per
response. So a worker renders it once per statement and language and keeps
the HTML; rendering it through Django's form templates costs more than the
rest of the statement page. Changed settings (in tests) forget every copy.
"""

from __future__ import annotations

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

_kept: Kept[tuple, SafeString] = Kept(1000)


def render(request: HttpRequest, form: CommentForm) -> SafeString:
    """The form section with ``form``, from this worker's copies when it may."""
    context = {"form": form, "preview": None, "heading": _("Add new comment")}
    if form.is_bound or form.user is not None or form.initial:
        return render_to_string("comments/_form.html", context, request)
    key = (
        form.statement.pk,
        get_language(),
        get_script_prefix(),
        tuple(form.fields),
    )
    html = _kept.get(key)
    if html is None:
        html = render_to_string("comments/_form.html", context, request)
        if CSRF_MARKER not in html:
            return html  # it holds this reader's own token: never for another
        _kept.put(key, html)
    return html


def forget(**kwargs) -> None:
    _kept.clear()


setting_changed.connect(forget, dispatch_uid="communique.comments.blank_form")
