"""A WSGI layer that reads each request's body, within a time limit, first.

Why. Both servers that ``communique serve`` runs call the application as soon
as a request's headers have arrived; the body is read from the connection only
when the application asks for it. Under granian 2.8, ``wsgi.input.read(n)``
holds the calling thread until ``n`` bytes have come (or the client went
away); under gunicorn's gthread worker, ``wsgi.input`` reads the socket the
same way. Django asks when a middleware or view touches ``request.body`` or
``request.POST``. So a client that sends a POST body one byte a second kept a
thread for as long as it kept sending, and with 2 workers of 1 thread, one or
two such clients left every reader waiting (measured, docs/deploy/serving.md).

What this layer does, for each request with a body (``Content-Length`` > 0):

1. It reads the body into memory in the server's thread, in reads sized to
   how fast the body has been coming, and looks at the clock between them.
   The servers run many threads per worker for such reading (``communique
   serve``: ``server.READING_THREADS``); a thread that waits costs memory, not
   CPU.
2. A body not fully arrived ``COMMUNIQUE_REQUEST_BODY_SECONDS`` after the
   request reached the site (or whose client went away) is refused with 408
   and a page that says so. What the reader typed cannot be kept: it never
   reached the site. Both servers then close the connection.
3. Then the site works on the request, at most ``COMMUNIQUE_SITE_THREADS`` at
   once in this process, so that the threads that read bodies do not also
   take turns on the interpreter: 128 threads working at once accepted half as
   many comments a second as one (bench/load_comments.py, 2 workers).

Why reads sized to the pace: ``read(n)`` returns only once ``n`` bytes have
come, under both servers, so a large read from a trickling client would never
let the clock be looked at. The first read asks for one byte; each read that
was quick doubles the next (up to 64 KiB), each slow one halves it. A trickling
client is thus refused within a read's time of the limit. A client that sends
no byte at all after its headers keeps its thread until it goes away: neither
server's read can be given a time limit from here (granian 2.8 has a time
limit for headers only; reading in a second thread and answering without
waiting for it stalled granian's whole worker until that read ended,
measured).

Bodies larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` are not read at all: the
request reaches the site with an empty body and ``UnreadableInputMiddleware``
answers 413 (no page here takes file uploads). A body sent in chunks, without
a ``Content-Length``, is read up to one byte past that size: a larger one is
refused the same way, a smaller one reaches Django with its length set (Django
reads nothing of a body whose length it is not told).

A buffering proxy in front (nginx's default ``proxy_request_buffering on``)
reads the whole body before it passes the request on; then step 1 finds the
body already there.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from django.conf import settings

WSGIApplication = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# Set on a request whose body did not fully arrive in time; its value is the
# time limit in seconds. UnreadableInputMiddleware answers such a request.
LATE_BODY = "communique.late_body_seconds"
# Set on a request whose body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE and
# was sent in chunks; UnreadableInputMiddleware answers it with 413.
TOO_LARGE_BODY = "communique.too_large_body"
# What a browser sends for a form without file fields, the only body the views
# marked with ``form_encoded_only`` take.
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
LARGEST_READ = 64 * 1024
QUICK_READ_SECONDS = 0.1


class ReadBodyFirst:
    """Wrap a WSGI application: bodies are read within the time limit before it
    runs, and it runs for at most ``site_threads`` requests at once (0: any)."""

    def __init__(self, application: WSGIApplication, *, site_threads: int) -> None:
        self.application = application
        self.working: AbstractContextManager = (
            threading.BoundedSemaphore(site_threads) if site_threads else nullcontext()
        )

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        length, largest = content_length(environ), largest_body()
        chunked = is_chunked(environ) and not length
        if largest is not None and length > largest:
            environ["wsgi.input"] = io.BytesIO()  # refused unread with 413
        elif length or chunked:
            seconds = settings.COMMUNIQUE_REQUEST_BODY_SECONDS
            deadline = time.monotonic() + seconds
            stream = environ["wsgi.input"]
            if chunked:
                body = read_to_end_before(stream, largest, deadline)
            else:
                body = read_before(stream, length, deadline)
            if body is None:
                environ[LATE_BODY] = seconds
                body = b""
            elif largest is not None and len(body) > largest:
                environ[TOO_LARGE_BODY] = True
                body = b""
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["wsgi.input"] = io.BytesIO(body)
        with self.working:
            return self.application(environ, start_response)


def largest_body() -> int | None:
    """The most bytes a request body may have; None: no limit."""
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def is_chunked(environ: dict[str, Any]) -> bool:
    """Whether the body comes in chunks, its length untold."""
    return "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()


def form_encoded_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view whose POSTs must be URL-encoded forms.

    ``UnreadableInputMiddleware`` answers any other POST to it (a multipart
    upload above all) with 415 before any view or middleware reads the body,
    so Django never parses an upload for it. Like ``csrf_exempt``, this only
    marks: the middleware does the work, before ``CsrfViewMiddleware``, which
    reads the form of the views it checks.
    """
    view.form_encoded_only = True  # type: ignore[attr-defined]
    return view


def content_length(environ: dict[str, Any]) -> int:
    """The announced body length; 0 when absent or unreadable (Django reads
    nothing then either)."""
    try:
        return max(0, int(environ.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def read_before(stream: Any, length: int, deadline: float) -> bytes | None:
    """``length`` bytes of ``stream``, or None if they are not all there by
    ``deadline`` (a ``time.monotonic()`` value) or the stream ends first."""
    return _read(stream, length, deadline, may_end=False)


def read_to_end_before(
    stream: Any, largest: int | None, deadline: float
) -> bytes | None:
    """All of ``stream``, but at most ``largest`` + 1 bytes (the caller sees
    that it is too large); None if its end has not come by ``deadline``."""
    most = (largest if largest is not None else 2**62) + 1
    return _read(stream, most, deadline, may_end=True)


def _read(stream: Any, length: int, deadline: float, *, may_end: bool) -> bytes | None:
    chunks: list[bytes] = []
    received, size = 0, 1
    while received < length:
        started = time.monotonic()
        if started > deadline:
            return None
        try:
            chunk = stream.read(min(size, length - received))
        except (OSError, ValueError):  # the client went away
            return None
        if not chunk:
            return b"".join(chunks) if may_end else None
        chunks.append(chunk)
        received += len(chunk)
        quick = time.monotonic() - started < QUICK_READ_SECONDS
        size = min(size * 2, LARGEST_READ) if quick else max(size // 2, 1)
    return b"".join(chunks)
