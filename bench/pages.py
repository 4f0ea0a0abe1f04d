"""Page speed against nginx: the cached and uncached statement page, the front page.

Run: .venv/bin/python bench/pages.py [--seconds 10] [--server gunicorn|granian|both]
     [--threads N]

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

It prints requests/s, p50 and p99 latency and each figure's ratio to (a), then
the resident memory of each worker. Loopback only; every run is bounded.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--server", choices=["gunicorn", "granian", "both"], default="both"
    )
    parser.add_argument(
        "--threads", type=int, help="per worker (default: what serve uses)"
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
        rows: list[tuple[str, float, float, float]] = []
        memory: dict[str, list[float]] = {}
        for server in servers:
            for cache in ("true", "false"):
                port = free_port()
                process = start_server(
                    {**env, "COMMUNIQUE_PAGE_CACHE": cache},
                    port,
                    server,
                    arguments.threads,
                )
                try:
                    base = f"http://127.0.0.1:{port}"
                    if server == servers[0] and cache == "true":
                        (root / "html").mkdir()
                        with urllib.request.urlopen(base + path) as response:
                            (root / "html" / "page.html").write_bytes(response.read())
                            saved = {
                                "headers": response.getheaders(),
                                "body": str(root / "html" / "page.html"),
                            }
                        (root / "response.json").write_text(json.dumps(saved))
                    label = "cached" if cache == "true" else "uncached"
                    rows.append(
                        (
                            f"{server}: statement, {label}",
                            *wrk(base + path, arguments.seconds),
                        )
                    )
                    rows.append(
                        (
                            f"{server}: front page, {label}",
                            *wrk(base + "/", arguments.seconds),
                        )
                    )
                    memory[f"{server}, cache {cache}"] = worker_rss_mb(process)
                finally:
                    stop(process)
            port = free_port()
            bare = start_bare(root, port, server, arguments.threads)
            try:
                rows.append(
                    (
                        f"{server}: bare WSGI callable, same page",
                        *wrk(f"http://127.0.0.1:{port}/", arguments.seconds),
                    )
                )
            finally:
                stop(bare)
        nginx_port = free_port()
        web = nginx(root, nginx_port)
        try:
            limit = wrk(f"http://127.0.0.1:{nginx_port}/page.html", arguments.seconds)
        finally:
            stop(web)
    threads = arguments.threads or "default"
    print(
        f"\nwrk -t1 -c32 -d{arguments.seconds}s, 2 workers ({threads} threads), "
        f"SQLite; page {path}"
    )
    print(f"{'what':40} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'vs nginx':>9}")
    for label, rate, p50, p99 in [("nginx: the same page as a file", *limit), *rows]:
        ratio = rate / limit[0]
        print(f"{label:40} {rate:>10.0f} {p50:>8.2f} {p99:>8.2f} {ratio:>9.3f}")
    print("\nworker resident memory after the runs (MB):")
    for label, sizes in memory.items():
        print(f"  {label}: " + ", ".join(f"{size:.0f}" for size in sizes))


if __name__ == "__main__":
    main()
