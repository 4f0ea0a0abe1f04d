"""A WSGI layer that serves this worker's fresh cached pages before Django.

On a hit no request object is built, no middleware and no URL resolution run:
the stored bytes go out with the headers stored with them. Everything else
(misses, conditional requests, signed-in readers, readers with a message
waiting, anything but GET and HEAD) goes to Django, where
``PageCacheMiddleware`` serves or stores the page. A failing cache sends every
request to Django, which renders it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.http.cookie import parse_cookie

from communique.pagecache import keys, pages
from communique.pagecache.failures import CACHE_ERRORS, log_failure
from communique.pagecache.snapshot import snapshot

WSGIApplication = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Served = tuple[str, list[tuple[str, str]], bytes]
# Requests asking for a 304 go to Django, which answers them.
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


class CachedPagesApplication:
    """Wrap a WSGI application (Django's) with the in-memory page cache."""

    def __init__(self, application: WSGIApplication) -> None:
        self.application = application

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        served = serve_from_memory(environ)
        if served is None:
            return self.application(environ, start_response)
        status, headers, body = served
        start_response(status, headers)
        return [body]


def serve_from_memory(environ: dict[str, Any]) -> Served | None:
    """(status, headers, body) of a fresh page this worker holds, else None."""
    if not snapshot().page_cache or any(
        name in environ for name in CONDITIONAL_HEADERS
    ):
        return None
    raw_cookies = environ.get("HTTP_COOKIE")
    cookies = parse_cookie(raw_cookies) if raw_cookies else {}
    if not pages.may_share(environ, cookies):
        return None
    try:
        entry = pages.in_memory(keys.page_key(environ))
    except CACHE_ERRORS as error:
        log_failure("reading a page from memory", error)
        return None
    if entry is None:
        return None
    body, headers = entry.variant(environ.get("HTTP_ACCEPT_ENCODING", ""))
    return "200 OK", headers, b"" if environ["REQUEST_METHOD"] == "HEAD" else body
