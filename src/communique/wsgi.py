"""The WSGI application, for `communique serve` or any other WSGI server.

Django's application, behind the layer that serves fresh cached pages from
the worker's memory (``communique.pagecache.wsgi``), behind the layer that
reads request bodies within a time limit and lets the site work on at most
``COMMUNIQUE_SITE_THREADS`` requests at once per process
(``communique.request_bodies``). ``communique serve`` sets that variable from
``--threads``; unset, the WSGI server's own threads decide.
"""

import os

from django.core.wsgi import get_wsgi_application

from communique import environment

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communique.settings")

django_application = get_wsgi_application()

from communique.pagecache.wsgi import CachedPagesApplication  # noqa: E402 - needs Django set up
from communique.request_bodies import ReadBodyFirst  # noqa: E402

application = ReadBodyFirst(
    CachedPagesApplication(django_application),
    site_threads=environment.read_int(os.environ, "SITE_THREADS", default=0, minimum=0),
)
