"""The server's own ceiling: a bare WSGI callable returning a saved response.

bench/pages.py serves it through `communique.server.run`, under the same
server, workers and threads as the site, so that its table shows how much of
the distance to nginx is the server's and how much is the site's. Each
response carries a fresh random token in its body and its cookie, as a page
from the page cache carries a fresh CSRF token.

Run (bench/pages.py does): BARE_WSGI_RESPONSE=saved.json python bench/bare_wsgi.py
    --bind 127.0.0.1:PORT --server granian|gunicorn --workers N --threads N
where saved.json holds {"headers": [[name, value], ...], "body": path}.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

# Set per response, by the server, or only between one client and server.
LEFT_OUT = {"content-length", "set-cookie", "date", "server", "connection"}
LEFT_OUT |= {"keep-alive", "transfer-encoding"}


def _load() -> tuple[list[tuple[str, str]], bytes, bytes]:
    saved = json.loads(Path(os.environ["BARE_WSGI_RESPONSE"]).read_text())
    headers = [
        (name, value)
        for name, value in saved["headers"]
        if name.lower() not in LEFT_OUT
    ]
    body = Path(saved["body"]).read_bytes()
    middle = len(body) // 2
    return headers, body[:middle], body[middle:]


if os.environ.get("BARE_WSGI_RESPONSE"):
    HEADERS, HEAD, TAIL = _load()


def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
    token = secrets.token_hex(16)
    body = HEAD + token.encode() + TAIL
    start_response(
        "200 OK",
        [
            *HEADERS,
            ("Content-Length", str(len(body))),
            ("Set-Cookie", f"csrftoken={token}; Path=/; SameSite=Lax"),
        ],
    )
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
