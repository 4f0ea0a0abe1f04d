"""The settings a cache hit reads, read once.

Reading an attribute of Django's ``settings`` costs about half a microsecond,
and a hit served from a worker's memory needs some twenty of them: a tenth of
what the whole hit may cost. They are read once here and again only when
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
    csrf_in_session: bool
    csrf_cookie: str
    csrf_cookie_age: int | None
    csrf_cookie_attributes: str  # "; Path=/; SameSite=Lax" and the like
    only_language: str | None  # the language, when the site has only one
    proxy_ssl_header: tuple[str, str] | None
    forwarded_host: bool
    data_dir: str
    shared_between_machines: bool  # the cache is Redis
    shared_check_seconds: float

    @classmethod
    def of_settings(cls) -> Snapshot:
        return cls(
            page_cache=settings.COMMUNIQUE_PAGE_CACHE,
            page_seconds=settings.COMMUNIQUE_PAGE_CACHE_SECONDS,
            session_cookie=settings.SESSION_COOKIE_NAME,
            csrf_in_session=settings.CSRF_USE_SESSIONS,
            csrf_cookie=settings.CSRF_COOKIE_NAME,
            csrf_cookie_age=settings.CSRF_COOKIE_AGE,
            csrf_cookie_attributes=_csrf_cookie_attributes(),
            only_language=(
                settings.LANGUAGE_CODE if len(settings.LANGUAGES) == 1 else None
            ),
            proxy_ssl_header=settings.SECURE_PROXY_SSL_HEADER,
            forwarded_host=settings.USE_X_FORWARDED_HOST,
            data_dir=str(settings.DATA_DIR),
            shared_between_machines=(
                settings.CACHES["default"]["BACKEND"] in SHARED_BACKENDS
            ),
            shared_check_seconds=settings.COMMUNIQUE_PAGE_CACHE_SHARED_CHECK_MS / 1000,
        )


def _csrf_cookie_attributes() -> str:
    """What follows the value and the expiry in Django's CSRF cookie."""
    parts = []
    if settings.CSRF_COOKIE_DOMAIN:
        parts.append(f"Domain={settings.CSRF_COOKIE_DOMAIN}")
    parts.append(f"Path={settings.CSRF_COOKIE_PATH}")
    if settings.CSRF_COOKIE_SECURE:
        parts.append("Secure")
    if settings.CSRF_COOKIE_HTTPONLY:
        parts.append("HttpOnly")
    if settings.CSRF_COOKIE_SAMESITE:
        parts.append(f"SameSite={settings.CSRF_COOKIE_SAMESITE}")
    return "".join(f"; {part}" for part in parts)


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
