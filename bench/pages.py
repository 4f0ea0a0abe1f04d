"""Page speed against nginx: the cached and uncached statement page, the front page.

Run: .venv/bin/python bench/pages.py [--seconds 10] [--server gunicorn|granian|both]
     [--threads N] [--rounds N]

Installs wrk and nginx with apt when they are missing (as root), prepares a
temporary site on SQLite (the reference statement when ../shared/seed is
there, else a long demo statement) with 50 published comments of about 300
characters, and measures with `wrk -t1 -c32` for N seconds each, in one run:

  (a) nginx serving the statement page saved as a static file (the limit)
  (b) the statement page from the page cache
  (c) the statement page with the page cache off
  (d) the front page, cached and uncached
  (e) a bare WSGI callable returning the cached page's response, with a fresh
      token in it, under the same server (bench/bare_wsgi.py): the most that
      server gets out of this machine, whatever the site does

nginx keeps serving the saved page throughout, and (a) is measured again just
before each other figure: the machine's speed drifts over minutes, and a ratio
is only as good as the two runs it divides. It prints requests/s, p50 and p99
latency, the nginx figure measured next to each and the ratio, then the
resident memory of each worker. ``--rounds N`` measures each pair N times and
keeps the median, with the range. Loopback only; every run is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "statement.md"
DEMO_LONG = "one-year-after-the-lantern-we-keep-publishing"


def ensure_tools() -> None:
    missing = [tool for tool in ("wrk", "nginx") if not shutil.which(tool)]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"Install {' and '.join(missing)} (apt-get install wrk nginx-light).")
    packages = ["wrk" if tool == "wrk" else "nginx-light" for tool in missing]
    subprocess.run(["apt-get", "update", "-q"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-q", *packages], check=True)


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


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def wrk(url: str, seconds: int) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p99 ms) of a wrk run."""
    output = subprocess.run(
        ["wrk", "-t1", "-c32", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return rate, _latency(output, "50%"), _latency(output, "99%")


def _latency(output: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _serving(
    command: list[str],
    env: dict[str, str],
    port: int,
    server: str,
    threads: int | None,
) -> subprocess.Popen:
    """``command`` with the serving options every measured server gets, once
    it answers on ``port``."""
    process = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--server", server, *(["--threads", str(threads)] if threads else [])],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for(f"http://127.0.0.1:{port}/")
    return process


def start_server(
    env: dict[str, str], port: int, server: str, threads: int | None = None
) -> subprocess.Popen:
    command = [sys.executable, "-m", "communique", "serve"]
    return _serving(command, env, port, server, threads)


def worker_rss_mb(process: subprocess.Popen) -> list[float]:
    children = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return sizes


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


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


def start_bare(
    root: Path, port: int, server: str, threads: int | None
) -> subprocess.Popen:
    """bench/bare_wsgi.py serving the saved response, as the site is served."""
    here = Path(__file__).resolve().parent
    env = {
        **os.environ,
        "BARE_WSGI_RESPONSE": str(root / "response.json"),
        "PYTHONPATH": str(here),
    }
    command = [sys.executable, str(here / "bare_wsgi.py")]
    return _serving(command, env, port, server, threads)


def nginx(root: Path, port: int) -> subprocess.Popen:
    config = root / "nginx.conf"
    config.write_text(
        f"""daemon off; worker_processes 2; pid {root}/nginx.pid;
error_log {root}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; default_type text/html;
  client_body_temp_path {root}; proxy_temp_path {root}; fastcgi_temp_path {root};
  uwsgi_temp_path {root}; scgi_temp_path {root};
  server {{ listen 127.0.0.1:{port}; root {root}/html; }} }}
"""
    )
    process = subprocess.Popen(
        ["nginx", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(f"http://127.0.0.1:{port}/page.html")
    return process


class Pairs:
    """Figures, each measured right after nginx serving the saved page.

    The machine's speed drifts from one minute to the next (other tenants,
    frequency), so a figure is compared with an nginx run made just before
    it rather than with one made minutes away; with ``rounds`` above one, each
    pair is measured that many times and the round with the median ratio is
    kept (the upper of the middle two for an even number), with the range of
    the ratios.
    """

    def __init__(self, nginx_url: str, seconds: int, rounds: int) -> None:
        self.nginx_url = nginx_url
        self.seconds = seconds
        self.rounds = rounds
        self.rows: list[tuple[str, tuple[float, float, float], float, list[float]]] = []

    def measure(self, label: str, url: str) -> None:
        runs = []
        for _ in range(self.rounds):
            limit = wrk(self.nginx_url, self.seconds)[0]
            figures = wrk(url, self.seconds)
            runs.append((figures[0] / limit, figures, limit))
        runs.sort(key=lambda run: run[0])
        _, figures, limit = runs[len(runs) // 2]
        self.rows.append((label, figures, limit, [run[0] for run in runs]))

    def print(self) -> None:
        print(
            f"{'what':40} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
            f"{'nginx':>7} {'vs nginx':>9}" + ("  range" if self.rounds > 1 else "")
        )
        for label, (rate, p50, p99), limit, ratios in self.rows:
            spread = f"  {ratios[0]:.3f}-{ratios[-1]:.3f}" if self.rounds > 1 else ""
            print(
                f"{label:40} {rate:>8.0f} {p50:>7.2f} {p99:>7.2f} "
                f"{limit:>7.0f} {rate / limit:>9.3f}{spread}"
            )


def save_page(env: dict[str, str], root: Path, path: str, server: str) -> None:
    """The cached statement page as served: the file nginx serves and the
    response bench/bare_wsgi.py replays."""
    port = free_port()
    process = start_server({**env, "COMMUNIQUE_PAGE_CACHE": "true"}, port, server)
    try:
        (root / "html").mkdir()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as response:
            (root / "html" / "page.html").write_bytes(response.read())
            saved = {
                "headers": response.getheaders(),
                "body": str(root / "html" / "page.html"),
            }
        (root / "response.json").write_text(json.dumps(saved))
    finally:
        stop(process)


def measure_server(
    pairs: Pairs, env: dict[str, str], root: Path, path: str, server: str,
    threads: int | None, memory: dict[str, list[float]],
) -> None:  # fmt: skip
    """Rows (b) to (e) for one server."""
    for cache in ("true", "false"):
        port = free_port()
        process = start_server(
            {**env, "COMMUNIQUE_PAGE_CACHE": cache}, port, server, threads
        )
        try:
            label = "cached" if cache == "true" else "uncached"
            base = f"http://127.0.0.1:{port}"
            pairs.measure(f"{server}: statement, {label}", base + path)
            pairs.measure(f"{server}: front page, {label}", base + "/")
            memory[f"{server}, cache {cache}"] = worker_rss_mb(process)
        finally:
            stop(process)
    port = free_port()
    bare = start_bare(root, port, server, threads)
    try:
        pairs.measure(
            f"{server}: bare WSGI callable, same page", f"http://127.0.0.1:{port}/"
        )
    finally:
        stop(bare)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--server", choices=["gunicorn", "granian", "both"], default="both"
    )
    parser.add_argument(
        "--threads", type=int, help="per worker (default: what serve uses)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure each pair this many times and keep the median (default 1)",
    )
    arguments = parser.parse_args()
    ensure_tools()
    servers = (
        ["gunicorn", "granian"] if arguments.server == "both" else [arguments.server]
    )
    with tempfile.TemporaryDirectory(prefix="communique-bench-") as folder:
        root = Path(folder)
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
        env["COMMUNIQUE_DATA_DIR"] = str(root / "data")
        path = prepare_site(env)
        save_page(env, root, path, servers[0])
        nginx_port = free_port()
        web = nginx(root, nginx_port)
        pairs = Pairs(
            f"http://127.0.0.1:{nginx_port}/page.html",
            arguments.seconds,
            max(arguments.rounds, 1),
        )
        memory: dict[str, list[float]] = {}
        try:
            for server in servers:
                measure_server(
                    pairs, env, root, path, server, arguments.threads, memory
                )
        finally:
            stop(web)
    threads = arguments.threads or "default"
    print(
        f"\nwrk -t1 -c32 -d{arguments.seconds}s, 2 workers ({threads} threads), "
        f"SQLite; page {path}; nginx serving the saved page measured just before "
        f"each figure ({pairs.rounds} round{'s' if pairs.rounds > 1 else ''})"
    )
    pairs.print()
    print("\nworker resident memory after the runs (MB):")
    for label, sizes in memory.items():
        print(f"  {label}: " + ", ".join(f"{size:.0f}" for size in sizes))


if __name__ == "__main__":
    main()
