"""Faults of the serving path, against the real `communique serve`: clients
that send their request body slowly, a worker killed while comments are posted
(docs/deploy/serving.md)."""

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import time
import urllib.error
import urllib.request
from contextlib import suppress
from pathlib import Path
from threading import Event, Thread
from urllib.parse import urlencode, urlsplit

import pytest

from tests.live_server import communique, fetch, serving

pytestmark = pytest.mark.server

SLOW_CLIENTS = 50
BODY_SECONDS = 4  # the site's COMMUNIQUE_REQUEST_BODY_SECONDS in these tests
PROBES = 7  # one GET of the front page a second, past BODY_SECONDS
WARM_UP_REQUESTS = 8  # enough for each of the two workers to serve some


def comment_action(base: str) -> str:
    """The address a demo statement's comment form posts to."""
    front_page = fetch(base + "/")[2].decode()
    statement = re.search(r'href="(/statements/[^"?#]+/)"', front_page)[1]
    page = fetch(base + statement)[2].decode()
    return re.search(r'action="(/comments/new/\d+/)', page)[1]


def open_slow_posts(port: int, path: str) -> list[socket.socket]:
    """Connections that have sent a POST's headers and none of its body."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        "Content-Length: 100\r\n\r\n"
    ).encode()
    sockets = []
    for _ in range(SLOW_CLIENTS):
        slow = socket.create_connection(("127.0.0.1", port), timeout=2)
        slow.sendall(head)
        sockets.append(slow)
    return sockets


def trickle(sockets: list[socket.socket], stop: Event) -> None:
    """One byte of body to each connection a second, until stopped (bounded)."""
    for _ in range(PROBES + 3):
        for slow in sockets:
            with suppress(OSError):  # answered and closed by the server
                slow.send(b"x")
        if stop.wait(1.0):
            return


def front_page_seconds(base: str) -> float:
    """How long GET / took to answer 200; infinity if it did not within 2 s."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base + "/", timeout=2) as response:
            response.read()
            assert response.status == 200
    except (urllib.error.URLError, TimeoutError):
        return float("inf")
    return time.monotonic() - started


def first_line(slow: socket.socket) -> bytes:
    """The status line the server sent, if any yet (each looks briefly)."""
    slow.settimeout(0.05)
    try:
        return slow.recv(100).split(b"\r\n", 1)[0]
    except OSError:
        return b"(no answer)"
    finally:
        slow.close()


@pytest.mark.parametrize("server", ["granian", "gunicorn"])
def test_slow_request_bodies_leave_the_site_answering_readers(tmp_path, server):
    assert communique("demo", "--no-serve", data_dir=tmp_path).returncode == 0
    env = {"COMMUNIQUE_REQUEST_BODY_SECONDS": str(BODY_SECONDS)}
    with serving(tmp_path, workers=2, server=server, env=env) as (base, _):
        action = comment_action(base)
        # The site answers before the attack: each worker has rendered the
        # front page once (a cold worker's first render, importing and
        # compiling what it needs, is not what is measured).
        for _ in range(WARM_UP_REQUESTS):
            front_page_seconds(base)
        sockets = open_slow_posts(urlsplit(base).port, action)
        stop = Event()
        trickler = Thread(target=trickle, args=(sockets, stop))
        trickler.start()
        seconds = []
        try:
            for _ in range(PROBES):
                seconds.append(front_page_seconds(base))
                time.sleep(max(0.0, 1.0 - seconds[-1]))
        finally:
            stop.set()
            trickler.join()
        answers = [first_line(slow) for slow in sockets]
    assert max(seconds) < 1.0, seconds
    if server == "granian":
        # Gunicorn's reads wait for 1 KiB or the body's end, so a trickling
        # client there is refused only later (docs/deploy/serving.md).
        assert answers == [b"HTTP/1.1 408 Request Timeout"] * SLOW_CLIENTS


POSTING_ENV = {
    "COMMUNIQUE_CAPTCHA_ENABLED": "false",
    "COMMUNIQUE_ANTISPAM_RATE_LIMITS": "false",
    "COMMUNIQUE_ANTISPAM_MIN_SECONDS": "0",
}
MAX_POSTS = 150  # the poster's bound; it stops sooner when told
RESPAWN_SECONDS = 5


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302/303 comes back as HTTPError, its status readable


def post_comments(base: str, marker: str, acknowledged: list, stop: Event) -> None:
    """Post numbered comments, lightly, until stopped; note those the site
    acknowledged with a redirect."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects
    )
    front_page = fetch(base + "/", opener=opener)[2].decode()
    statement = re.search(r'href="(/statements/[^"?#]+/)"', front_page)[1]
    page = fetch(base + statement, opener=opener)[2].decode()
    action = re.search(r'action="(/comments/new/\d+/)', page)[1]
    # No token: the endpoint checks that the post comes from the site itself.
    fields = {"author_name": "Reader", "op": "save"}
    for number in range(MAX_POSTS):
        if stop.is_set():
            return
        data = urlencode({**fields, "body": f"{marker} #{number}"}).encode()
        request = urllib.request.Request(
            base + action, data=data, headers={"Origin": base}
        )
        try:
            with opener.open(request, timeout=5) as response:
                status = response.status
        except urllib.error.HTTPError as answer:
            status = answer.code
        except (urllib.error.URLError, OSError):
            continue  # e.g. the connection of the killed worker
        if status in (302, 303):
            acknowledged.append(number)
        stop.wait(0.05)


def workers_of(pid: int) -> set[int]:
    """The child processes of ``pid``: the server's workers."""
    return {
        int(child)
        for children in Path(f"/proc/{pid}/task").glob("*/children")
        for child in children.read_text().split()
    }


def stored_numbers(data_dir: Path, marker: str) -> set[int]:
    with sqlite3.connect(data_dir / "communique.sqlite3") as database:
        rows = database.execute(
            "SELECT body_source FROM comments_comment WHERE body_source LIKE ?",
            (f"{marker} #%",),
        ).fetchall()
    return {int(body.rpartition("#")[2]) for (body,) in rows}


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("server", ["granian", "gunicorn"])
def test_a_killed_worker_is_replaced_and_acknowledged_comments_are_kept(
    tmp_path, server
):
    assert communique("demo", "--no-serve", data_dir=tmp_path).returncode == 0
    marker, acknowledged, stop = f"kill-test-{server}", [], Event()
    with serving(tmp_path, workers=2, server=server, env=POSTING_ENV) as (
        base,
        process,
    ):
        # The site answers once one worker is up; on a busy machine the
        # second may still be starting.
        assert wait_for(lambda: len(workers_of(process.pid)) == 2, 20)
        workers = workers_of(process.pid)
        poster = Thread(target=post_comments, args=(base, marker, acknowledged, stop))
        poster.start()
        try:
            assert wait_for(lambda: len(acknowledged) >= 5, 10), acknowledged
            killed = min(workers)
            os.kill(killed, signal.SIGKILL)
            replaced = wait_for(
                lambda: len(workers_of(process.pid) - {killed}) == 2, RESPAWN_SECONDS
            )
            answers = wait_for(lambda: front_page_seconds(base) < 1, RESPAWN_SECONDS)
            posted_before = len(acknowledged)
            wait_for(lambda: len(acknowledged) > posted_before + 5, 5)
        finally:
            stop.set()
            poster.join()
        assert process.poll() is None, "the server stopped"
    assert replaced, f"no new worker within {RESPAWN_SECONDS} s"
    assert answers
    assert len(acknowledged) > posted_before, "nothing acknowledged after the kill"
    assert set(acknowledged) <= stored_numbers(tmp_path, marker)
