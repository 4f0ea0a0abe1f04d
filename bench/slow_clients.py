"""Slow request bodies: does the site still answer readers while clients trickle?

    .venv/bin/python bench/slow_clients.py [--server granian|gunicorn]
        [--clients 50] [--seconds 12] [--workers 2] [--body-seconds N]
        [--url http://127.0.0.1:PORT]

Serves a throw-away demo site on 127.0.0.1 (or uses the server at ``--url``,
which must be on this machine), opens ``--clients`` connections that each send
the headers of a comment POST and then one byte of its body per second, and
meanwhile asks for the front page once a second. Prints how long each of those
GETs took (or that it got no answer within 5 s), then what the slow clients got
back. Loopback only; bounded by ``--seconds``.
"""

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from threading import Event, Thread
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import stop as stop_server

HOST = "127.0.0.1"  # the only host this script connects to
PROBE_TIMEOUT = 5.0
BODY_LENGTH = 200  # more bytes than the run lasts seconds: no body completes


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=PROBE_TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def open_slow_posts(port: int, path: str, count: int) -> list[socket.socket]:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {BODY_LENGTH}\r\n\r\n"
    ).encode()
    sockets = []
    for _ in range(count):
        slow = socket.create_connection((HOST, port), timeout=5)
        slow.sendall(head)
        sockets.append(slow)
    return sockets


def trickle(sockets: list[socket.socket], stop: Event) -> None:
    """One byte to each socket, once a second, until stopped or the body is sent."""
    for _ in range(BODY_LENGTH):
        for slow in sockets:
            with suppress(OSError):  # the server may have answered and closed it
                slow.send(b"x")
        if stop.wait(1.0):
            return


def answers(sockets: list[socket.socket]) -> Counter:
    """What each slow client got back so far: a status line, or nothing."""
    seen = Counter()
    for slow in sockets:
        slow.settimeout(0.05)
        try:
            data = slow.recv(200)
            status = data.split(b"\r\n", 1)[0].decode("latin-1") if data else "closed"
        except TimeoutError:
            status = "no answer yet"
        except OSError as error:
            status = type(error).__name__
        seen[status] += 1
        slow.close()
    return seen


@contextmanager
def serving(args: argparse.Namespace) -> Iterator[int]:
    """The port of a demo site served by ``communique serve``, stopped on leaving."""
    with tempfile.TemporaryDirectory(prefix="communique-slow-") as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
        env["COMMUNIQUE_DATA_DIR"] = folder
        if args.body_seconds:
            env["COMMUNIQUE_REQUEST_BODY_SECONDS"] = str(args.body_seconds)
        command = [sys.executable, "-m", "communique"]
        subprocess.run([*command, "demo", "--no-serve"], env=env, check=True)
        with socket.create_server((HOST, 0)) as probe:
            port = probe.getsockname()[1]
        command += ["serve", "--bind", f"{HOST}:{port}", "--server", args.server]
        command += ["--workers", str(args.workers)]
        with Path(folder, "server.log").open("wb") as log:
            server = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 60
            while server.poll() is None and time.monotonic() < deadline:
                with suppress(OSError):
                    get(port, "/")
                    break
                time.sleep(0.2)
            yield port
        finally:
            stop_server(server)


def run(port: int, args: argparse.Namespace) -> None:
    front_page = get(port, "/")[1]
    statement = re.search(r'href="(/statements/[^"?#]+/)"', front_page)[1]
    # The form's action ends in "#comment-form": the path is what is posted to.
    action = re.search(r'action="(/comments/new/\d+/)', get(port, statement)[1])[1]
    sockets = open_slow_posts(port, action, args.clients)
    stop = Event()
    trickler = Thread(target=trickle, args=(sockets, stop))
    trickler.start()
    print(f"{args.clients} clients send {action} one byte a second; GET / each second:")
    deadline = time.monotonic() + args.seconds
    try:
        while time.monotonic() < deadline:
            started = time.monotonic()
            at = started - deadline + args.seconds
            try:
                status = get(port, "/")[0]
                print(f"  {at:5.1f} s: {status} in {time.monotonic() - started:.3f} s")
            except OSError as error:
                took = time.monotonic() - started
                print(f"  {at:5.1f} s: {type(error).__name__} after {took:.1f} s")
            time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
    finally:
        stop.set()
        trickler.join()
    print("the slow clients got:", dict(answers(sockets)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", choices=("granian", "gunicorn"), default="granian")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--body-seconds", type=int, help="COMMUNIQUE_REQUEST_BODY_SECONDS for the site"
    )
    parser.add_argument("--url", help="a server already running on this machine")
    args = parser.parse_args()
    if args.url:
        address = urlsplit(args.url)
        if address.hostname not in (HOST, "localhost"):
            parser.error("--url must be on 127.0.0.1")
        run(address.port, args)
        return 0
    with serving(args) as port:
        run(port, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
