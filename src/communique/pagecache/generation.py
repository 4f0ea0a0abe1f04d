"""The generation: a value that changes with every invalidation anywhere.

A worker keeps its pages in memory with the generation they were last checked
at. While the generation is unchanged no tag can have changed either, so a
page is served without asking the shared cache anything; when it has changed,
the page's tags are checked once more (``tags.current_tokens``).

Two parts make it up:

- a 16-byte marker in a file in the data folder, mapped into every worker's
  memory. Reading it costs a memory read, and every worker on this machine
  sees a change at once;
- when the cache is shared between machines (Redis), a token in that cache
  too, so that workers on other app servers see it. Each worker reads it at
  most once every ``COMMUNIQUE_PAGE_CACHE_SHARED_CHECK_MS`` milliseconds
  (0: on every request).
"""

from __future__ import annotations

import mmap
import os
import secrets
import threading
import time
from pathlib import Path

from django.core.cache import caches

from communique.pagecache.snapshot import snapshot

MARKER_FILE = "pagecache-generation"
MARKER_SIZE = 16
SHARED_KEY = "pagecache:generation"
RECHECK_SECONDS = 1.0  # how often a worker checks its marker file is still there


class _Marker:
    """The marker file of one data folder, mapped once per process.

    Should the file be deleted or replaced while workers run, each worker maps
    the new one within ``RECHECK_SECONDS`` (and before writing to it), rather
    than going on reading a file no other process sees.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._map()

    def _map(self) -> None:
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            status = os.fstat(descriptor)
            if status.st_size < MARKER_SIZE:
                # Written, not extended: a page of a sparse file is given its
                # disk space when first written through the map, and a full
                # disk would then kill the process (SIGBUS) instead of
                # raising OSError here.
                os.pwrite(descriptor, secrets.token_bytes(MARKER_SIZE), 0)
            self.memory = mmap.mmap(descriptor, MARKER_SIZE)
            self.identity = (status.st_dev, status.st_ino)
        finally:
            os.close(descriptor)
        self.checked_at = time.monotonic()

    def _follow_the_file(self, *, now: bool = False) -> None:
        if not now and time.monotonic() - self.checked_at < RECHECK_SECONDS:
            return
        self.checked_at = time.monotonic()
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            self._map()
            return
        if (status.st_dev, status.st_ino) != self.identity:
            self._map()

    def read(self) -> bytes:
        self._follow_the_file()
        return self.memory[:MARKER_SIZE]

    def advance(self) -> None:
        self._follow_the_file(now=True)
        self.memory[:MARKER_SIZE] = secrets.token_bytes(MARKER_SIZE)


_markers: dict[str, _Marker] = {}  # by data folder
_markers_lock = threading.Lock()
_shared_seen: tuple[float, str] = (float("-inf"), "")  # (when read, value)


def _marker(data_dir: str) -> _Marker:
    marker = _markers.get(data_dir)
    if marker is None:
        with _markers_lock:
            marker = _markers.get(data_dir) or _Marker(Path(data_dir) / MARKER_FILE)
            _markers[data_dir] = marker
    return marker


def _shared_token(*, fresh: bool, interval: float) -> str:
    global _shared_seen
    now = time.monotonic()
    read_at, value = _shared_seen
    if fresh or now - read_at >= interval:
        value = caches["default"].get(SHARED_KEY) or ""
        _shared_seen = (now, value)
    return value


def current(*, fresh: bool = False) -> bytes:
    """The generation as this worker knows it.

    ``fresh`` reads the shared cache's part now rather than within the check
    interval: for decisions that store pages rather than serve them.
    """
    conf = snapshot()
    local = _marker(conf.data_dir).read()
    if not conf.shared_between_machines:
        return local
    return (
        local + _shared_token(fresh=fresh, interval=conf.shared_check_seconds).encode()
    )


def advance() -> None:
    """Start a new generation, here and, through the shared cache, everywhere."""
    global _shared_seen
    conf = snapshot()
    if conf.shared_between_machines:
        token = secrets.token_hex(8)
        caches["default"].set(SHARED_KEY, token, None)
        _shared_seen = (time.monotonic(), token)
    _marker(conf.data_dir).advance()
