"""Running the site under granian or gunicorn, for ``communique serve`` and
``communique demo``.

Each worker runs ``READING_THREADS`` threads, most of them only ever waiting
for a request's body to arrive; ``--threads`` of them at a time run the site
(``communique.request_bodies``, which gets that number through the
``COMMUNIQUE_SITE_THREADS`` variable the workers inherit). Slow clients thus
wait in threads of their own instead of holding the one that serves readers:
docs/deploy/serving.md.
"""

from __future__ import annotations

import argparse
import logging
import os
from typing import Any, TextIO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext, gettext_noop
from gunicorn.app.base import BaseApplication

DEFAULT_BIND = "127.0.0.1:8000"
SERVERS = ("gunicorn", "granian")
DEFAULT_SERVER = "granian"  # measured faster: docs/performance.md
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 1  # measured faster than 2 or 4 here: docs/performance.md
# Threads per worker that may wait for request bodies at once; beyond them, a
# request waits for one to be free. Measured: docs/deploy/serving.md.
READING_THREADS = 128
APPLICATION = "communique.wsgi:application"


# Hosts that name the machine itself: no one else reaches the site there.
LOCAL_HOSTS = frozenset({"localhost", "::1", "0.0.0.0", "::"})


class NotReady(Exception):
    """The site cannot be served yet; the message says what to run."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bind",
        default=DEFAULT_BIND,
        help=f"HOST:PORT to listen on (default {DEFAULT_BIND}).",
    )
    parser.add_argument(
        "--workers",
        type=_positive_int,
        default=DEFAULT_WORKERS,
        help=f"Worker processes (default {DEFAULT_WORKERS}).",
    )
    parser.add_argument(
        "--threads",
        type=_positive_int,
        default=DEFAULT_THREADS,
        help=f"Threads per worker that run the site at once (default "
        f"{DEFAULT_THREADS}); up to {READING_THREADS} more wait for slow "
        "request bodies.",
    )
    parser.add_argument(
        "--server",
        choices=SERVERS,
        default=DEFAULT_SERVER,
        help=f"The WSGI server (default {DEFAULT_SERVER}); see docs/performance.md.",
    )
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="Log every request to standard output (off by default: it holds "
        "readers' IP addresses).",
    )


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def unapplied_migrations() -> list[str]:
    """Names of the migrations the database still lacks."""
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def is_local_address(url: str) -> bool:
    """``url`` names this machine (or nothing), not an address others reach."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return True
    return (
        not host
        or host in LOCAL_HOSTS
        or host.endswith(".localhost")
        or host.startswith("127.")
    )


def site_url_warning() -> str | None:
    """What ``serve`` says on stderr when, in production (not DEBUG), the
    site's public address is unset (its default is local) or local: the links
    in mails to moderators, feeds and sitemaps are made from it."""
    if settings.DEBUG or not is_local_address(settings.COMMUNIQUE_SITE_URL):
        return None
    return gettext(
        "Warning: COMMUNIQUE_SITE_URL is unset or names this machine "
        "(%(url)s), so the links in mails to moderators, in feeds and in "
        "sitemaps lead nowhere for anyone else. Set it to the site's public "
        "address, such as https://news.example.org."
    ) % {"url": settings.COMMUNIQUE_SITE_URL}


def prepare(*, stdout: TextIO) -> None:
    """Check the database is migrated and gather the static files."""
    missing = unapplied_migrations()
    if missing:
        raise NotReady(
            gettext(
                "The database lacks %(count)d migration(s), such as %(name)s. "
                "Run `communique migrate` first, then start the server again."
            )
            % {"count": len(missing), "name": missing[0]}
        )
    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()  # no connection may be shared by forked workers


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any], application: str) -> None:
        self.options = options
        self.application = application
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        if "control_socket_disable" in self.cfg.settings:
            # Newer gunicorn opens a control socket in the home folder; we have
            # no use for it.
            self.cfg.set("control_socket_disable", True)

    def load(self):
        from gunicorn.util import import_app

        return import_app(self.application)


def run_with_options(
    options: dict[str, Any], *, stdout: TextIO, application: str = APPLICATION
) -> None:
    """``run`` with the options that ``add_arguments`` defined."""
    run(
        bind=options["bind"],
        workers=options["workers"],
        threads=options["threads"],
        access_log=options["access_log"],
        server=options["server"],
        stdout=stdout,
        application=application,
    )


def run(
    *,
    bind: str,
    workers: int,
    threads: int = DEFAULT_THREADS,
    access_log: bool = False,
    server: str = DEFAULT_SERVER,
    stdout: TextIO,
    application: str = APPLICATION,
) -> None:
    """Serve until stopped (Ctrl-C or SIGTERM). ``application``: the WSGI
    callable as "module:name" (bench/pages.py serves a bare one to measure the
    server's own ceiling)."""
    serving = gettext_noop(
        "Serving on %(address)s with %(server)s, %(workers)d worker(s); Ctrl-C stops."
    )
    if settings.configured:  # bench/bare_wsgi.py serves without Django
        serving = gettext(serving)
    address = f"http://{bind}/"
    stdout.write(serving % {"address": address, "server": server, "workers": workers})
    stdout.write("\n")
    stdout.flush()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communique.settings")
    os.environ["COMMUNIQUE_SITE_THREADS"] = str(threads)  # for the workers
    reading_threads = max(threads, READING_THREADS)
    if server == "granian":
        _run_granian(
            application,
            bind=bind,
            workers=workers,
            threads=reading_threads,
            access_log=access_log,
        )
        return
    _Gunicorn(
        {
            "bind": [bind],
            "workers": workers,
            "threads": reading_threads,
            "worker_class": "gthread",
            "accesslog": "-" if access_log else None,
            "errorlog": "-",
            "timeout": 30,
            "graceful_timeout": 10,
            "proc_name": "communique",
        },
        application,
    ).run()


def _run_granian(
    application: str, *, bind: str, workers: int, threads: int, access_log: bool
) -> None:
    from granian import Granian
    from granian.constants import Interfaces

    host, _, port = bind.rpartition(":")
    granian = Granian(
        application,
        address=host.strip("[]") or "127.0.0.1",
        port=int(port),
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        log_access=access_log,
        websockets=False,
        # A worker that dies (killed, out of memory) is replaced at once; off by
        # default in granian, which then stops serving for good. (Its
        # respawn_interval only delays reloads and planned respawns.) Gunicorn
        # replaces dead workers by default.
        respawn_failed_workers=True,
    )
    # It warns about so many threads for two cores; here they wait for bodies
    # and ``--threads`` of them run the site at once.
    logging.getLogger("_granian").addFilter(_expected_threads_warning)
    granian.serve()


def _expected_threads_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("Configuration allows spawning up to")
