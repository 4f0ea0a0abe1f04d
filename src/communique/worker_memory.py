"""What a worker process keeps in memory between requests, bounded.

Rendered fragments and cached pages are kept per worker in a ``Kept``: a
mapping that holds at most ``size`` items and lets go of the one used least
recently. The worker's threads share it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """At most ``size`` items, the least recently used let go first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        item = self._items.get(key)
        if item is not None:
            # One step of the C OrderedDict: safe without the lock. (Not
            # contextlib.suppress: a page makes dozens of look-ups.)
            try:  # noqa: SIM105
                self._items.move_to_end(key)
            except KeyError:  # another thread let it go meanwhile
                pass
        return item

    def put(self, key: K, item: V) -> None:
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def drop(self, key: K) -> None:
        with self._lock:
            self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
