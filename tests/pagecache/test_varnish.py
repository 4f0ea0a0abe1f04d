"""The real `communique serve` behind a real varnishd running the shipped
docs/deploy/varnish.vcl, purged through COMMUNIQUE_PURGE_URLS.

Needs Debian's varnish and varnish-modules (xkey); skipped without them, and
failing instead when CI=true: CI must run these.
"""

import gzip
import http.client
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.live_server import communique, free_port, running_server

pytestmark = [pytest.mark.server, pytest.mark.varnish]

REPO_ROOT = Path(__file__).resolve().parents[2]
VCL = REPO_ROOT / "docs" / "deploy" / "varnish.vcl"
# Where Debian's packages keep the vmods, and where builds from source do.
VMOD_FOLDERS = ("/usr/lib/*/varnish/vmods", "/usr/local/lib/varnish/vmods")
BACKEND = re.compile(
    r'(backend default \{\s*\.host = )"[^"]*"(;\s*\.port = )"[^"]*"(;)'
)
STARTUP_SECONDS = 30
# On the demo site, with no comments yet.
SLUG = "one-year-after-the-lantern-we-keep-publishing"
NEW_COMMENT = "Read aloud at the Thursday meeting, to applause."


def varnishd() -> str | None:
    """The varnishd program, also when sbin is not on the PATH (non-root)."""
    return shutil.which("varnishd") or shutil.which(
        "varnishd", path="/usr/sbin:/usr/local/sbin"
    )


def varnish_missing() -> str | None:
    """Why varnishd with xkey cannot run here, or None when it can."""
    if varnishd() is None:
        return "install Varnish (apt-get install varnish)"
    if not any(
        path.joinpath("libvmod_xkey.so").is_file()
        for pattern in VMOD_FOLDERS
        for path in Path("/").glob(pattern.lstrip("/"))
    ):
        return "install the xkey vmod (apt-get install varnish-modules)"
    return None


def require_varnish() -> None:
    missing = varnish_missing()
    if missing is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the Varnish tests: {missing}", pytrace=False)
    pytest.skip(missing)


def vcl_for(backend: str) -> str:
    """The shipped VCL with its backend pointed at ``backend`` (HOST:PORT)."""
    host, _, port = backend.rpartition(":")
    vcl, found = BACKEND.subn(rf'\1"{host}"\2"{port}"\3', VCL.read_text())
    assert found == 1, "docs/deploy/varnish.vcl lost its `backend default` block"
    return vcl


@contextmanager
def running_varnish(vcl: str, port: int, folder: Path) -> Iterator[None]:
    """varnishd in the foreground on 127.0.0.1:``port``, until the block ends."""
    folder.mkdir()
    (folder / "communique.vcl").write_text(vcl)
    log = (folder / "varnishd.log").open("w+", encoding="utf-8")
    # fmt: off
    command = [
        varnishd(),
        "-F",
        "-j", "none",  # as whoever runs the tests: no switch to another user
        "-n", str(folder / "work"),
        "-a", f"127.0.0.1:{port}",
        "-T", "127.0.0.1:0",
        "-f", str(folder / "communique.vcl"),
        "-s", "malloc,32m",
    ]
    # fmt: on
    process = subprocess.Popen(
        command,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while _status(port, "/static/communique/site.css") is None:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"varnishd did not start:\n{log.read()}")
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _status(port: int, path: str) -> int | None:
    try:
        return request(port, "GET", path).status
    except OSError:
        return None


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str


def request(
    port: int,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    *,
    source: str = "127.0.0.1",
) -> Answer:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(source, 0)
    )
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        raw = response.read()
        if response.headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        body = raw.decode()
        return Answer(response.status, response.headers, body)
    finally:
        connection.close()


@dataclass
class Site:
    """The demo site, served, with Varnish in front on ``port``."""

    port: int
    data_dir: Path
    env: dict[str, str]

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        answer = request(self.port, "GET", path, headers)
        assert answer.status == 200, (path, answer.status)
        return answer

    def shell(self, code: str) -> None:
        """Run ``code`` in `communique shell` with the server's data and settings."""
        result = communique("shell", "-c", code, data_dir=self.data_dir, env=self.env)
        assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    require_varnish()
    data_dir = tmp_path_factory.mktemp("varnish-site")
    demo = communique("demo", "--no-serve", data_dir=data_dir)
    assert demo.returncode == 0, demo.stderr
    port = free_port()
    env = {"COMMUNIQUE_PURGE_URLS": f"http://127.0.0.1:{port}/"}
    with running_server(data_dir, env=env) as base:
        backend = base.removeprefix("http://")
        with running_varnish(vcl_for(backend), port, data_dir / "varnish"):
            yield Site(port, data_dir, env)


