"""The real `communique` command in subprocesses: demo, serve, and refusals."""

import http.cookiejar
import re
import sqlite3
import urllib.parse
import urllib.request

import pytest

from tests.live_server import communique, fetch, running_server

pytestmark = pytest.mark.server


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
        assert "<title>Communiqué administration" in dashboard.decode()


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


@pytest.mark.parametrize("server", ["granian", "gunicorn"])
def test_both_servers_serve_the_site(tmp_path, server):
    assert communique("demo", "--no-serve", data_dir=tmp_path).returncode == 0
    with running_server(tmp_path, server=server) as base:
        _, status, body = fetch(base + "/")
        assert status == 200
        assert b'class="summary"' in body


RETITLE = """
from communique.publishing import services
from communique.publishing.models import Statement
statement = Statement.objects.get(slug="{slug}")
statement.title = "Retitled while served"
services.save_statement(statement=statement)
"""


def test_every_worker_sees_a_change_on_the_next_request(tmp_path):
    """Two worker processes keep their own copies in memory; a change made by
    a third process must retire them all."""
    assert communique("demo", "--no-serve", data_dir=tmp_path).returncode == 0
    slug = "one-year-after-the-lantern-we-keep-publishing"
    with running_server(tmp_path, workers=2) as base:
        url = f"{base}/statements/{slug}/"
        for _ in range(30):  # a new connection each: both workers take some
            assert b"Retitled while served" not in fetch(url)[2]
        code = RETITLE.format(slug=slug)
        changed = communique("shell", "-c", code, data_dir=tmp_path)
        assert changed.returncode == 0, changed.stderr
        for _ in range(30):
            assert b"Retitled while served" in fetch(url)[2]
