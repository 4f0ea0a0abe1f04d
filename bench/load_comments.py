"""Nothing lost under load (issue 6): clients post comments while readers read.

    .venv/bin/python bench/load_comments.py [--database sqlite|postgres]
        [--submissions 2000] [--clients 50] [--readers 4] [--workers 4]
        [--max-seconds 120] [--require-approval]

Serves a throw-away demo site on 127.0.0.1 (PostgreSQL: a fresh database, Redis
db 9), CAPTCHA and rate limits off. Clients read the statement page once, then
post comments with unique markers over keep-alive connections, following no
redirect, while readers load the page. The page carries no token: each post is
sent as a browser sends a form to its own site, with ``Origin`` and
``Sec-Fetch-Site: same-origin``, which the comment endpoints check instead.
The markers are then counted in the database. Prints accepted, refused by
reason, errors (5xx, connection), lost, duplicated, unexpected, readers'
statuses, p50/p99 latency, accepted/s, worker CPU and RSS; exits 1 on any such
failure or if nothing was accepted. Bounded.
"""

import argparse
import html
import http.client
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from functools import partial
from pathlib import Path
from threading import Barrier, Lock, Thread
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import psycopg
import redis
from serving import stop as stop_server

HOST = "127.0.0.1"  # the only host this script connects to
REDIS_URL = "redis://127.0.0.1:6379/9"
TARGET_PER_SECOND = 200
ERRORS = (OSError, http.client.HTTPException)
connect = partial(http.client.HTTPConnection, HOST, timeout=30)  # loopback only
FORM = re.compile(r'<form[^>]*action="(/comments/[^"#]+)[^"]*"[^>]*>(.*?)</form>', re.S)
HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def request(connection, method: str, path: str, fields=None, origin: str = ""):
    """One request over a keep-alive connection, which reopens after a failure.

    With ``origin``, sent as a browser sends a form to its own site."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if origin:
        headers.update({"Origin": origin, "Sec-Fetch-Site": "same-origin"})
    try:
        connection.request(method, path, fields and urlencode(fields), headers)
        response = connection.getresponse()
        return response, response.read().decode("utf-8", "replace")
    except ERRORS:
        connection.close()
        raise


def comment_form(page: str) -> tuple[str, dict[str, str]]:
    """The comment form's action (without its #fragment), and the hidden
    inputs with a value that a browser sends."""
    form = FORM.search(page)
    inputs = HIDDEN_INPUT.findall(form[2]) if form else []
    return form[1] if form else "", {name: html.unescape(v) for name, v in inputs}


def refusal_reason(status: int, page: str) -> tuple[int, str]:
    """The status and the first error message the page shows."""
    found = re.search(r'class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', page, re.S)
    found = found or re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    words = html.unescape(re.sub(r"<[^>]+>", " ", found[1])) if found else ""
    return status, " ".join(words.split())[:80] or "(no message)"


class Run:
    """One run: its posters and readers, and what the server answered them."""

    def __init__(self, args: argparse.Namespace, port: int, page: str) -> None:
        self.args, self.port, self.page = args, port, page
        self.id, self.lock, self.done = uuid.uuid4().hex[:8], Lock(), False
        self.issued, self.deadline, self.accepted = 0, float("inf"), set()
        self.refused, self.errors, self.reads = Counter(), Counter(), Counter()
        self.latencies, self.load_average = [], os.getloadavg()[0]

    def ticket(self) -> int | None:
        with self.lock:
            if self.issued >= self.args.submissions or time.monotonic() > self.deadline:
                return None
            self.issued += 1
            return self.issued

    def post(self, index: int, ready: Barrier) -> None:
        connection = connect(self.port)
        try:
            response, text = request(connection, "GET", self.page)
            action, hidden = comment_form(text)
            if response.status != 200 or not action:
                raise http.client.HTTPException(f"no form ({response.status})")
        except ERRORS as error:
            action = ""
            with self.lock:
                self.errors[f"setup: {error}"[:90]] += 1
        ready.wait()  # every client has the form; posting starts together
        connection.close()  # a fresh connection, not one idle since the GET
        origin = f"http://{HOST}:{self.port}"
        while action and (number := self.ticket()) is not None:
            fields = dict(hidden, op="save", author_name=f"Load tester {index}")
            fields["email"] = f"tester{index}@example.org"
            fields["body"] = f"load-test {self.id} #{number}: nothing lost under load."
            started = time.perf_counter()
            try:
                response, text = request(connection, "POST", action, fields, origin)
            except ERRORS as error:
                with self.lock:
                    self.errors[type(error).__name__] += 1
                continue
            location = urlsplit(response.getheader("Location", "")).path
            with self.lock:
                self.latencies.append((time.perf_counter() - started) * 1000)
                if response.status in (302, 303) and location == self.page:
                    self.accepted.add(number)
                elif response.status >= 500:
                    self.errors[f"HTTP {response.status}"] += 1
                else:
                    self.refused[refusal_reason(response.status, text)] += 1

    def read(self) -> None:
        connection = connect(self.port)
        while not self.done:
            try:
                status = request(connection, "GET", self.page)[0].status
            except ERRORS as error:
                status = type(error).__name__
            with self.lock:
                self.reads[status] += 1
            time.sleep(0.05)  # readers read, they do not flood

    def go(self, server_pid: int) -> tuple[float, float]:
        """Post and read; the posting phase's seconds and the workers' CPU seconds."""
        ready = Barrier(self.args.clients + 1, timeout=60)
        clients = range(self.args.clients)
        posters = [Thread(target=self.post, args=(n, ready)) for n in clients]
        readers = [Thread(target=self.read) for _ in range(self.args.readers)]
        for thread in (*posters, *readers):
            thread.start()
        ready.wait()
        self.deadline = time.monotonic() + self.args.max_seconds
        started, cpu = time.perf_counter(), workers(server_pid)[0]
        for thread in posters:
            thread.join()
        seconds, cpu = time.perf_counter() - started, workers(server_pid)[0] - cpu
        self.done = True
        for thread in readers:
            thread.join()
        return seconds, cpu


def stored(run: Run, env: dict[str, str]) -> tuple[Counter, Counter]:
    """How often each of this run's markers is stored; the stored statuses."""
    query = "SELECT body_source, status FROM comments_comment WHERE body_source LIKE "
    pattern = (f"%load-test {run.id} #%",)
    if run.args.database == "sqlite":
        sqlite_file = Path(env["COMMUNIQUE_DATA_DIR"], "communique.sqlite3")
        with closing(sqlite3.connect(sqlite_file)) as db:
            rows = db.execute(query + "?", pattern).fetchall()
    else:
        with psycopg.connect(env["COMMUNIQUE_DATABASE_URL"]) as db:
            rows = db.execute(query + "%s", pattern).fetchall()
    numbers = Counter(int(re.search(r"#(\d+):", body)[1]) for body, _ in rows)
    return numbers, Counter(status for _, status in rows)


