"""Old addresses, kept from the site an import came from, answered with 301s.

An address is kept as its path and query, normalised: no scheme or host (the
old site's domain usually points here now), no fragment, percent-escapes
decoded as Django decodes ``request.path``, no trailing slash but on ``/``,
and the query's parameters sorted, without the tracking ones (``utm_*``).
``/?p=45``, ``/node/123`` and ``/2022/01/what-we-said/`` are kept as
``/?p=45``, ``/node/123`` and ``/2022/01/what-we-said``.

``OldAddressMiddleware`` asks the database only where an old address can
be: on a 404, and on the front page asked with a query the old systems used
(WordPress's ``?p=45``, Drupal's ``?q=node/123``), which would otherwise show
the front page. Every other request costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import SplitResult, parse_qsl, unquote, urlencode, urlsplit

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponseBase, HttpResponsePermanentRedirect
from django.utils.cache import patch_cache_control
from django.utils.translation import override

from communique.imports.models import OldAddress
from communique.publishing.models import Statement

# Query parameters with which WordPress and Drupal named a post on their front
# page; asked at one of FRONT_PATHS, they are looked up before the front page.
OLD_QUERY_PARAMETERS = frozenset({"p", "page_id", "q", "attachment_id"})
FRONT_PATHS = frozenset({"/", "/index.php"})
REDIRECT_MAX_AGE = 24 * 60 * 60


def _split(address: str) -> SplitResult:
    try:
        return urlsplit(address)
    except ValueError:
        # A host urlsplit refuses ("//[x/", "http://[bad/path"): the host is
        # not kept anyway, so drop it and read the rest as a path.
        rest = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*:", "", address)
        rest = re.sub(r"^//[^/?#]*", "", rest)
        return urlsplit(rest)


def normalise(address: str) -> str:
    """The form ``address`` (a URL or a path, with or without a query) is
    kept and looked up in."""
    parts = _split(address.strip())
    path = unquote(parts.path or "/")
    if not path.startswith("/"):
        path = "/" + path
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.startswith("utm_")
    )
    return path + ("?" + urlencode(query) if query else "")


def _same_addresses(kept: str) -> list[str]:
    """``kept`` and, for a query on the front page, the same query on the
    other path the old systems answered it at: WordPress and Drupal show
    ``/index.php?p=45`` as they show ``/?p=45``."""
    for front, other in (("/index.php?", "/?"), ("/?", "/index.php?")):
        if kept.startswith(front):
            return [kept, other + kept.removeprefix(front)]
    return [kept]


def target_of(address: str) -> str | None:
    """Where the old ``address`` leads now: the page of its statement or
    comment while readers can see it, else None."""
    kept = normalise(address)
    found = {
        old.address: old
        for old in OldAddress.objects.filter(
            address__in=_same_addresses(kept)
        ).select_related("statement", "comment__statement")
    }
    old = found.get(kept) or next(iter(found.values()), None)
    if old is None:
        return None
    if old.comment is not None:
        statement = old.comment.statement
        if not old.comment.is_published:
            return None
    else:
        statement = old.statement
    if not Statement.objects.published().filter(pk=statement.pk).exists():
        return None
    if old.comment is not None:
        with override(statement.language):
            return old.comment.get_absolute_url()
    return statement.get_absolute_url()


def _asks_front_page_by_old_query(request: HttpRequest) -> bool:
    return request.path in FRONT_PATHS and not OLD_QUERY_PARAMETERS.isdisjoint(
        request.GET
    )


def _redirect(request: HttpRequest) -> HttpResponseBase | None:
    if request.method not in ("GET", "HEAD"):
        return None
    try:
        target = target_of(request.get_full_path())
    except DatabaseError:  # the page answers as it would have
        return None
    if target is None:
        return None
    response = HttpResponsePermanentRedirect(target)
    patch_cache_control(response, public=True, max_age=REDIRECT_MAX_AGE)
    return response


class OldAddressMiddleware:
    """Answer an old address with a permanent redirect to its new page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _asks_front_page_by_old_query(request):
            redirect = _redirect(request)
            if redirect is not None:
                return redirect
        response = self.get_response(request)
        if response.status_code == 404:
            return _redirect(request) or response
        return response
