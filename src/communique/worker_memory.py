"""What a worker process keeps in memory between requests, bounded.

Rendered fragments, cached pages and remembered values are kept per worker in
``Kept`` memories: mappings that hold at most ``size`` items and at most
``max_bytes`` of them (as ``weigh`` counts), letting go of the least recently
used first. The worker's threads share them.

Every memory is listed in one registry, so that the whole of what a worker
keeps can be told (``usage``) and dropped at once (``forget_all``: tests start
afresh, and so does a worker whose settings changed).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.core.signals import setting_changed

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_registry: dict[str, Kept] = {}


def _one(item: object) -> int:
    return 1


class Kept(Generic[K, V]):
    """At most ``size`` items weighing at most ``max_bytes`` in all, the least
    recently used let go first. ``weigh``: an item's weight in bytes (by
    default every item weighs one byte, and only ``size`` bounds it)."""

    def __init__(
        self,
        name: str,
        *,
        size: int,
        max_bytes: int | None = None,
        weigh: Callable[[V], int] = _one,
    ) -> None:
        self.name = name
        self.size = size
        self.max_bytes = max_bytes
        self.weigh = weigh
        self.weight = 0
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()
        _registry[name] = self

    def get(self, key: K) -> V | None:
        found = self._items.get(key)
        if found is None:
            return None
        # One step of the C OrderedDict: safe without the lock. (Not
        # contextlib.suppress: a page makes dozens of look-ups.)
        try:  # noqa: SIM105
            self._items.move_to_end(key)
        except KeyError:  # another thread let it go meanwhile
            pass
        return found[0]

    def put(self, key: K, item: V) -> None:
        weight = self.weigh(item)
        if self.max_bytes is not None and weight > self.max_bytes:
            return  # it would push out everything else
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.weight -= old[1]
            self._items[key] = (item, weight)
            self.weight += weight
            while len(self._items) > self.size or (
                self.max_bytes is not None and self.weight > self.max_bytes
            ):
                _, (_, dropped) = self._items.popitem(last=False)
                self.weight -= dropped

    def drop(self, key: K) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.weight -= old[1]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.weight = 0

    def __len__(self) -> int:
        return len(self._items)


def forget_all() -> None:
    """Drop everything every memory of this worker keeps."""
    for memory in _registry.values():
        memory.clear()


def usage() -> dict[str, tuple[int, int]]:
    """(items, bytes) kept by each memory, by name."""
    return {name: (len(memory), memory.weight) for name, memory in _registry.items()}


def _settings_changed(**kwargs) -> None:
    forget_all()


setting_changed.connect(_settings_changed, dispatch_uid="communique.worker_memory")
