"""Serving and storing cached pages, before most of the middleware runs.

Fresh pages a worker holds in memory are usually served even earlier, by the
WSGI layer in ``pagecache.wsgi``; what reaches this middleware is the rest:
the first request for a page, the first after an invalidation, conditional
requests, and every request from a test client.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from email.utils import formatdate

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)

from communique.pagecache import generation, pages, placeholders
from communique.pagecache import tags as page_tags

SKIPPED_PREFIXES = ("/admin/", "/captcha/", "/moderation/")
SKIPPED_HEADERS = frozenset(
    {"set-cookie", "content-length", "etag", "last-modified", "cache-control"}
)


def _reader_may_share(request: HttpRequest) -> bool:
    return pages.may_share(request.META, request.COOKIES) and not (
        request.path.startswith((settings.STATIC_URL, *SKIPPED_PREFIXES))
    )


class PlaceholderMiddleware:
    """Fill per-reader values into every page; outermost, so cached pages too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        placeholders.fill(request, response)
        return response


class PageCacheMiddleware:
    """Serve anonymous pages from the cache; store the ones views tagged."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.COMMUNIQUE_PAGE_CACHE or not _reader_may_share(request):
            return self.get_response(request)
        try:
            request.get_host()
        except DisallowedHost:  # Django refuses it further in
            return self.get_response(request)
        key = pages.page_key(request.META, request.COOKIES)
        entry = pages.fresh_entry(key)
        if entry is not None:
            return _respond(request, entry)
        generation_at_start = generation.current(fresh=True)
        response = self.get_response(request)
        entry = _entry_from(request, response, generation_at_start)
        if entry is None:
            return response
        pages.keep(key, entry, generation_at_start)
        return _respond(request, entry)


def _entry_from(
    request: HttpRequest, response: HttpResponseBase, generation_at_start: bytes
) -> pages.Entry | None:
    tags = getattr(request, "page_cache_tags", ())
    if (
        not tags
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or "private" in response.get("Cache-Control", "")
        or "no-store" in response.get("Cache-Control", "")
        or (
            getattr(request, "session", None) is not None
            and request.session.accessed
            and not request.session.is_empty()
        )
    ):
        return None
    tokens = page_tags.current_tokens(tags)
    if generation.current(fresh=True) != generation_at_start:
        return None  # something changed while rendering: do not keep it
    body = response.content
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    stored_at = time.time()
    per_reader = any(marker in body for marker in placeholders.MARKERS)
    return pages.Entry(
        body=body,
        headers=_headers_for_readers(response, etag, stored_at, per_reader, tokens),
        tokens=tokens,
        etag=etag,
        stored_at=stored_at,
        per_reader=per_reader,
    )


def _headers_for_readers(
    rendered: HttpResponseBase,
    etag: str,
    stored_at: float,
    per_reader: bool,
    tags: Iterable[str] = (),
) -> tuple[tuple[str, str], ...]:
    """The headers every reader of the page gets, whichever way it is served."""
    response = HttpResponse()
    for name, value in rendered.headers.items():
        if name.lower() not in SKIPPED_HEADERS:
            response.headers[name] = value
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = formatdate(stored_at, usegmt=True)
    patch_vary_headers(response, ("Cookie",))
    if tags:  # for an HTTP cache in front: see pagecache/purge.py
        response.headers["Surrogate-Key"] = " ".join(tags)
        response.headers["Cache-Tag"] = ",".join(tags)
    patch_cache_control(
        response,
        max_age=settings.COMMUNIQUE_PAGE_CACHE_MAX_AGE,
        **({"private": True} if per_reader else {"public": True}),
    )
    return tuple(response.headers.items())


def _respond(request: HttpRequest, entry: pages.Entry) -> HttpResponseBase:
    # A HEAD gets the body too, as from Django's own views: the markers are
    # filled and the length set from the filled page before the server drops
    # the body.
    response = HttpResponse(entry.body)
    for name, value in entry.headers:
        response.headers[name] = value
    response.headers["Content-Length"] = str(len(entry.body))
    return get_conditional_response(
        request,
        etag=entry.etag,
        last_modified=int(entry.stored_at),
        response=response,
    )
