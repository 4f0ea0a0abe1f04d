"""The real `communique` command in subprocesses: demo, serve, and refusals."""

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest

pytestmark = pytest.mark.server

STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def command_env(data_dir) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("COMMUNIQUE_")
    }
    env["COMMUNIQUE_DATA_DIR"] = str(data_dir)
    return env


def communique(*args, data_dir) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "communique", *args],
        env=command_env(data_dir),
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
def running_server(data_dir):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "communique",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=command_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
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
                    output = process.stdout.read() if process.stdout else ""
                    pytest.fail(f"the server did not start:\n{output}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def test_serve_refuses_an_unmigrated_database(tmp_path):
    result = communique("serve", "--bind", "127.0.0.1:1", data_dir=tmp_path)
    assert result.returncode != 0
    assert "communique migrate" in result.stderr


def test_demo_then_serve_shows_statements_and_the_password_signs_in(tmp_path):
    result = communique("demo", "--no-serve", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    password = re.search(r"password: (\S+)", result.stdout).group(1)
    again = communique("demo", "--no-serve", data_dir=tmp_path)
    assert "password" not in again.stdout
    with sqlite3.connect(tmp_path / "communique.sqlite3") as database:
        assert database.execute("PRAGMA journal_mode").fetchone() == ("wal",)

    with running_server(tmp_path) as base:
        _, status, body = fetch(base + "/")
        html = body.decode()
        assert status == 200
        assert html.count('class="summary"') >= 3
        assert 'href="#main"' in html

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login_page = fetch(base + "/admin/login/", opener=opener)[2].decode()
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page
        ).group(1)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": "admin",
                "password": password,
                "next": "/admin/",
            }
        ).encode()
        url, _, dashboard = fetch(
            base + "/admin/login/?next=/admin/",
            opener=opener,
            data=body,
            headers={"Referer": base + "/admin/login/"},
        )
        assert url.endswith("/admin/")
        assert "Site administration" in dashboard.decode()


def test_import_then_serve_the_seed_statement(tmp_path, seed_statement_file):
    assert communique("migrate", data_dir=tmp_path).returncode == 0
    result = communique("import", str(seed_statement_file), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    with running_server(tmp_path) as base:
        html = fetch(base + "/statements/on-raisis-trip-to-russia/")[2].decode()
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', html).group(1)
        css = fetch(base + stylesheet)[2]
    assert html.index('href="#main"') < html.index("<h1>")
    assert html.count("<p>") >= 6
    assert len(html.encode()) + len(css) <= 25 * 1024
