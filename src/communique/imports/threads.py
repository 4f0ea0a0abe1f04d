"""Putting imported comments in an order the writes can follow.

``writes.import_comment`` attaches a reply to its parent only when the parent
was imported first. Exports do not promise that order (Disqus lists posts as
its database returns them; a Drupal view sorts as its owner chose), so the
importers sort: every comment after its parent, and siblings by date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

Item = TypeVar("Item")


def parents_first(
    items: Iterable[Item],
    *,
    key: Callable[[Item], Hashable],
    parent: Callable[[Item], Hashable],
    order: Callable[[Item], object],
) -> list[Item]:
    """``items`` with each one after its parent, siblings in ``order``.

    An item whose parent is not among ``items`` (or is itself, or sits in a
    loop of replies, which a damaged export can hold) counts as a top-level
    one, so every item comes out exactly once and the writes report the
    missing parent.
    """
    items = sorted(items, key=order)
    keys = {key(item) for item in items}
    children: dict[Hashable, list[Item]] = defaultdict(list)
    roots: list[Item] = []
    for item in items:
        above = parent(item)
        if above and above in keys and above != key(item):
            children[above].append(item)
        else:
            roots.append(item)
    ordered: list[Item] = []
    placed: set[Hashable] = set()

    def place(start: list[Item]) -> None:
        stack = list(reversed(start))
        while stack:
            item = stack.pop()
            if key(item) in placed:
                continue
            placed.add(key(item))
            ordered.append(item)
            stack.extend(reversed(children.get(key(item), [])))

    place(roots)
    # Items in a loop of replies were reached from no root: begin each loop
    # at its earliest item.
    place([item for item in items if key(item) not in placed])
    return ordered
