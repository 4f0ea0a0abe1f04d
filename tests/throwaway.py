"""A PostgreSQL cluster and a Redis server of one's own, on spare ports, for
tests and scripts that stop and restart them (`test_database_down.py`,
`bench/faults.py`). The machine's own servers are never touched.

PostgreSQL refuses to run as root: as root, its commands run as the
``postgres`` user, who then owns the cluster's folder.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server programs, or None when not installed."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def missing() -> str | None:
    """Why a throwaway cluster and Redis cannot be started here; None if they can."""
    if postgres_bin() is None:
        return "PostgreSQL's server programs (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0 and _postgres_user() is None:
        return "running as root and there is no postgres user to run PostgreSQL"
    if shutil.which("redis-server") is None:
        return "redis-server is not installed"
    return None


def _postgres_user() -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        return None


class Postgres:
    """A cluster in ``folder`` serving on ``port``, with trust authentication."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.data, self.log = folder / "data", folder / "postgres.log"
        self.url = f"postgres://postgres@{HOST}:{port}/communique"

    def _run(self, program: str, *args: str) -> None:
        command = [str(postgres_bin() / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def create(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        user = _postgres_user() if os.geteuid() == 0 else None
        if user is not None:
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust")
        self.start()
        import psycopg

        admin = f"postgres://postgres@{HOST}:{self.port}/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute("CREATE DATABASE communique")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses={HOST}"
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
            "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop at once, as a crash or a restart does to the site: connections
        are cut, open transactions rolled back."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")


@contextmanager
def postgres() -> Iterator[Postgres]:
    """A throwaway cluster with a database ``communique``; removed on leaving.
    Its folder is a new one under the system's temporary folder, which the
    postgres user can reach (pytest's ``tmp_path`` is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="communique-postgres-"))
    cluster = Postgres(folder, free_port())
    cluster.create()
    try:
        yield cluster
    finally:
        cluster.destroy()
        shutil.rmtree(folder, ignore_errors=True)


class Redis:
    """A redis-server of one's own, nothing saved to disk."""

    def __init__(self, port: int) -> None:
        self.port, self.process = port, None
        self.url = f"redis://{HOST}:{port}/0"

    def start(self) -> None:
        options = ["--bind", HOST, "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), *options],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with suppress(OSError), socket.create_connection((HOST, self.port), 0.2):
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@contextmanager
def redis() -> Iterator[Redis]:
    server = Redis(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
