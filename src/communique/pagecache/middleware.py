"""Serving and storing cached pages, before most of the middleware runs."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.translation import get_language_from_request

from communique.pagecache import placeholders
from communique.pagecache import tags as page_tags

ENTRY_PREFIX = "pagecache:page:"
LOCAL_ENTRIES = 256
SKIPPED_PREFIXES = ("/admin/", "/captcha/", "/moderation/")
SKIPPED_HEADERS = frozenset({"set-cookie", "etag", "last-modified", "cache-control"})


@dataclass(frozen=True)
class Entry:
    body: bytes
    headers: tuple[tuple[str, str], ...]
    tokens: dict[str, str]
    etag: str
    stored_at: float
    per_reader: bool


def _reader_may_share(request: HttpRequest) -> bool:
    """Anonymous, with nothing pending in a session or a message cookie."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith((settings.STATIC_URL, *SKIPPED_PREFIXES)):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def _key(request: HttpRequest) -> str:
    language = get_language_from_request(request)
    address = f"{language}:{request.get_host()}:{request.get_full_path()}"
    return ENTRY_PREFIX + hashlib.blake2b(address.encode(), digest_size=16).hexdigest()


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
        self.local: OrderedDict[str, Entry] = OrderedDict()
        self.local_lock = threading.Lock()  # a worker's threads share the copies

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.COMMUNIQUE_PAGE_CACHE or not _reader_may_share(request):
            return self.get_response(request)
        try:
            key = _key(request)
        except Exception:  # noqa: BLE001 - a bad Host header is for Django to refuse
            return self.get_response(request)
        entry = self._fresh_entry(key)
        if entry is not None:
            return self._respond(request, entry)
        epoch_before = page_tags.epoch()
        response = self.get_response(request)
        entry = self._entry_from(request, response, epoch_before)
        if entry is not None:
            caches["default"].set(key, entry, settings.COMMUNIQUE_PAGE_CACHE_SECONDS)
            self._remember(key, entry)
            return self._respond(request, entry)
        return response

    def _fresh_entry(self, key: str) -> Entry | None:
        entry = self.local.get(key)
        if entry is None:
            entry = caches["default"].get(key)
            if entry is None:
                return None
            self._remember(key, entry)
        too_old = time.time() - entry.stored_at > settings.COMMUNIQUE_PAGE_CACHE_SECONDS
        if too_old or page_tags.current_tokens(entry.tokens) != entry.tokens:
            with self.local_lock:
                self.local.pop(key, None)
            return None
        return entry

    def _remember(self, key: str, entry: Entry) -> None:
        with self.local_lock:
            self.local[key] = entry
            self.local.move_to_end(key)
            while len(self.local) > LOCAL_ENTRIES:
                self.local.popitem(last=False)

    def _entry_from(
        self, request: HttpRequest, response: HttpResponseBase, epoch_before
    ) -> Entry | None:
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
        if page_tags.epoch() != epoch_before:
            return None  # something changed while rendering: do not keep it
        body = response.content
        headers = tuple(
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in SKIPPED_HEADERS
        )
        return Entry(
            body=body,
            headers=headers,
            tokens=tokens,
            etag='"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"',
            stored_at=time.time(),
            per_reader=any(marker in body for marker in placeholders.MARKERS),
        )

    def _respond(self, request: HttpRequest, entry: Entry) -> HttpResponseBase:
        response = HttpResponse(entry.body if request.method == "GET" else b"")
        for name, value in entry.headers:
            response.headers[name] = value
        response.headers["Content-Length"] = str(len(entry.body))
        response.headers["ETag"] = entry.etag
        response.headers["Last-Modified"] = formatdate(entry.stored_at, usegmt=True)
        patch_vary_headers(response, ("Cookie",))
        patch_cache_control(
            response,
            max_age=settings.COMMUNIQUE_PAGE_CACHE_MAX_AGE,
            **({"private": True} if entry.per_reader else {"public": True}),
        )
        conditional = get_conditional_response(
            request,
            etag=entry.etag,
            last_modified=int(entry.stored_at),
            response=response,
        )
        return conditional
