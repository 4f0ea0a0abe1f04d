"""A WSGI layer that serves this worker's fresh cached pages before Django.

On a hit no request object is built, no middleware and no URL resolution run:
the page's pieces are joined with this reader's CSRF token, CAPTCHA id and
form time, and sent with the headers stored with it. Everything else (misses,
conditional requests, signed-in readers, readers with a message waiting,
anything but GET and HEAD) goes to Django, where ``PageCacheMiddleware``
serves or stores the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.http.cookie import parse_cookie

from communique.pagecache import csrf, pages, placeholders
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
    conf = snapshot()
    if not conf.page_cache or any(name in environ for name in CONDITIONAL_HEADERS):
        return None
    raw_cookies = environ.get("HTTP_COOKIE")
    cookies = parse_cookie(raw_cookies) if raw_cookies else {}
    if not pages.may_share(environ, cookies):
        return None
    page = pages.in_memory(pages.page_key(environ, cookies))
    if page is None:
        return None
    headers = list(page.entry.headers)
    token = ""
    if placeholders.CSRF_MARKER_BYTES in page.markers:
        if conf.csrf_in_session:
            return None  # the token lives in the session: Django's business
        token, cookie = csrf.token_and_cookie(cookies)
        headers.append(("Set-Cookie", cookie))
    values = placeholders.values_for(page.markers, lambda: token)
    body = page.body_with(values)
    headers.append(("Content-Length", str(len(body))))
    return "200 OK", headers, b"" if environ["REQUEST_METHOD"] == "HEAD" else body
