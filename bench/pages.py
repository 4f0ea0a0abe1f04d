"""Page speed against nginx: the statement page cached, uncached, through Varnish.

Run: .venv/bin/python bench/pages.py [--seconds 10] [--server gunicorn|granian|both]
     [--threads N] [--rounds N] [--rows cached,uncached,bare,varnish,nginx]
     [--vcl docs/deploy/varnish.vcl]

Installs wrk and nginx with apt when they are missing (as root; the Varnish
rows need `apt-get install varnish varnish-modules`), prepares the site of
bench/serving.py (the statement page with 50 comments, about 54 KB), and
measures with `wrk -t1 -c32` for N seconds each, in one run:

  cached    the statement page from the app's page cache, uncompressed and
            gzip-compressed (wrk sending ``Accept-Encoding: gzip``), and the
            front page
  uncached  the statement page and the front page with the page cache off
  bare      a bare WSGI callable returning the cached page's saved response
            under the same server (bench/bare_wsgi.py): the most that server
            gets out of this machine, whatever the site does
  varnish   varnishd running the shipped docs/deploy/varnish.vcl (its backend
            block rewritten) in front of `communique serve`, and the same
            varnishd in front of nginx serving the saved page with the app's
            Cache-Control (Varnish's own ceiling on this machine); each with
            the share of requests that were Varnish hits, from varnishstat
  nginx     nginx compressing the page on the fly, for comparison

The limit every row is divided by is nginx serving the saved page as a file,
measured again just before each figure (the machine's speed drifts over
minutes, and a ratio is only as good as the two runs it divides), with the
same Accept-Encoding header as the figure. Compressed, nginx sends the app's
own gzip bytes saved next to the page (``gzip_static on``): it compresses
nothing per request, as the page cache and Varnish do not. ``--rounds N``
measures each pair N times and keeps the round with the median ratio, with
the range. It prints requests/s, p50 and p99 latency, kilobytes per response
(headers included), the hit rate where Varnish is in front, then the
resident memory of each worker and the load average before and after.
Loopback only; every run is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fronts import VCL, Nginx, Varnish, nginx_config, varnishd
from serving import (
    fetch,
    free_port,
    prepare_site,
    running,
    serve_command,
    site_server,
    worker_rss_mb,
)

GZIP = "gzip"  # the Accept-Encoding wrk sends for the compressed rows
ROW_GROUPS = ("cached", "uncached", "bare", "varnish", "nginx")


def ensure_tools() -> None:
    missing = [tool for tool in ("wrk", "nginx") if not shutil.which(tool)]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"Install {' and '.join(missing)} (apt-get install wrk nginx-light).")
    packages = ["wrk" if tool == "wrk" else "nginx-light" for tool in missing]
    subprocess.run(["apt-get", "update", "-q"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-q", *packages], check=True)


@dataclass
class Figures:
    rate: float  # requests per second
    p50: float  # ms
    p99: float  # ms
    kilobytes: float  # per response, headers included


def wrk(url: str, seconds: int, encoding: str = "") -> Figures:
    headers = ["-H", f"Accept-Encoding: {encoding}"] if encoding else []
    output = subprocess.run(
        ["wrk", "-t1", "-c32", f"-d{seconds}s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        sys.exit(f"wrk saw errors at {url}:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    count, size, unit = re.search(
        r"(\d+) requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read", output
    ).groups()
    read = float(size) * {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[unit]
    return Figures(
        rate,
        _latency(output, "50%"),
        _latency(output, "99%"),
        read / int(count) / 1024,
    )


def _latency(output: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def check_encoding(url: str, encoding: str) -> None:
    """Stop unless ``url`` answers 200, compressed exactly when asked to be."""
    status, headers, _ = fetch(url, encoding)
    compressed = headers.get("Content-Encoding") == "gzip"
    if status != 200 or compressed != bool(encoding):
        sys.exit(f"{url} with Accept-Encoding {encoding!r}: {status}, {headers}")


def bare_server(root: Path, port: int, server: str, threads: int | None):
    """bench/bare_wsgi.py serving the saved response, as the site is served."""
    here = Path(__file__).resolve().parent
    env = {
        **os.environ,
        "BARE_WSGI_RESPONSE": str(root / "response.json"),
        "PYTHONPATH": os.pathsep.join(
            filter(None, (str(here), os.environ.get("PYTHONPATH")))
        ),
    }
    command = [sys.executable, str(here / "bare_wsgi.py")]
    return running(
        serve_command(command, port, server, threads), env, f"http://127.0.0.1:{port}/"
    )


def save_page(env: dict[str, str], root: Path, path: str, server: str) -> str:
    """Save the cached statement page as served: the files nginx serves and
    the response bench/bare_wsgi.py replays. Returns its Cache-Control."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with site_server({**env, "COMMUNIQUE_PAGE_CACHE": "true"}, port, server):
        fetch(base + path)  # the first request renders and stores it
        _, headers, body = fetch(base + path)
        _, gzip_headers, gzipped = fetch(base + path, GZIP)
    if gzip_headers.get("Content-Encoding") != "gzip":
        sys.exit("the page cache did not answer Accept-Encoding: gzip with gzip")
    html = root / "html"
    (html / "fly").mkdir(parents=True)
    for folder in (html, html / "fly"):
        (folder / "page.html").write_bytes(body)
    (html / "page.html.gz").write_bytes(gzipped)  # for gzip_static only
    saved = {
        "headers": headers.items(),
        "body": str(html / "page.html"),
        "gzipped": str(html / "page.html.gz"),
    }
    (root / "response.json").write_text(json.dumps(saved))
    return headers["Cache-Control"]


