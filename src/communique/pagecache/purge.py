"""Telling the HTTP caches in front which pages to drop.

Every cacheable page names its tags in ``Surrogate-Key`` (space-separated) and
``Cache-Tag`` (comma-separated). When ``tags.invalidate()`` retires tags here,
``purge()`` sends, to each address in ``COMMUNIQUE_PURGE_URLS``, one request::

    PURGE /path-of-the-address HTTP/1.1
    Host: host-of-the-address
    xkey-purge: statement:12 statement-list

which asks the cache to drop every object carrying any of those tags. A 2xx
answer means it did; anything else, or no answer, is logged as a warning
(logger ``communique.pagecache``) and otherwise ignored: the pages then stay
in that cache until their ``max-age`` runs out. Varnish with the xkey vmod
does this with ``docs/deploy/varnish.vcl``; a CDN needs a small adapter at
one of the addresses that takes the same request and calls the CDN's own
purge-by-tag, and answers 2xx once that has succeeded.

Synchronous, but bounded. The caller waits for the answers, at most
``TIMEOUT_SECONDS`` in all, however many caches there are: each request runs
in a thread of its own, so that three caches cost one timeout rather than
three, and a name lookup that hangs (which the socket timeout does not cover)
cannot hold the caller past it. Waiting rather than firing and forgetting
means that a moderator who approves a comment and is sent back to the
statement sees it there, and that a command such as ``communique import``
has sent its purges before it exits. What waits is always a write (posting,
moderating, publishing; a reader's GET never invalidates), for one round trip
to a cache on the local network, and for ``TIMEOUT_SECONDS`` at worst when a
cache is down. A thread still waiting then is left to finish on its own.
"""

from __future__ import annotations

import http.client
import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, wait
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger("communique.pagecache")

METHOD = "PURGE"
HEADER = "xkey-purge"
TIMEOUT_SECONDS = 2.0


def purge(tags: Iterable[str]) -> None:
    """Ask every cache in ``COMMUNIQUE_PURGE_URLS`` to drop the pages carrying
    any of ``tags``. Never raises; waits at most ``TIMEOUT_SECONDS``."""
    urls = settings.COMMUNIQUE_PURGE_URLS
    keys = " ".join(dict.fromkeys(tags))
    if not urls or not keys:
        return
    pool = ThreadPoolExecutor(max_workers=len(urls), thread_name_prefix="purge")
    sent = {pool.submit(send, url, keys): url for url in urls}
    pool.shutdown(wait=False)
    done, late = wait(sent, timeout=TIMEOUT_SECONDS)
    for future in done:
        problem = future.result()
        if problem is not None:
            logger.warning("Could not purge %r at %s: %s", keys, sent[future], problem)
    for future in late:
        logger.warning(
            "Could not purge %r at %s: no answer within %s s",
            keys,
            sent[future],
            TIMEOUT_SECONDS,
        )


def send(url: str, keys: str) -> str | None:
    """Send one purge request; what went wrong, or None when the cache said yes."""
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection
        if parts.scheme == "https"
        else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request(METHOD, parts.path or "/", headers={HEADER: keys})
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException, ValueError) as error:
        return f"{type(error).__name__}: {error}"
    finally:
        connection.close()
    if not 200 <= response.status < 300:
        return f"{response.status} {response.reason}"
    return None
