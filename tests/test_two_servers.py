"""Two `communique serve` processes, each with its own data folder as on two
machines, sharing a scratch PostgreSQL database and a Redis, behind Debian's
nginx on loopback: what one does, the other knows at once.

Skipped, with the reason, without nginx, PostgreSQL or Redis; failing instead
when CI=true and nginx is missing: CI must run it (.ci/run installs nginx).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from tests.live_server import command_env, free_port, serving
from tests.test_backups import scratch_postgres

pytestmark = pytest.mark.server

PER_HOUR = 4  # comments one client may post in an hour, on both servers together
SLUG = "two-servers"
SETUP = """
from django.contrib.auth.models import Group
from communique.accounts.models import User
from communique.accounts.roles import MODERATORS
from communique.publishing import services
from communique.publishing.models import Statement
services.save_statement(statement=Statement(
    title="Served twice", slug="two-servers", body_source="One site, two servers.",
    status="published"))
moderator = User.objects.create_user(
    "moderator", password="{password}", is_staff=True)
moderator.groups.add(Group.objects.get(name=MODERATORS))
"""
CODE_OF = """
from django.core import signing
from communique.captcha import challenges, cookie
print(challenges.code_of(signing.loads("{cookie}", salt=cookie.SALT)[-1]), end="")
"""
NGINX_CONF = """
worker_processes 1;
error_log {folder}/error.log;
pid {folder}/nginx.pid;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream communique {{
        server {a};
        server {b};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://communique;
            proxy_set_header Host $http_host;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def nginx() -> str | None:
    """The nginx program, also when sbin is not on the PATH (non-root)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def _require_nginx() -> None:
    if nginx() is not None:
        return
    missing = "install nginx (apt-get install nginx)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the two-server test: {missing}", pytrace=False)
    pytest.skip(missing, allow_module_level=True)


_require_nginx()


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


@contextmanager
def scratch_redis(folder: Path) -> Iterator[str]:
    """A throwaway redis-server on a free port, or, without the program, a
    database of the server on 127.0.0.1:6379 that nothing else here uses."""
    program = shutil.which("redis-server")
    if program is None:
        if not _answers(6379):
            pytest.skip("no redis-server to start and no Redis on 127.0.0.1:6379")
        import redis

        url = "redis://127.0.0.1:6379/13"
        redis.Redis.from_url(url).flushdb()
        yield url
        redis.Redis.from_url(url).flushdb()
        return
    port = free_port()
    server = subprocess.Popen(
        [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while not _answers(port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def running_nginx(folder: Path, a: str, b: str) -> Iterator[str]:
    """nginx on a free loopback port sharing requests between ``a`` and ``b``
    (HOST:PORT) in turn; yield its base URL."""
    folder.mkdir()
    port = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(folder=folder, a=a, b=b, port=port))
    process = subprocess.Popen(
        [nginx(), "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log"),
         "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while not _answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail((folder / "error.log").read_text(errors="replace"))
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


class Browser:
    """One reader's cookies, kept for every port of 127.0.0.1 alike."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def get(self, url: str) -> tuple[int, dict[str, str], str]:
        return self._open(urllib.request.Request(url))

    def post(self, url: str, fields: dict[str, str]) -> tuple[int, dict, str]:
        origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(url))
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Origin": origin, "Referer": url, "Sec-Fetch-Site": "same-origin"},
        )
        return self._open(request)

    def cookie(self, name: str) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == name)

    def _open(self, request) -> tuple[int, dict[str, str], str]:
        try:
            with self.opener.open(request, timeout=15) as response:
                return (
                    response.status,
                    response.headers,
                    response.read().decode(errors="replace"),
                )
        except urllib.error.HTTPError as error:
            return (
                error.code,
                error.headers,
                error.read().decode(errors="replace"),
            )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[dict]:
    """Two servers (``a``, ``b``), nginx in front (``front``), and what they share."""
    folder = tmp_path_factory.mktemp("two-servers")
    password = secrets.token_urlsafe(12)
    with ExitStack() as stack:
        database = stack.enter_context(scratch_postgres("two_servers"))
        cache = stack.enter_context(scratch_redis(folder))
        env = {
            "COMMUNIQUE_DATABASE_URL": database,
            "COMMUNIQUE_CACHE_URL": cache,
            "COMMUNIQUE_SECRET_KEY": secrets.token_urlsafe(40),
            "COMMUNIQUE_ANTISPAM_MIN_SECONDS": "0",
            "COMMUNIQUE_ANTISPAM_COMMENTS_PER_MINUTE": "1000",
            "COMMUNIQUE_ANTISPAM_COMMENTS_PER_HOUR": str(PER_HOUR),
            "COMMUNIQUE_CAPTCHA_SKIP_AFTER_SOLVED_MINUTES": "30",
            "COMMUNIQUE_PAGE_CACHE_SHARED_CHECK_MS": "0",
        }
        for folder_name in ("a", "b"):
            (folder / folder_name).mkdir()
        _communique("migrate", data_dir=folder / "a", env=env)
        _communique("shell", "-c", SETUP.format(password=password),
                    data_dir=folder / "a", env=env)  # fmt: skip
        a, _ = stack.enter_context(serving(folder / "a", env=env))
        b, _ = stack.enter_context(serving(folder / "b", env=env))
        front = stack.enter_context(
            running_nginx(folder / "nginx", a.removeprefix("http://"),
                          b.removeprefix("http://"))
        )  # fmt: skip
        yield {"a": a, "b": b, "front": front, "env": env, "folder": folder,
               "password": password}  # fmt: skip


