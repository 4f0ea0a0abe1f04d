"""Serving and storing cached pages, before the rest of the middleware runs.

Fresh pages a worker holds in memory are usually served even earlier, by the
WSGI layer in ``pagecache.wsgi``; what reaches this middleware is the rest:
the first request for a page, the first after an invalidation, conditional
requests, and every request from a test client.

A page is stored when its view was marked ``@cached_page``, the reader shares
it (not signed in, no message waiting) and it rendered as a 200 without
cookies. Every reader then gets the same bytes, with ``Cache-Control:
public`` and the page's tags in ``Surrogate-Key`` and ``Cache-Tag``, for
Varnish or a CDN in front. The same page for a signed-in reader is sent
``private``. When the cache fails, pages are rendered and sent as they are.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from email.utils import formatdate

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)

from communique.pagecache import generation, keys, pages
from communique.pagecache import tags as page_tags
from communique.pagecache.failures import CACHE_ERRORS, log_failure

SKIPPED_PREFIXES = ("/admin/", "/captcha/", "/moderation/")
# Set in the WSGI environment by a caller that asks for every page once (the
# static export): kept pages are served to it, and what it renders is sent
# as usual but not kept, where it would push out the pages readers share.
READ_ONLY = "communique.pagecache.read_only"
# Headers of the rendered response that the stored page does not repeat: its
# length, encoding and validators are its own, and it sets no cookie.
SKIPPED_HEADERS = frozenset(
    {
        "set-cookie",
        "content-length",
        "content-encoding",
        "etag",
        "last-modified",
        "cache-control",
        "vary",
        "expires",
    }
)


def _without_language(path: str) -> str:
    """``path`` without a leading language prefix (``/fa/admin/`` → ``/admin/``)."""
    first, slash, rest = path[1:].partition("/")
    if slash and first in dict(settings.LANGUAGES):
        return "/" + rest
    return path


def _reader_may_share(request: HttpRequest) -> bool:
    return pages.may_share(request.META, request.COOKIES) and not (
        request.path.startswith(settings.STATIC_URL)
        or _without_language(request.path).startswith(SKIPPED_PREFIXES)
    )


class PageCacheMiddleware:
    """Serve anonymous pages from the cache; store the ones views marked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _reader_may_share(request):
            return _private_if_cacheable(request, self.get_response(request))
        try:
            request.get_host()
        except DisallowedHost:  # Django refuses it further in
            return self.get_response(request)
        key = keys.page_key(request.META)
        generation_at_start = None
        # With the page cache off, pages are rendered every time, and are
        # still the same for everyone: sent public all the same.
        if settings.COMMUNIQUE_PAGE_CACHE:
            try:
                entry = pages.fresh_entry(key)
                if entry is not None:
                    return _respond(request, entry)
                generation_at_start = generation.current(fresh=True)
            except CACHE_ERRORS as error:
                log_failure("reading a page", error)
        response = self.get_response(request)
        if not _is_storable(request, response):
            return _private_if_cacheable(request, response)
        if not getattr(request, "page_cache_keep", True) or request.META.get(READ_ONLY):
            generation_at_start = None  # sent as the others, never kept
        return _respond(request, _stored(key, request, response, generation_at_start))


def _stored(
    key: str,
    request: HttpRequest,
    response: HttpResponseBase,
    generation_at_start: bytes | None,
) -> pages.Entry:
    """The rendered page as every reader gets it, kept when the page cache is
    on, works, and nothing changed while the page was rendered (sent either
    way)."""
    tags = tuple(dict.fromkeys(request.page_cache_tags))
    if generation_at_start is not None:
        try:
            entry = _new_entry(response, tags, page_tags.current_tokens(tags))
            # The copy this reader gets goes to the shared cache with the page.
            entry.variant(request.headers.get("Accept-Encoding", ""))
            if generation.current(fresh=True) == generation_at_start:
                pages.keep(key, entry, generation_at_start)
            return entry
        except CACHE_ERRORS as error:
            log_failure("storing a page", error)
    return _new_entry(response, tags, dict.fromkeys(tags, ""))


def _is_storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        getattr(request, "page_cache_tags", None) is not None
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _private_if_cacheable(
    request: HttpRequest, response: HttpResponseBase
) -> HttpResponseBase:
    """A cacheable page shown to one reader (signed in, say), and any page
    shown to someone signed in, is theirs alone: not kept by the browser's
    cache either, where the next person at a shared computer would find it."""
    user = getattr(request, "user", None)
    if getattr(request, "page_cache_tags", None) is not None or (
        user is not None and user.is_authenticated
    ):
        patch_cache_control(response, private=True, no_store=True)
    return response


def _new_entry(
    response: HttpResponseBase, tags: tuple[str, ...], tokens: dict[str, str]
) -> pages.Entry:
    stored_at = time.time()
    return pages.Entry(
        response.content,
        _headers_for_readers(response, tags, stored_at),
        tokens,
        stored_at,
    )


def _headers_for_readers(
    rendered: HttpResponseBase, tags: tuple[str, ...], stored_at: float
) -> tuple[tuple[str, str], ...]:
    """The headers every reader of the page gets, whichever way it is served."""
    response = HttpResponse()
    for name, value in rendered.headers.items():
        if name.lower() not in SKIPPED_HEADERS:
            response.headers[name] = value
    response.headers["Last-Modified"] = formatdate(stored_at, usegmt=True)
    response.headers["Surrogate-Key"] = " ".join(tags)
    response.headers["Cache-Tag"] = ",".join(tags)
    patch_vary_headers(response, ("Accept-Encoding",))
    patch_cache_control(
        response,
        public=True,
        max_age=settings.COMMUNIQUE_PAGE_CACHE_MAX_AGE,
        stale_while_revalidate=settings.COMMUNIQUE_PAGE_CACHE_STALE_WHILE_REVALIDATE,
        stale_if_error=settings.COMMUNIQUE_PAGE_CACHE_STALE_IF_ERROR,
    )
    return tuple(response.headers.items())


def _respond(request: HttpRequest, entry: pages.Entry) -> HttpResponseBase:
    body, headers = entry.variant(request.headers.get("Accept-Encoding", ""))
    response = HttpResponse(body)
    for name, value in headers:
        response.headers[name] = value
    etag = response.headers["ETag"]
    return get_conditional_response(
        request, etag=etag, last_modified=int(entry.stored_at), response=response
    )
