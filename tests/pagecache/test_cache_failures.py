"""When the cache fails, pages are rendered (and the log says why), never a 500.

With a real Redis stopped (a throwaway ``redis-server`` on a port of its own)
and a real full file system (a small tmpfs, filled up), not stand-ins.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from communique.comments.models import Comment
from tests.factories import StatementFactory
from tests.helpers import FormClient
from tests.live_server import communique, fetch, running_server

pytestmark = pytest.mark.django_db

BODY = "Words typed while the cache was down."


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def throwaway_redis() -> Iterator[tuple[str, subprocess.Popen]]:
    """A ``redis-server`` of its own on a free loopback port, keeping nothing."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            if time.monotonic() > deadline:
                raise RuntimeError("the throwaway redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", server
    finally:
        server.kill()
        server.wait(timeout=10)


@pytest.fixture
def redis_cache(settings) -> Iterator[subprocess.Popen]:
    """The cache is a throwaway Redis; the test stops it (``stop``)."""
    with throwaway_redis() as (url, server):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
            }
        }
        yield server


def stop(server: subprocess.Popen) -> None:
    server.kill()
    server.wait(timeout=10)


@pytest.fixture
def statement():
    return StatementFactory(title="Still readable")


@pytest.fixture
def page_cache_on(settings):
    settings.COMMUNIQUE_PAGE_CACHE = True


def cache_failures(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "communique.pagecache" and "failed" in record.getMessage()
    ]


@pytest.mark.usefixtures("page_cache_on")
def test_with_redis_stopped_pages_are_rendered(redis_cache, statement, caplog):
    assert Client().get(statement.get_absolute_url()).status_code == 200
    stop(redis_cache)
    caplog.set_level(logging.WARNING, logger="communique.pagecache")
    for path in (statement.get_absolute_url(), "/", "/archive/"):
        response = Client().get(path)
        assert response.status_code == 200, path
    assert "Still readable" in Client().get("/").content.decode()
    assert cache_failures(caplog)
    assert "public" in response["Cache-Control"]  # still the same for all


def test_with_redis_stopped_a_post_gets_a_503_that_keeps_the_text(
    redis_cache, settings, statement
):
    settings.COMMUNIQUE_CAPTCHA_ENABLED = False
    stop(redis_cache)
    response = FormClient().post(
        reverse("comments:post", args=[statement.pk]),
        {"author_name": "Nasrin", "body": BODY, "op": "save"},
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert BODY in response.content.decode()
    assert not Comment.objects.exists()


def test_with_redis_stopped_the_captcha_image_is_a_503(redis_cache):
    stop(redis_cache)
    response = Client().get(reverse("captcha:image"))
    assert response.status_code == 503
    assert "Retry-After" in response


def fill(folder: Path) -> None:
    """Write ``folder/filler`` until the file system says it is full."""
    with (
        contextlib.suppress(OSError),
        (folder / "filler").open("wb") as filler,
    ):
        while True:
            filler.write(b"\0" * 4096)
            filler.flush()
            os.fsync(filler.fileno())


@pytest.fixture
def full_disk(tmp_path) -> Iterator[Path]:
    """A small tmpfs, filled until the kernel says it is full."""
    mount_point = tmp_path / "full"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(
            "cannot mount a small tmpfs here (needs root): "
            + mounted.stderr.decode().strip()
        )
    try:
        fill(mount_point)
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.mark.usefixtures("page_cache_on")
def test_with_the_disk_full_pages_are_rendered(settings, statement, full_disk, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(full_disk / "cache"),
        }
    }
    settings.DATA_DIR = full_disk  # the page cache's generation file too
    caplog.set_level(logging.WARNING, logger="communique.pagecache")
    with pytest.raises(OSError):  # the disk is really full
        (full_disk / "probe").write_bytes(b"x" * 8192)
    for path in (statement.get_absolute_url(), "/", "/archive/"):
        for _ in range(2):
            assert Client().get(path).status_code == 200, path
    assert cache_failures(caplog)
    caches["default"].clear()


@pytest.mark.server
def test_a_server_on_a_full_data_disk_serves_pages_and_keeps_a_post(full_disk):
    """The real `communique serve`, its SQLite database, file cache and page
    cache generation all on the disk that fills up while it runs."""
    # Free the space the fixture filled, prepare the site, then fill it again.
    (full_disk / "filler").unlink()
    demo = communique("demo", "--no-serve", data_dir=full_disk)
    assert demo.returncode == 0, demo.stderr
    env = {
        "COMMUNIQUE_CAPTCHA_ENABLED": "false",
        "COMMUNIQUE_ANTISPAM_MIN_SECONDS": "0",
    }
    with running_server(full_disk, env=env) as base:
        front = fetch(base + "/")[2].decode()
        statement = re.search(r'href="(/statements/[^"]+/)"', front).group(1)
        fill(full_disk)
        for path in ("/", statement, "/archive/"):
            assert fetch(base + path)[1] == 200, path
        page = fetch(base + statement)[2].decode()
        action = re.search(r'action="(/comments/new/\d+/)', page).group(1)
        form = {"author_name": "Nasrin", "body": BODY * 200, "op": "save"}
        try:
            fetch(
                base + action,
                data=urllib.parse.urlencode(form).encode(),
                headers={"Origin": base},
            )
            status, answer = 302, ""
        except urllib.error.HTTPError as error:
            with error:
                status, answer = error.code, error.read().decode()
        # Saved, or refused with the text kept: never a 500.
        assert status in (302, 503), status
        if status == 503:
            assert BODY in answer
