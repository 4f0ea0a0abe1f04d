"""The server's own ceiling: a bare WSGI callable returning a saved response.

bench/pages.py serves it through `communique.server.run`, under the same
server, workers and threads as the site, so that its table shows how much of
the distance to nginx is the server's and how much is the site's. It returns
the cached page's headers and body as they were saved, the gzip-compressed
body to a client whose Accept-Encoding names gzip (as the page cache does):
the same bytes for every request, with nothing made per reader.

Run (bench/pages.py does): BARE_WSGI_RESPONSE=saved.json python bench/bare_wsgi.py
    --bind 127.0.0.1:PORT --server granian|gunicorn --workers N --threads N
where saved.json holds {"headers": [[name, value], ...], "body": path,
"gzipped": path}.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

# Set per response, by the server, or only between one client and server.
LEFT_OUT = {"content-length", "content-encoding", "etag", "set-cookie", "date"}
LEFT_OUT |= {"server", "connection", "keep-alive", "transfer-encoding"}
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as the page cache reads it

Variant = tuple[list[tuple[str, str]], bytes]


def _load() -> tuple[Variant, Variant]:
    """(headers, body) for a plain client and for one accepting gzip."""
    saved = json.loads(Path(os.environ["BARE_WSGI_RESPONSE"]).read_text())
    headers = [
        (name, value)
        for name, value in saved["headers"]
        if name.lower() not in LEFT_OUT
    ]
    body = Path(saved["body"]).read_bytes()
    gzipped = Path(saved["gzipped"]).read_bytes()
    return (
        [*headers, ("ETag", '"bare"'), ("Content-Length", str(len(body)))],
        body,
    ), (
        [
            *headers,
            ("Content-Encoding", "gzip"),
            ("ETag", '"bare-gz"'),
            ("Content-Length", str(len(gzipped))),
        ],
        gzipped,
    )


if os.environ.get("BARE_WSGI_RESPONSE"):
    PLAIN, GZIPPED = _load()


def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
    accepts = ACCEPTS_GZIP.search(environ.get("HTTP_ACCEPT_ENCODING", ""))
    headers, body = GZIPPED if accepts else PLAIN
    start_response("200 OK", headers)
    return [body]


def main() -> None:
    from communique import server

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    server.add_arguments(parser)
    server.run_with_options(
        vars(parser.parse_args()),
        stdout=sys.stdout,
        application="bare_wsgi:application",
    )


if __name__ == "__main__":
    main()
