"""The settings a cache hit reads, read once.

Reading an attribute of Django's ``settings`` costs about half a microsecond,
and a hit served from a worker's memory needs several: a noticeable part of
what the whole hit costs. They are read once here and again only when
settings change, which outside tests they do not (``setting_changed``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed

SHARED_BACKENDS = frozenset({"django.core.cache.backends.redis.RedisCache"})


@dataclass(frozen=True)
class Snapshot:
    page_cache: bool
    page_seconds: int
    session_cookie: str
    proxy_ssl_header: tuple[str, str] | None
    data_dir: str
    shared_between_machines: bool  # the cache is Redis
    shared_check_seconds: float

    @classmethod
    def of_settings(cls) -> Snapshot:
        return cls(
            page_cache=settings.COMMUNIQUE_PAGE_CACHE,
            page_seconds=settings.COMMUNIQUE_PAGE_CACHE_SECONDS,
            session_cookie=settings.SESSION_COOKIE_NAME,
            proxy_ssl_header=settings.SECURE_PROXY_SSL_HEADER,
            data_dir=str(settings.DATA_DIR),
            shared_between_machines=(
                settings.CACHES["default"]["BACKEND"] in SHARED_BACKENDS
            ),
            shared_check_seconds=settings.COMMUNIQUE_PAGE_CACHE_SHARED_CHECK_MS / 1000,
        )


_current: Snapshot | None = None


def snapshot() -> Snapshot:
    """The settings as they are now."""
    global _current
    current = _current
    if current is None:
        current = _current = Snapshot.of_settings()
    return current


def _forget(**kwargs) -> None:
    global _current
    _current = None


setting_changed.connect(_forget, dispatch_uid="communique.pagecache.snapshot")
