"""Pages rendered as a reader's browser would receive them: through the
site's own WSGI application (page cache, middleware, real views and
templates), in this process, with no server and no socket.

The request names the site's public host (``COMMUNIQUE_SITE_URL``) when the
site answers to it, so absolute addresses in the pages (alternates, feeds)
are the main site's and the page cache's copies are the very ones readers
get (the export reads them, but does not fill the cache with every page).
A site that does not list its public host among its allowed hosts is asked
as ``localhost`` instead, and its absolute addresses are put back on the
public host afterwards (``Renderer.public``).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http.request import validate_host

from communique.mirrors.export.addresses import Address
from communique.pagecache.middleware import READ_ONLY


@contextmanager
def one_connection() -> Iterator[None]:
    """Requests that keep the database connection open between them.

    A server lets Django close the connection after each request (it may sit
    idle for long); an export makes thousands of requests in a row, each of
    which would connect again. It also keeps a caller's open transaction (a
    test's) from being closed under it."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@dataclass
class Rendered:
    status: int
    content_type: str
    location: str
    body: bytes


class Renderer:
    """GET requests to the site's WSGI application."""

    def __init__(self) -> None:
        from communique.wsgi import application  # sets Django up, as a server does

        self.application = application
        site = urlsplit(settings.COMMUNIQUE_SITE_URL)
        self.scheme = site.scheme or "https"
        host = site.netloc
        if not validate_host(site.hostname or "", settings.ALLOWED_HOSTS):
            host = "localhost"
        self.host = host
        self.origin = f"{self.scheme}://{host}"
        self.public_origin = f"{self.scheme}://{site.netloc}"

    def get(self, address: Address) -> Rendered:
        environ = self._environ(address)
        started: dict[str, object] = {}

        def start_response(status: str, headers: list, exc_info=None) -> None:
            started["status"] = int(status.split()[0])
            started["headers"] = {name.lower(): value for name, value in headers}

        chunks = self.application(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        headers: dict[str, str] = started["headers"]  # type: ignore[assignment]
        return Rendered(
            status=started["status"],  # type: ignore[arg-type]
            content_type=headers.get("content-type", ""),
            location=headers.get("location", ""),
            body=self.public(body),
        )

    def public(self, body: bytes) -> bytes:
        """``body`` with the addresses of the host it was asked on put on the
        site's public address."""
        if self.origin == self.public_origin:
            return body
        return body.replace(
            (self.origin + "/").encode(), (self.public_origin + "/").encode()
        )

    def _environ(self, address: Address) -> dict[str, object]:
        https = self.scheme == "https"
        environ: dict[str, object] = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(address.path).encode().decode("latin-1"),
            "QUERY_STRING": address.query,
            "SERVER_NAME": self.host.split(":")[0],
            "SERVER_PORT": "443" if https else "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": self.host,
            "HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": self.scheme,
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            # Pages readers share are served from the page cache; the rest,
            # rendered once for the copy, are not kept there.
            READ_ONLY: True,
        }
        if https:
            # What a TLS-terminating proxy says (COMMUNIQUE_BEHIND_HTTPS_PROXY).
            environ["HTTP_X_FORWARDED_PROTO"] = "https"
        return environ
