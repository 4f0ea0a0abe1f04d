"""Faults of the serving path, against the real `communique serve`: clients
that send their request body slowly (docs/deploy/serving.md)."""

import re
import socket
import time
import urllib.error
import urllib.request
from contextlib import suppress
from threading import Event, Thread
from urllib.parse import urlsplit

import pytest

from tests.live_server import communique, fetch, serving

pytestmark = pytest.mark.server

SLOW_CLIENTS = 50
BODY_SECONDS = 4  # the site's COMMUNIQUE_REQUEST_BODY_SECONDS in these tests
PROBES = 7  # one GET of the front page a second, past BODY_SECONDS


def comment_action(base: str) -> str:
    """The address a demo statement's comment form posts to."""
    front_page = fetch(base + "/")[2].decode()
    statement = re.search(r'href="(/statements/[^"?#]+/)"', front_page)[1]
    page = fetch(base + statement)[2].decode()
    return re.search(r'action="(/comments/new/\d+/)"', page)[1]


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
        sockets = open_slow_posts(urlsplit(base).port, comment_action(base))
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