@dataclass
class Row:
    label: str
    figures: Figures
    limit: float
    ratios: list[float]
    hits: float | None = None  # the share of Varnish hits


@dataclass
class Pairs:
    """Figures, each measured right after nginx serving the saved page.

    The machine's speed drifts from one minute to the next (other tenants,
    frequency), so a figure is compared with an nginx run made just before
    it rather than with one made minutes away; with ``rounds`` above one, each
    pair is measured that many times and the round with the median ratio is
    kept (the upper of the middle two for an even number), with the range of
    the ratios.
    """

    nginx_url: str
    seconds: int
    rounds: int
    rows: list[Row] = field(default_factory=list)

    def measure(
        self,
        label: str,
        url: str,
        encoding: str = "",
        counters: Callable[[], tuple[int, int]] | None = None,
        limit_url: str | None = None,
    ) -> None:
        """One row: ``url`` against nginx (or ``limit_url``), both asked
        with ``encoding``; ``counters`` gives Varnish's (hits, requests)."""
        limit_url = limit_url or self.nginx_url
        check_encoding(url, encoding)
        check_encoding(limit_url, encoding)
        runs = []
        for _ in range(self.rounds):
            limit = wrk(limit_url, self.seconds, encoding).rate
            before = counters() if counters else (0, 0)
            figures = wrk(url, self.seconds, encoding)
            after = counters() if counters else (0, 1)
            hits = (after[0] - before[0]) / max(after[1] - before[1], 1)
            runs.append((figures.rate / limit, figures, limit, hits))
        runs.sort(key=lambda run: run[0])
        _, figures, limit, hits = runs[len(runs) // 2]
        ratios = [run[0] for run in runs]
        self.rows.append(Row(label, figures, limit, ratios, hits if counters else None))

    def print(self) -> None:
        spread = self.rounds > 1
        print(
            f"{'what':46} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'KB':>6} "
            f"{'nginx':>7} {'ratio':>6} {'hits':>7}" + ("  range" if spread else "")
        )
        for row in self.rows:
            figures = row.figures
            hits = f"{100 * row.hits:.2f}%" if row.hits is not None else ""
            span = f"  {min(row.ratios):.3f}-{max(row.ratios):.3f}" if spread else ""
            print(
                f"{row.label:46} {figures.rate:>8.0f} {figures.p50:>7.2f} "
                f"{figures.p99:>7.2f} {figures.kilobytes:>6.1f} {row.limit:>7.0f} "
                f"{figures.rate / row.limit:>6.3f} {hits:>7}{span}"
            )


@dataclass
class Bench:
    pairs: Pairs
    env: dict[str, str]
    root: Path
    path: str
    threads: int | None
    groups: set[str]
    nginx: Nginx
    vcl: Path
    memory: dict[str, list[float]] = field(default_factory=dict)

    def site(self, server: str, page_cache: str):
        port = free_port()
        env = {**self.env, "COMMUNIQUE_PAGE_CACHE": page_cache}
        return port, site_server(env, port, server, self.threads)

    def server_rows(self, server: str, with_varnish: bool) -> None:
        """The rows of one server (and Varnish in front of it)."""
        measure = self.pairs.measure
        if {"cached", "varnish"} & self.groups:
            port, serving = self.site(server, "true")
            with serving as process:
                base = f"http://127.0.0.1:{port}"
                if "cached" in self.groups:
                    measure(f"{server}: statement, cached", base + self.path)
                    measure(
                        f"{server}: statement, cached, gzip", base + self.path, GZIP
                    )
                    measure(f"{server}: front page, cached", base + "/")
                if with_varnish and "varnish" in self.groups:
                    self.varnish_rows(f"127.0.0.1:{port}", server)
                self.memory[f"{server}, page cache on"] = worker_rss_mb(process)
        if "uncached" in self.groups:
            port, serving = self.site(server, "false")
            with serving as process:
                base = f"http://127.0.0.1:{port}"
                measure(f"{server}: statement, uncached", base + self.path)
                measure(f"{server}: front page, uncached", base + "/")
                self.memory[f"{server}, page cache off"] = worker_rss_mb(process)
        if "bare" in self.groups:
            port = free_port()
            with bare_server(self.root, port, server, self.threads):
                base = f"http://127.0.0.1:{port}/"
                measure(f"{server}: bare WSGI callable, same page", base)
                measure(f"{server}: bare WSGI callable, same page, gzip", base, GZIP)

    def varnish_rows(self, app: str, server: str) -> None:
        """Varnish in front of the app, then in front of nginx's static page."""
        for name, backend, path in (
            (f"Varnish -> {server}", app, self.path),
            (
                "Varnish -> nginx static",
                f"127.0.0.1:{self.nginx.backend}",
                "/page.html",
            ),
        ):
            varnish = Varnish(self.root, name.split()[-1], backend, self.vcl)
            with varnish.running():
                url = f"http://127.0.0.1:{varnish.port}{path}"
                for encoding in ("", GZIP):
                    varnish.warm(url, encoding)
                    label = f"{name}: statement" + (", gzip" if encoding else "")
                    self.pairs.measure(label, url, encoding, varnish.counters)

    def nginx_rows(self) -> None:
        fly = f"http://127.0.0.1:{self.nginx.limit}/fly/page.html"
        self.pairs.measure("nginx compressing on the fly, gzip", fly, GZIP)


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
    parser.add_argument(
        "--rows",
        default=",".join(ROW_GROUPS),
        help=f"which groups of rows, comma-separated (default {','.join(ROW_GROUPS)})",
    )
    parser.add_argument(
        "--vcl",
        type=Path,
        default=VCL,
        help="the VCL Varnish runs (default docs/deploy/varnish.vcl)",
    )
    arguments = parser.parse_args()
    groups = set(arguments.rows.split(","))
    if groups - set(ROW_GROUPS):
        parser.error(f"--rows: unknown {', '.join(sorted(groups - set(ROW_GROUPS)))}")
    ensure_tools()
    if "varnish" in groups and varnishd() is None:
        print("No Varnish rows: apt-get install varnish varnish-modules for them.")
        groups.discard("varnish")
    servers = (
        ["granian", "gunicorn"] if arguments.server == "both" else [arguments.server]
    )
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="communique-bench-") as folder:
        root = Path(folder)
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
        env["COMMUNIQUE_DATA_DIR"] = str(root / "data")
        path = prepare_site(env)
        cache_control = save_page(env, root, path, servers[0])
        ports = Nginx(free_port(), free_port(), cache_control)
        (root / "nginx.conf").write_text(nginx_config(root, ports))
        command = ["nginx", "-c", str(root / "nginx.conf")]
        limit_url = f"http://127.0.0.1:{ports.limit}/page.html"
        with running(command, None, limit_url):
            pairs = Pairs(limit_url, arguments.seconds, max(arguments.rounds, 1))
            bench = Bench(
                pairs, env, root, path, arguments.threads, groups, ports, arguments.vcl
            )
            for number, server in enumerate(servers):
                bench.server_rows(server, with_varnish=number == 0)
            if "nginx" in groups:
                bench.nginx_rows()
            sizes = (root / "html" / "page.html", root / "html" / "page.html.gz")
            plain, gzipped = (size.stat().st_size for size in sizes)
    threads = arguments.threads or "default"
    rounds = f"{pairs.rounds} round{'s' if pairs.rounds > 1 else ''}"
    print(
        f"\nwrk -t1 -c32 -d{arguments.seconds}s, 2 workers ({threads} threads), "
        f"SQLite; page {path}, {plain:,} bytes ({gzipped:,} gzip-compressed); "
        f"nginx serving the saved page (gzip rows: the app's gzip bytes, "
        f"gzip_static) measured just before each figure ({rounds}); KB per "
        f"response with headers; hits: Varnish hits / requests in the run"
        + (f"; Varnish running {arguments.vcl}" if "varnish" in groups else "")
    )
    pairs.print()
    if bench.memory:
        print("\nworker resident memory after the runs (MB):")
    for label, sizes in bench.memory.items():
        print(f"  {label}: " + ", ".join(f"{size:.0f}" for size in sizes))
    load_after = os.getloadavg()
    print(
        "\nload average before: "
        + " ".join(f"{load:.2f}" for load in load_before)
        + "; after: "
        + " ".join(f"{load:.2f}" for load in load_after)
    )


if __name__ == "__main__":
    main()
