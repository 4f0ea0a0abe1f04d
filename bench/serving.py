"""A throw-away site and the servers the benchmarks start, on loopback only.

Shared by bench/pages.py, bench/render_cost.py and bench/slow_link.py: the
site they measure (the reference statement when ../shared/seed is there, else
a long demo statement, with 50 published comments of about 300 characters, on
SQLite in a temporary folder), `communique serve` on a free port, and the
small helpers around them. Every wait is bounded.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "statement.md"
DEMO_LONG = "one-year-after-the-lantern-we-keep-publishing"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def communique(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "communique", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return result.stdout


def fetch(url: str, encoding: str = "") -> tuple[int, Message, bytes]:
    """(status, headers, body as sent) of one GET."""
    headers = {"Accept-Encoding": encoding} if encoding else {}
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()


def wait_for(url: str, seconds: float = 30) -> None:
    """Until ``url`` answers, whatever its status."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            fetch(url)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def running(
    command: list[str], env: dict[str, str] | None, ready_url: str
) -> Iterator[subprocess.Popen]:
    """``command`` started, once ``ready_url`` answers; stopped on leaving."""
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(ready_url)
        yield process
    finally:
        stop(process)


def serve_command(
    command: list[str], port: int, server: str, threads: int | None
) -> list[str]:
    """``command`` with the serving options every measured server gets."""
    threading = ["--threads", str(threads)] if threads else []
    bind = ["--bind", f"127.0.0.1:{port}"]
    return [*command, *bind, "--workers", "2", "--server", server, *threading]


def site_server(
    env: dict[str, str], port: int, server: str, threads: int | None = None
):
    command = [sys.executable, "-m", "communique", "serve"]
    return running(
        serve_command(command, port, server, threads), env, f"http://127.0.0.1:{port}/"
    )


def worker_rss_mb(process: subprocess.Popen) -> list[float]:
    children = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return sizes


def prepare_site(env: dict[str, str]) -> str:
    communique(env, "migrate", "--verbosity", "0")
    if SEED.is_file():
        communique(env, "import", str(SEED))
        slug = "on-raisis-trip-to-russia"
    else:
        communique(env, "demo", "--no-serve")
        slug = DEMO_LONG
    communique(env, "generate", "--statement", slug, "--comments", "50")
    return f"/statements/{slug}/"
