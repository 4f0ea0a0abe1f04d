"""Per-client rate limits, counted in the shared cache so all workers agree."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

from communique.antispam.fingerprints import request_fingerprint


def client_key(request: HttpRequest) -> str:
    """Who is asking: the client's fingerprint (its IPv4 address or its IPv6
    /64, see ``fingerprints``), never its address."""
    return request_fingerprint(request)


def over_limit(scope: str, key: str, *, limit: int, seconds: int) -> bool:
    """Count one request of ``key`` in ``scope``; True once it passes ``limit``
    within the current window of ``seconds``.

    With Redis the count is exact; with the file cache concurrent requests may
    occasionally be counted once instead of twice.
    """
    if not settings.COMMUNIQUE_ANTISPAM_RATE_LIMITS:
        return False
    cache = caches["default"]
    window = int(time.time() // seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    cache.add(cache_key, 0, seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, seconds + 1)
        count = 1
    return count > limit