def _communique(*args: str, data_dir: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "communique", *args],
        env=command_env(data_dir, env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _forget_rate_limits(cache_url: str) -> None:
    """Every reader here is the same client (127.0.0.1): start its count afresh."""
    import redis

    client = redis.Redis.from_url(cache_url)
    for key in client.scan_iter(match="*ratelimit:*"):
        client.delete(key)


def _code_of(site: dict, reader: Browser) -> str:
    """The code of the reader's newest CAPTCHA, read from the shared store."""
    script = CODE_OF.format(cookie=reader.cookie("communique_captcha"))
    env, data_dir = site["env"], site["folder"] / "a"
    return _communique("shell", "-v", "0", "-c", script, data_dir=data_dir, env=env)


def _comment(body: str) -> dict[str, str]:
    return {"author_name": "Reader", "body": body, "url": "", "op": "save"}


def _post_url(page: str) -> str:
    return re.search(r'action="(/comments/new/\d+/)[#"]', page).group(1)


def _sign_in(base: str, password: str) -> Browser:
    moderator = Browser()
    page = moderator.get(base + "/admin/login/")[2]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, _, _ = moderator.post(
        base + "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": token, "username": "moderator", "password": password},
    )
    assert status == 302
    return moderator


def test_a_captcha_drawn_by_one_server_is_answered_through_the_other_and_an_approval_through_one_shows_through_the_other(  # noqa: E501
    site,
):
    a, b = site["a"], site["b"]
    statement = f"/statements/{SLUG}/"
    reader = Browser()
    status, _, page = reader.get(b + statement)
    assert status == 200
    status, headers, _ = reader.get(a + "/captcha/image.png")
    assert status == 200
    assert headers["Content-Type"] == "image/png"
    code = _code_of(site, reader)
    assert code and code != "None" and len(code) < 12, code

    fields = {**_comment("Drawn on one, answered on the other."), "captcha": code}
    status, headers, body = reader.post(b + _post_url(page), fields)
    assert status == 302, re.findall(r"errorlist[^>]*>(.*?)</ul", body, re.S)

    # Pending; B has the page cached, then A approves: B shows it at once.
    assert "answered on the other" not in reader.get(b + statement)[2]
    moderator = _sign_in(a, site["password"])
    queue = moderator.get(a + "/moderation/")[2]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', queue).group(1)
    pending = re.findall(r'name="comments" value="(\d+)"', queue)
    assert len(pending) == 1
    status, _, _ = moderator.post(
        a + "/moderation/",
        {"csrfmiddlewaretoken": token, "action": "approve", "comments": pending[0]},
    )
    assert status == 302
    assert "answered on the other" in reader.get(b + statement)[2]
    for _ in range(2):  # nginx sends one request to each
        assert "answered on the other" in reader.get(site["front"] + statement)[2]


def test_rate_limits_count_across_both_servers(site):
    front = site["front"]
    reader = Browser()  # skips no CAPTCHA: solve one first, through the front
    page = reader.get(front + f"/statements/{SLUG}/")[2]
    reader.get(front + "/captcha/image.png")
    code = _code_of(site, reader)
    _forget_rate_limits(site["env"]["COMMUNIQUE_CACHE_URL"])
    served_by = set()
    statuses = []
    for number in range(PER_HOUR + 1):
        fields = _comment(f"Comment number {number} of one reader.")
        if number == 0:
            fields["captcha"] = code
        status, headers, _ = reader.post(front + _post_url(page), fields)
        statuses.append(status)
        served_by.add(headers["X-Upstream"])
    assert statuses == [302] * PER_HOUR + [429]
    assert served_by == {
        site["a"].removeprefix("http://"),
        site["b"].removeprefix("http://"),
    }