def workers(server_pid: int) -> tuple[float, list[float]]:
    """CPU seconds and resident MB (VmRSS) of the server's children, the workers."""
    cpu, rss = 0.0, []
    for process in Path("/proc").glob("[0-9]*"):
        with suppress(OSError, TypeError):  # gone meanwhile
            stat = (process / "stat").read_text().rpartition(")")[2].split()
            if stat[1] == str(server_pid):  # the parent's pid
                cpu += (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
                status = (process / "status").read_text()
                rss.append(int(re.search(r"VmRSS:\s+(\d+)", status)[1]) / 1024)
    return cpu, rss


def percentile(values: list[float], fraction: float) -> float:
    values = sorted(values)
    return values[round(fraction * (len(values) - 1))] if values else float("nan")


@contextmanager
def serving(args, env: dict[str, str], log: Path) -> Iterator[tuple[int, int]]:
    """``communique serve`` on a free port, once it answers; stopped on leaving."""
    with socket.create_server((HOST, 0)) as probe:
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "communique", "serve", "--bind"]
    command += [f"{HOST}:{port}", "--workers", str(args.workers)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    with log.open("wb") as log_file:
        server = subprocess.Popen(command, env=env, stdout=log_file, stderr=log_file)
    try:
        deadline = time.monotonic() + 60
        while server.poll() is None and time.monotonic() < deadline:
            with suppress(*ERRORS):
                if request(connect(port), "GET", "/")[0].status == 200:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start:\n" + log.read_text()[-2000:])
        yield server.pid, port
    finally:
        stop_server(server)


def report(run: Run, stored: tuple, seconds: float, cpu: float, rss: list) -> bool:
    """Print the table; True if nothing went wrong."""
    args, (numbers, statuses), accepted = run.args, stored, len(run.accepted)
    lost, unexpected = run.accepted - numbers.keys(), numbers.keys() - run.accepted
    duplicated = [number for number, count in numbers.items() if count > 1]
    bad_reads = run.reads.total() - run.reads[200]
    rate, cpu_ms = accepted / seconds, 1000 * cpu / max(accepted, 1)
    target = f"{TARGET_PER_SECOND} {'met' if rate >= TARGET_PER_SECOND else 'NOT met'}"
    p50, p99 = percentile(run.latencies, 0.5), percentile(run.latencies, 0.99)
    rows = [
        ("database", f"{args.database}, {args.workers} workers"),
        ("submissions", f"{run.issued} from {args.clients} clients"),
        ("comments need approval", args.require_approval),
        ("accepted", accepted),
        *((f"refused ({why[0]})", f"{n} {why[1]}") for why, n in run.refused.items()),
        ("errors (5xx/connection)", run.errors.total()),
        *((f"  {kind}", n) for kind, n in run.errors.most_common()),
        ("stored", f"{numbers.total()} {dict(statuses)}"),
        ("lost", len(lost)),
        ("duplicated", len(duplicated)),
        ("unexpected", len(unexpected)),
        ("reader requests", f"{run.reads.total()}, {bad_reads} not 200"),
        ("post latency p50 / p99", f"{p50:.0f} / {p99:.0f} ms"),
        ("accepted per second", f"{rate:.1f} in {seconds:.1f} s (target {target})"),
        ("worker CPU per post", f"{cpu_ms:.1f} ms ({cpu / seconds:.2f} cores busy)"),
        ("worker RSS (MB)", " + ".join(f"{mb:.0f}" for mb in rss)),
        ("load average before", f"{run.load_average:.2f}"),
    ]
    sys.stdout.write("".join(f"{name:<25} {value}\n" for name, value in rows))
    failed = run.errors or lost or duplicated or unexpected or bad_reads
    return accepted > 0 and not failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    for name, default in (("submissions", 2000), ("clients", 50), ("readers", 4)):
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--threads", type=int, default=0, help="per worker (default: serve's)"
    )
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--require-approval", action="store_true")
    args = parser.parse_args()
    database, created = f"communique_bench_{os.getpid()}", False
    with tempfile.TemporaryDirectory(prefix="communique-load-") as folder:
        log = Path(folder, "server.log")
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
        env.update(
            COMMUNIQUE_DATA_DIR=folder,
            COMMUNIQUE_CAPTCHA_ENABLED="false",
            COMMUNIQUE_ANTISPAM_RATE_LIMITS="false",
            COMMUNIQUE_ANTISPAM_MIN_SECONDS="0",
            COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL=str(args.require_approval).lower(),
        )
        try:
            if args.database == "postgres":
                subprocess.run(["createdb", "-h", HOST, database], check=True)
                created = True
                env["COMMUNIQUE_DATABASE_URL"] = f"postgres://{HOST}:5432/{database}"
                env["COMMUNIQUE_CACHE_URL"] = REDIS_URL
                redis.Redis.from_url(REDIS_URL).flushdb()
            for command in (["migrate"], ["demo", "--no-serve"]):
                command = [sys.executable, "-m", "communique", *command]
                subprocess.run(command, env=env, check=True, capture_output=True)
            with serving(args, env, log) as (server_pid, port):
                front_page = request(connect(port), "GET", "/")[1]
                page = re.search(r'href="(/statements/[^"?#]+/)"', front_page)[1]
                run = Run(args, port, page)
                seconds, cpu = run.go(server_pid)
                rss = workers(server_pid)[1]
            passed = report(run, stored(run, env), seconds, cpu, rss)
            if run.errors:
                sys.stdout.write("server log, the end:\n" + log.read_text()[-3000:])
        finally:
            if created:
                subprocess.run(["dropdb", "-h", HOST, "--force", database], check=False)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
