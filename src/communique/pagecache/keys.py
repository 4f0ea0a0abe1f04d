"""What names a cached page: the inputs the page's bytes depend on, normalised.

A page depends on its address (scheme, host, path) and on the query
parameters views read (``page``, ``lang``, ``order`` of a statement's
comments; ``q`` and ``in`` of the search page, ``p`` of the sitemap,
``topic`` of the JSON API's list of statements);
nothing else of the request. Everything else in a query string (``utm_*``,
a random cache-buster) maps to the same key, so unique query strings cannot
fill the cache. Host names are compared as Django
compares them: without case, a trailing dot or the scheme's default port.
Only pages Django rendered and accepted the host of are ever stored, so a
key's host needs no checking here.

``environ`` is the WSGI environment, as ``request.META`` is: the same key
comes out before Django has seen the request and after.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode

from communique.pagecache.snapshot import snapshot

READ_PARAMETERS = ("page", "lang", "order", "q", "in", "p", "topic")
DEFAULT_PORTS = {"http": ":80", "https": ":443"}


def read_query(query_string: str) -> str:
    """The parameters views read, in a fixed order, each at its last value
    (as ``QueryDict.get`` gives)."""
    if not query_string:
        return ""
    found = {
        name: value
        for name, value in parse_qsl(query_string, keep_blank_values=True)
        if name in READ_PARAMETERS
    }
    return urlencode(sorted(found.items()))


def _scheme(environ: Mapping[str, str]) -> str:
    scheme = environ.get("wsgi.url_scheme", "http")
    proxy_header = snapshot().proxy_ssl_header
    if proxy_header is not None:
        # The header as sent: Django's reading of it is a function of it.
        scheme += "+" + environ.get(proxy_header[0], "")
    return scheme


def host(environ: Mapping[str, str], scheme: str) -> str:
    """The Host header, lower case, without a trailing dot or default port."""
    name = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    name = name.lower()
    default_port = DEFAULT_PORTS.get(scheme.partition("+")[0], "")
    if default_port and name.endswith(default_port):
        name = name.removesuffix(default_port)
    return name.rstrip(".")


def page_key(environ: Mapping[str, str]) -> str:
    """The key of the page ``environ`` asks for."""
    scheme = _scheme(environ)
    return "|".join(
        (
            scheme,
            host(environ, scheme),
            environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
            read_query(environ.get("QUERY_STRING", "")),
        )
    )
