"""Cached pages: how they are kept and found fresh.

A page lives in the shared cache, for every worker, and in each worker's
memory. A worker's copy remembers the generation it was last found fresh at;
while the generation has not moved it is served as it is, and when it has,
the page's tag tokens are compared with the shared cache's once more.

Every page is kept as its bytes and as those bytes compressed with gzip and
with brotli, each made the first time a reader asks for it, so that a hit
never compresses anything. Brotli (quality 5) makes pages about a fifth
smaller than gzip; browsers ask for it over HTTPS only.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Mapping

import brotli
from django.core.cache import caches
from django.utils.text import compress_string

from communique.pagecache import generation
from communique.pagecache import tags as page_tags
from communique.pagecache.snapshot import snapshot
from communique.worker_memory import Kept

SHARED_PREFIX = "pagecache:page:v3:"
LOCAL_PAGES = 512
LOCAL_BYTES = 64 * 1024 * 1024
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as Django's GZipMiddleware reads it
ACCEPTS_BROTLI = re.compile(r"\bbr\b")
BROTLI_QUALITY = 5


class Entry:
    """A rendered page as every reader gets it.

    The compressed copies are made when a reader first asks for them, and
    kept with the page: the request that stores a page makes the copy it asks
    for (a browser's or Varnish's gzip, mostly) before the page goes to the
    shared cache, and each worker makes any other once. Compressing every
    copy up front would cost more than rendering the page (brotli alone 7 M
    instructions for a statement with 50 comments, bench/render_cost.py).
    """

    __slots__ = ("body", "encoded", "etag", "headers", "stored_at", "tokens")

    def __init__(
        self,
        body: bytes,
        headers: tuple[tuple[str, str], ...],
        tokens: dict[str, str],
        stored_at: float,
    ) -> None:
        self.body = body
        self.headers = headers  # all but the length, encoding and ETag
        self.tokens = tokens  # its tags' tokens when it was rendered
        self.stored_at = stored_at
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        self.etag = f'"{digest}"'  # of the plain body; "-gz"/"-br" for copies
        self.encoded: dict[str, bytes] = {}

    def __getstate__(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state: tuple) -> None:
        for name, value in zip(self.__slots__, state, strict=True):
            setattr(self, name, value)

    def is_expired(self) -> bool:
        return time.time() - self.stored_at > snapshot().page_seconds

    def weight(self) -> int:
        # The body, and room for its compressed copies (a fifth each, or less).
        return len(self.body) * 3 // 2

    def variant(self, accept_encoding: str) -> tuple[bytes, list[tuple[str, str]]]:
        """The body and headers for a reader who accepts ``accept_encoding``:
        brotli, else gzip, else the plain bytes."""
        headers = list(self.headers)
        if ACCEPTS_BROTLI.search(accept_encoding):
            encoding = "br"
        elif ACCEPTS_GZIP.search(accept_encoding):
            encoding = "gzip"
        else:
            headers += [("ETag", self.etag), ("Content-Length", str(len(self.body)))]
            return self.body, headers
        body = self.encoded.get(encoding)
        if body is None:
            body = self.encoded[encoding] = COMPRESSORS[encoding](self.body)
        etag = self.etag[:-1] + ("-br" if encoding == "br" else "-gz") + '"'
        headers += [
            ("Content-Encoding", encoding),
            ("ETag", etag),
            ("Content-Length", str(len(body))),
        ]
        return body, headers


COMPRESSORS = {
    "gzip": compress_string,
    "br": lambda body: brotli.compress(body, quality=BROTLI_QUALITY),
}


class LocalPage:
    """A worker's copy of an entry, with the generation it was fresh at."""

    __slots__ = ("entry", "generation")

    def __init__(self, entry: Entry, generation: bytes) -> None:
        self.entry = entry
        self.generation = generation


local_pages: Kept[str, LocalPage] = Kept(
    "pages",
    size=LOCAL_PAGES,
    max_bytes=LOCAL_BYTES,
    weigh=lambda page: page.entry.weight(),
)


def may_share(meta: Mapping[str, str], cookies: Mapping[str, str]) -> bool:
    """A GET or HEAD from someone not signed in, with nothing pending in a
    session or a message cookie: a request every such reader may share."""
    return (
        meta.get("REQUEST_METHOD") in ("GET", "HEAD")
        and snapshot().session_cookie not in cookies
        and "messages" not in cookies
        and "HTTP_AUTHORIZATION" not in meta
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
    caches["default"].set(_shared_key(key), entry, snapshot().page_seconds)
    local_pages.put(key, LocalPage(entry, generation_at_start))


def in_memory(key: str) -> Entry | None:
    """This worker's copy of the page, if it is fresh without asking anyone."""
    page = local_pages.get(key)
    if (
        page is None
        or page.generation != generation.current()
        or page.entry.is_expired()
    ):
        return None
    return page.entry
