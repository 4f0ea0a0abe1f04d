"""What the page cache does when the cache under it fails.

The cache (Redis, or files in the data folder) can be stopped, unreachable or
on a full disk. Pages are then rendered as if nothing were cached, and the
log says why; a reader never gets an error because a cache failed.
"""

from __future__ import annotations

import logging

import redis

# OSError: the file cache's disk (full, read-only, gone); RedisError: Redis
# stopped, unreachable, out of memory or read-only.
CACHE_ERRORS: tuple[type[Exception], ...] = (OSError, redis.exceptions.RedisError)

logger = logging.getLogger("communique.pagecache")


def log_failure(action: str, error: Exception) -> None:
    """Say in the log that ``action`` failed and pages are rendered afresh."""
    logger.warning(
        "page cache: %s failed (%s: %s); rendering without the cache",
        action,
        type(error).__name__,
        error,
    )
