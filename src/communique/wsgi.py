"""The WSGI application, for `communique serve` or any other WSGI server.

Outermost, the layer that serves fresh cached pages from the worker's memory
(``communique.pagecache.wsgi``): a hit has no body to read and takes
microseconds, so it waits for nothing. Behind it, the layer that reads request
bodies within a time limit and lets the site work on at most
``COMMUNIQUE_SITE_THREADS`` requests at once per process
(``communique.request_bodies``; measured: a hit behind its semaphore lost a
fifth of its speed). ``communique serve`` sets that variable from
``--threads``; unset, the WSGI server's own threads decide. Then Django.
"""

import gc
import os
from importlib import import_module

from django.core.wsgi import get_wsgi_application

from communique import environment

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communique.settings")
# Under any WSGI server, files the site creates are its account's alone.
os.umask(environment.PRIVATE_UMASK)

django_application = get_wsgi_application()

from communique.pagecache.wsgi import CachedPagesApplication  # noqa: E402 - needs Django set up
from communique.request_bodies import ReadBodyFirst  # noqa: E402

application = CachedPagesApplication(
    ReadBodyFirst(
        django_application,
        site_threads=environment.read_int(
            os.environ, "SITE_THREADS", default=0, minimum=0
        ),
    )
)


def _settle() -> None:
    """Freeze what start-up built. Django, the apps, the URLs and the views live
    as long as the worker; Python's full garbage collections walked all of them
    every few hundred requests, some 40 ms each time: the slowest 1% of
    searches (docs/performance.md). Frozen, the collections skip them."""
    from django.conf import settings

    import_module(settings.ROOT_URLCONF)  # every view now, not on a first request
    gc.collect()
    gc.freeze()


_settle()