def test_the_second_request_for_a_page_is_a_varnish_hit(site):
    site.get("/")
    second = site.get("/")
    assert second.headers["X-Cache"] == "HIT"
    assert len(second.headers["X-Varnish"].split()) == 2  # this request's, the hit's


def test_tracking_parameters_share_the_cached_copy(site):
    site.get("/")
    for query in ("?utm_source=feed", "?fbclid=y&b=1", "?"):
        answer = site.get("/" + query)
        assert answer.headers["X-Cache"] == "HIT", query
    site.get("/?page=1")
    for query in ("?utm_medium=mail&page=1", "?page=1&x=2", "?page=1"):
        assert site.get("/" + query).headers["X-Cache"] == "HIT", query


def test_gzip_and_plain_readers_each_get_their_own_cached_copy(site):
    packed = {"Accept-Encoding": "gzip, deflate"}
    site.get("/archive/", packed)
    site.get("/archive/")
    gzipped, plain = site.get("/archive/", packed), site.get("/archive/")
    assert gzipped.headers["X-Cache"] == plain.headers["X-Cache"] == "HIT"
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert gzipped.body == plain.body


def test_readers_get_no_tags(site):
    answer = site.get("/")
    assert "Surrogate-Key" not in answer.headers
    assert "Cache-Tag" not in answer.headers
    assert "xkey" not in answer.headers


@pytest.mark.parametrize(
    ("cookie", "cached"),
    [
        ("csrftoken=a1b2c3; theme=dark", True),  # dropped: the page is the same
        ("sessionid=abc123", False),  # signed in: straight to Communiqué
        ("theme=dark; messages=xyz", False),  # a message waits for this reader
    ],
)
def test_only_session_and_message_cookies_bypass_the_cache(site, cookie, cached):
    site.get("/")
    again = site.get("/", {"Cookie": cookie})
    assert (again.headers["X-Cache"] == "HIT") is cached


def test_other_languages_pages_are_cached_at_their_own_address(site):
    english, persian = site.get("/"), site.get("/fa/")
    assert site.get("/fa/").headers["X-Cache"] == "HIT"
    assert 'lang="fa"' in persian.body
    assert english.body != persian.body


@pytest.mark.parametrize("prefix", ["", "/fa"])
def test_staff_pages_and_posts_are_never_cached(site, prefix):
    for _ in range(2):
        login = request(site.port, "GET", f"{prefix}/admin/login/")
        assert login.status == 200
        assert login.headers["X-Cache"] == "MISS"
    refused = request(site.port, "POST", "/", {"Content-Length": "0"})
    assert refused.headers["X-Cache"] == "MISS"


POST_PENDING = f"""
from communique.comments import services
from communique.publishing.models import Statement
services.post_comment(
    statement=Statement.objects.get(slug={SLUG!r}),
    parent=None,
    draft=services.Draft(author_name="A reader", body={NEW_COMMENT!r}),
    user=None,
    fingerprint="varnish-test",
    screened=False,
)
"""

APPROVE = """
from communique.accounts.models import User
from communique.comments import services
from communique.comments.models import Comment
services.approve_comments(
    Comment.objects.filter(status=Comment.Status.PENDING),
    moderator=User.objects.get(username="admin"),
)
"""


def test_a_reader_sees_an_approved_comment_on_the_next_request(site):
    """Approved in another process sharing the server's data folder and
    settings, so through the real invalidation: the shared cache, the
    generation file, and the PURGE to Varnish."""
    statement_page = f"/statements/{SLUG}/"
    site.shell(POST_PENDING)
    for _ in range(2):  # the second from Varnish's cache where it keeps the page
        assert NEW_COMMENT not in site.get(statement_page).body
        front = site.get("/")
    assert front.headers["X-Cache"] == "HIT"
    assert f'/statements/{SLUG}/#comments">0 comments' in front.body

    site.shell(APPROVE)

    assert NEW_COMMENT in site.get(statement_page).body
    front = site.get("/")
    assert front.headers["X-Cache"] == "MISS"
    assert f'/statements/{SLUG}/#comments">1 comment<' in front.body


def test_statement_pages_are_cached_too(site):
    site.get(f"/statements/{SLUG}/")
    assert site.get(f"/statements/{SLUG}/").headers["X-Cache"] == "HIT"


def test_purges_are_refused_from_addresses_outside_the_acl(site):
    site.get("/")
    refused = request(
        site.port, "PURGE", "/", {"xkey-purge": "site"}, source="127.0.0.2"
    )
    assert refused.status == 403
    assert site.get("/").headers["X-Cache"] == "HIT"
    allowed = request(site.port, "PURGE", "/", {"xkey-purge": "site"})
    assert allowed.status == 200
    assert int(allowed.headers["xkey-purged"]) >= 1
    assert site.get("/").headers["X-Cache"] == "MISS"
