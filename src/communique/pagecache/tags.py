"""Tags name what a cached page shows; invalidating a tag retires every page
that carries it, on every worker, every app server, and at the HTTP caches in
front (``pagecache.purge``).

Each tag has a random token in the shared cache. A page is stored with the
tokens its tags had; it is served only while they are unchanged.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest

from communique.pagecache import generation, purge
from communique.pagecache.failures import CACHE_ERRORS, log_failure
from communique.worker_memory import Kept

T = TypeVar("T")
# (tag, name) -> (generation when read, monotonic expiry, value)
_remembered: Kept[tuple[str, str], tuple[bytes, float, Any]] = Kept(
    "remembered values", size=1000
)
TAG_PREFIX = "pagecache:tag:"
STATEMENT_LIST = "statement-list"
SITE = "site"  # every cached page carries it: retiring it retires them all


def statement_tag(statement_pk: int) -> str:
    return f"statement:{statement_pk}"


def tag_page(request: HttpRequest, *tags: str) -> None:
    """Declare that the page being rendered shows what ``tags`` name.

    Only for pages a view marked as cacheable (``@cached_page``); elsewhere
    it does nothing.
    """
    existing = getattr(request, "page_cache_tags", None)
    if existing is not None:
        request.page_cache_tags = (*existing, *tags)


def current_tokens(tags: Iterable[str]) -> dict[str, str]:
    """The current token of each tag, giving new ones to tags that have none."""
    cache = caches["default"]
    keys = [TAG_PREFIX + tag for tag in tags]
    found = cache.get_many(keys)
    missing = {key: secrets.token_hex(8) for key in keys if key not in found}
    for key, token in missing.items():
        cache.add(key, token, None)
    if missing:
        found.update(cache.get_many(list(missing)))
    return {key.removeprefix(TAG_PREFIX): token for key, token in found.items()}


def invalidate(*tags: str) -> None:
    """Retire every cached page that carries one of ``tags``.

    The generation moves before and after the new tokens. Before: a page being
    stored whose tokens were read after they changed sees the move and is not
    kept. After: a worker that checked a page between the two sees one more
    move, and checks it again against the new tokens.

    A failing cache is logged, not raised: what changed is already saved, and
    pages kept there expire by themselves (``COMMUNIQUE_PAGE_CACHE_SECONDS``).
    """
    try:
        generation.advance()
        caches["default"].set_many(
            {TAG_PREFIX + tag: secrets.token_hex(8) for tag in tags}, None
        )
        generation.advance()
    except CACHE_ERRORS as error:
        log_failure("invalidating " + " ".join(tags), error)
    purge.purge(tags)


def invalidate_on_commit(*tags: str) -> None:
    """Invalidate once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: invalidate(*tags))


def remember(tag: str, name: str, compute: Callable[[], T], *, seconds: int) -> T:
    """``compute()``, kept in the shared cache until ``tag`` is invalidated or
    ``seconds`` pass (for what time alone changes, like scheduled statements).

    The worker keeps the value too, while the generation stays the same: no
    tag anywhere has changed then, so asking the shared cache would give the
    same answer. Callers must not change what they get. With the cache
    failing, the value is computed afresh.
    """
    try:
        seen = generation.current()
        kept = _remembered.get((tag, name))
        if kept is not None and kept[0] == seen and kept[1] > time.monotonic():
            return kept[2]
        cache = caches["default"]
        key = f"pagecache:value:{name}:{current_tokens([tag])[tag]}"
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, seconds)
    except CACHE_ERRORS as error:
        log_failure(f"remembering {name}", error)
        return compute()
    _remembered.put((tag, name), (seen, time.monotonic() + seconds, value))
    return value
