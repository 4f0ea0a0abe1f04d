"""Cached pages: how they are named, kept and found fresh.

A page lives in the shared cache, for every worker, and in each worker's
memory. A worker's copy remembers the generation it was last found fresh at;
while the generation has not moved it is served as it is, and when it has,
the page's tag tokens are compared with the shared cache's once more.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import get_language_from_request

from communique.pagecache import generation, placeholders
from communique.pagecache import tags as page_tags
from communique.pagecache.snapshot import Snapshot, snapshot
from communique.worker_memory import Kept

SHARED_PREFIX = "pagecache:page:v2:"
LOCAL_PAGES = 256


@dataclass(frozen=True)
class Entry:
    """A rendered page as every reader gets it, markers and all."""

    body: bytes
    headers: tuple[tuple[str, str], ...]  # all but Content-Length and cookies
    tokens: dict[str, str]  # its tags' tokens when it was rendered
    etag: str
    stored_at: float
    per_reader: bool  # it carries markers, so a form

    def is_expired(self) -> bool:
        return time.time() - self.stored_at > snapshot().page_seconds


class LocalPage:
    """A worker's copy of an entry, split at its markers for quick filling."""

    __slots__ = ("entry", "generation", "markers", "pieces")

    def __init__(self, entry: Entry, generation: bytes) -> None:
        self.entry = entry
        self.generation = generation
        # Text at even positions, markers at odd ones.
        self.pieces = tuple(placeholders.split(entry.body))
        self.markers = frozenset(self.pieces[1::2])

    def body_with(self, values: Mapping[bytes, bytes]) -> bytes:
        """The page with each marker replaced by its value in ``values``."""
        return placeholders.joined(self.pieces, values)


local_pages: Kept[str, LocalPage] = Kept(LOCAL_PAGES)


def may_share(meta: Mapping[str, str], cookies: Mapping[str, str]) -> bool:
    """A GET or HEAD from someone not signed in, with nothing pending in a
    session or a message cookie: a request every such reader may share."""
    return (
        meta.get("REQUEST_METHOD") in ("GET", "HEAD")
        and snapshot().session_cookie not in cookies
        and "messages" not in cookies
        and "HTTP_AUTHORIZATION" not in meta
    )


def _scheme(meta: Mapping[str, str], conf: Snapshot) -> str:
    """As ``HttpRequest.scheme``."""
    if conf.proxy_ssl_header:
        header, secure_value = conf.proxy_ssl_header
        value = meta.get(header)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return meta.get("wsgi.url_scheme", "http")


def _host(meta: Mapping[str, str], conf: Snapshot) -> str:
    """The host as sent (Django checks it against ALLOWED_HOSTS on a render)."""
    if conf.forwarded_host and "HTTP_X_FORWARDED_HOST" in meta:
        return meta["HTTP_X_FORWARDED_HOST"]
    if "HTTP_HOST" in meta:
        return meta["HTTP_HOST"]
    return f"{meta.get('SERVER_NAME', '')}:{meta.get('SERVER_PORT', '')}"


def _language(
    meta: Mapping[str, str], cookies: Mapping[str, str], conf: Snapshot
) -> str:
    if conf.only_language:
        return conf.only_language
    return get_language_from_request(SimpleNamespace(META=meta, COOKIES=cookies))


def page_key(meta: Mapping[str, str], cookies: Mapping[str, str]) -> str:
    """What names a page: its language, scheme, host, path and query.

    ``meta`` is the WSGI environment, as ``request.META`` is; the same key
    comes out before Django has seen the request and after.
    """
    conf = snapshot()
    return "|".join(
        (
            _language(meta, cookies, conf),
            _scheme(meta, conf),
            _host(meta, conf),
            meta.get("SCRIPT_NAME", "") + meta.get("PATH_INFO", ""),
            meta.get("QUERY_STRING", ""),
        )
    )


def _shared_key(key: str) -> str:
    return SHARED_PREFIX + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def fresh_entry(key: str) -> Entry | None:
    """The page named ``key`` if it is still what a render would give."""
    now = generation.current(fresh=True)  # read first: a move after it shows later
    page = local_pages.get(key)
    entry = page.entry if page else caches["default"].get(_shared_key(key))
    if entry is None:
        return None
    if entry.is_expired():
        local_pages.drop(key)
        return None
    if page is not None and page.generation == now:
        return entry
    if page_tags.current_tokens(entry.tokens) != entry.tokens:
        local_pages.drop(key)
        return None
    local_pages.put(key, LocalPage(entry, now))
    return entry


def keep(key: str, entry: Entry, generation_at_start: bytes) -> None:
    """Keep ``entry``, rendered from the generation ``generation_at_start``."""
    caches["default"].set(
        _shared_key(key), entry, settings.COMMUNIQUE_PAGE_CACHE_SECONDS
    )
    local_pages.put(key, LocalPage(entry, generation_at_start))


def in_memory(key: str) -> LocalPage | None:
    """This worker's copy of the page, if it is fresh without asking anyone."""
    page = local_pages.get(key)
    if (
        page is None
        or page.generation != generation.current()
        or page.entry.is_expired()
    ):
        return None
    return page
