import socket

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _captcha_on(settings, post_at_once):
    settings.COMMUNIQUE_CAPTCHA_ENABLED = True
    settings.COMMUNIQUE_CAPTCHA_FORMS = ["comment", "reply"]


@pytest.fixture
def database_store(settings):
    """Keep challenges in the database even when the suite runs on Redis."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(params=["database", "redis"])
def each_store(request, settings):
    """Run a test against the database store, then against Redis."""
    if request.param == "redis":
        if not redis_answers():
            pytest.skip("no Redis answers on 127.0.0.1:6379")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/15",
            }
        }
        caches["default"].clear()
    else:
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        }
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 0
    yield request.param
    if request.param == "redis":
        caches["default"].clear()
