"""The configured database and cache, when CI points them at PostgreSQL and Redis."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.db import connection

DATABASE_URL = os.environ.get("COMMUNIQUE_DATABASE_URL", "")
CACHE_URL = os.environ.get("COMMUNIQUE_CACHE_URL", "")


@pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="COMMUNIQUE_DATABASE_URL does not name PostgreSQL (.ci/run sets it "
    "when a server answers on 127.0.0.1:5432)",
)
@pytest.mark.django_db
def test_suite_runs_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.skipif(
    not CACHE_URL.startswith("redis://"),
    reason="COMMUNIQUE_CACHE_URL does not name Redis (.ci/run sets it when a "
    "server answers on 127.0.0.1:6379)",
)
def test_cache_is_redis_and_round_trips():
    cache = caches["default"]
    assert type(cache).__name__ == "RedisCache"
    key = f"probe-{uuid.uuid4()}"
    cache.set(key, {"value": 1}, 30)
    assert cache.get(key) == {"value": 1}


@pytest.mark.django_db
def test_sqlite_is_tuned_for_a_web_server():
    if connection.vendor != "sqlite":
        pytest.skip("the database is not SQLite")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone() == (1,)
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
