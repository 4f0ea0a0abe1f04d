"""The WSGI application, for `communique serve` or any other WSGI server.

Django's application, behind the layer that serves fresh cached pages from
the worker's memory (``communique.pagecache.wsgi``).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communique.settings")

django_application = get_wsgi_application()

from communique.pagecache.wsgi import CachedPagesApplication  # noqa: E402 - needs Django set up

application = CachedPagesApplication(django_application)
