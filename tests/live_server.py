"""The real `communique` command in a subprocess, for tests and scripts that need
a running site: `test_server.py`, the browser tests and `make screenshots`."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def command_env(
    data_dir: Path, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment without the caller's ``COMMUNIQUE_*`` settings, serving
    ``data_dir``, with the ``extra`` variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("COMMUNIQUE_")
    }
    env["COMMUNIQUE_DATA_DIR"] = str(data_dir)
    env.update(extra or {})
    return env


def communique(
    *args: str, data_dir: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "communique", *args],
        env=command_env(data_dir, env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def fetch(url, *, opener=None, data=None, headers=None):
    """(final URL, status, body) of a GET, or of a POST when ``data`` is given."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    open_url = opener.open if opener else urllib.request.urlopen
    with open_url(request, timeout=10) as response:
        return response.url, response.status, response.read()


@contextmanager
def running_server(
    data_dir: Path,
    *,
    workers: int = 1,
    server: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Serve ``data_dir`` with `communique serve` on a free port; yield its base URL."""
    with serving(data_dir, workers=workers, server=server, env=env) as (base, _):
        yield base


@contextmanager
def serving(
    data_dir: Path,
    *,
    workers: int = 1,
    server: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Like ``running_server``, with ``COMMUNIQUE_*`` variables ``env`` set for
    the server; yield its base URL and its process."""
    port = free_port()
    # A file, not a pipe: nobody reads the server's output while it runs, and a
    # full pipe would block it (the console e-mail backend writes there too).
    log = (data_dir / "server.log").open("w+", encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "communique",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *(["--server", server] if server else []),
        ],
        env=command_env(data_dir, env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                fetch(base + "/static/communique/site.css")
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"the server did not start:\n{log.read()}")
                time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
