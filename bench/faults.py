"""Staying up when a part fails: 50 clients post comments while PostgreSQL is
restarted, Redis stopped and started, a worker killed.

    .venv/bin/python bench/faults.py [--seconds 20] [--clients 50] [--workers 2]
        [--readers 2] [--redis-down 3]

Starts a PostgreSQL cluster (``initdb`` on a spare port) and a redis-server on
a spare port of its own, never the machine's, and serves a demo site on them
with `communique serve` (CAPTCHA and rate limits off). Then, for each fault in
turn, clients post comments with unique markers over keep-alive connections
(bench/load_comments.py's client) and readers load the statement page; a
third of the way into the phase the fault happens. Prints per fault: the posts
acknowledged (a redirect back to the statement), those stored, those lost
(acknowledged, not stored), the answers by status, the readers' answers, and
the time to recover: from the fault to the last post after it that was not
acknowledged. Exits 1 if a post was lost or answered 500.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from threading import Event, Lock, Thread
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import psycopg
from load_comments import ERRORS, HOST, comment_form, connect, request, serving
from tests import throwaway


class Phase:
    """One fault: what the clients were answered, and when."""

    def __init__(self, name: str, port: int, page: str) -> None:
        self.name, self.port, self.page = name, port, page
        self.marker = f"faults {uuid.uuid4().hex[:8]} {name}"
        self.lock, self.stop, self.next = Lock(), Event(), 0
        self.acknowledged: set[int] = set()
        self.answers, self.reads = Counter(), Counter()
        self.failures: list[float] = []  # when a post was not acknowledged
        self.fault_at = float("inf")

    def number(self) -> int:
        with self.lock:
            self.next += 1
            return self.next

    def post(self, index: int) -> None:
        connection, action, hidden = connect(self.port), "", {}
        origin = f"http://{HOST}:{self.port}"
        while not self.stop.is_set():
            if not action:  # the form, once (again after a failed read)
                try:
                    action, hidden = comment_form(
                        request(connection, "GET", self.page)[1]
                    )
                except ERRORS:
                    time.sleep(0.1)
                    continue
            number = self.number()
            fields = dict(hidden, op="save", author_name=f"Fault tester {index}")
            fields["body"] = f"{self.marker} #{number}: kept through the fault."
            try:
                response, _ = request(connection, "POST", action, fields, origin)
                status = response.status
                location = urlsplit(response.getheader("Location", "")).path
                ok = status in (302, 303) and location == self.page
            except ERRORS as error:
                status, ok = f"connection ({type(error).__name__})", False
            with self.lock:
                self.answers[status] += 1
                if ok:
                    self.acknowledged.add(number)
                else:
                    self.failures.append(time.monotonic())
            if not ok:
                time.sleep(0.1)  # as a person would wait before trying again

    def read(self) -> None:
        connection = connect(self.port)
        while not self.stop.is_set():
            try:
                status = request(connection, "GET", self.page)[0].status
            except ERRORS as error:
                status = f"connection ({type(error).__name__})"
            with self.lock:
                self.reads[status] += 1
            time.sleep(0.05)

    def run(self, args, fault: Callable[[], None]) -> None:
        threads = [Thread(target=self.post, args=(n,)) for n in range(args.clients)]
        threads += [Thread(target=self.read) for _ in range(args.readers)]
        for thread in threads:
            thread.start()
        time.sleep(args.seconds / 3)
        self.fault_at = time.monotonic()
        fault()
        time.sleep(max(0.0, self.fault_at + args.seconds * 2 / 3 - time.monotonic()))
        self.stop.set()
        for thread in threads:
            thread.join()

    def recovery_seconds(self) -> float:
        after = [moment for moment in self.failures if moment >= self.fault_at]
        return max(after) - self.fault_at if after else 0.0


def stored(database_url: str, marker: str) -> set[int]:
    with psycopg.connect(database_url) as db:
        rows = db.execute(
            "SELECT body_source FROM comments_comment WHERE body_source LIKE %s",
            (marker + " #%",),
        ).fetchall()
    return {int(re.search(r"#(\d+):", body)[1]) for (body,) in rows}


def worker_pids(server_pid: int) -> list[int]:
    return sorted(
        int(child)
        for children in Path(f"/proc/{server_pid}/task").glob("*/children")
        for child in children.read_text().split()
    )


def report(phase: Phase, database_url: str) -> bool:
    kept = stored(database_url, phase.marker)
    lost = phase.acknowledged - kept
    answers = ", ".join(f"{k}: {n}" for k, n in sorted(phase.answers.items(), key=str))
    reads = ", ".join(f"{k}: {n}" for k, n in sorted(phase.reads.items(), key=str))
    errors = sum(n for k, n in phase.answers.items() if k == 500)
    rows = [
        ("acknowledged", len(phase.acknowledged)),
        ("stored", f"{len(kept)} ({len(kept - phase.acknowledged)} not acknowledged)"),
        ("lost", len(lost)),
        ("answers", answers),
        ("answers of 500", errors),
        ("readers' answers", reads),
        ("time to recover", f"{phase.recovery_seconds():.1f} s"),
    ]
    sys.stdout.write(f"\n{phase.name}\n")
    sys.stdout.write("".join(f"  {name:<18} {value}\n" for name, value in rows))
    sys.stdout.flush()
    return not lost and not errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="per fault")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--redis-down", type=float, default=3, help="seconds")
    args = parser.parse_args()
    reason = throwaway.missing()
    if reason:
        sys.stdout.write(f"cannot run: {reason}\n")
        return 2
    with (
        throwaway.postgres() as postgres,
        throwaway.redis() as redis_server,
        tempfile.TemporaryDirectory(prefix="communique-faults-") as folder,
    ):
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
        env.update(
            COMMUNIQUE_DATA_DIR=folder,
            COMMUNIQUE_DATABASE_URL=postgres.url,
            COMMUNIQUE_CACHE_URL=redis_server.url,
            COMMUNIQUE_CAPTCHA_ENABLED="false",
            COMMUNIQUE_ANTISPAM_RATE_LIMITS="false",
            COMMUNIQUE_ANTISPAM_MIN_SECONDS="0",
        )
        for command in (["migrate"], ["demo", "--no-serve"]):
            command = [sys.executable, "-m", "communique", *command]
            subprocess.run(command, env=env, check=True, capture_output=True)
        log = Path(folder, "server.log")

        def restart_postgres() -> None:
            postgres.stop()
            postgres.start()

        def stop_start_redis() -> None:
            redis_server.stop()
            time.sleep(args.redis_down)
            redis_server.start()

        passed = True
        with serving(args, env, log) as (server_pid, port):
            front_page = request(connect(port), "GET", "/")[1]
            page = re.search(r'href="(/statements/[^"?#]+/)"', front_page)[1]
            faults = [
                ("restart PostgreSQL", restart_postgres),
                (f"stop Redis {args.redis_down:g} s, start it", stop_start_redis),
                (
                    "kill a worker (SIGKILL)",
                    lambda: os.kill(worker_pids(server_pid)[0], signal.SIGKILL),
                ),
            ]
            sys.stdout.write(
                f"{args.clients} posting clients, {args.readers} readers, "
                f"{args.workers} workers, {args.seconds:g} s per fault "
                "(the fault a third of the way in)\n"
            )
            for name, fault in faults:
                phase = Phase(name, port, page)
                phase.run(args, fault)
                passed = report(phase, postgres.url) and passed
                time.sleep(2)  # a killed worker is replaced before the next
        if not passed:
            sys.stdout.write("server log, the end:\n" + log.read_text()[-3000:])
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
