"""Views say that their pages may be cached, and under which tags."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.http import HttpRequest, HttpResponseBase

from communique.pagecache.tags import SITE

View = Callable[..., HttpResponseBase]


def cached_page(
    view: View | None = None, *, tags: Iterable[str] = (), keep: bool = True
) -> View | Callable[[View], View]:
    """Mark a view's pages as the same for every reader who is not signed in.

    Such pages are stored whole by ``PageCacheMiddleware``, served to every
    anonymous reader, and sent as ``Cache-Control: public`` for HTTP caches in
    front. ``tags`` name what every page of the view shows; a view adds the
    tags of what it found with ``tag_page(request, ...)``. Use it bare
    (``@cached_page``) or with tags (``@cached_page(tags=[...])``).

    ``keep=False`` is for views with unbounded addresses (every search query
    is one): their pages are sent public all the same, for HTTP caches and
    conditional requests, but the page cache does not keep them, so that a
    flood of new addresses cannot push the pages readers share out of it.
    """
    fixed = (SITE, *tags)

    def decorate(view: View) -> View:
        @wraps(view)
        def cacheable(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
            request.page_cache_tags = fixed
            request.page_cache_keep = keep
            return view(request, *args, **kwargs)

        return cacheable

    return decorate if view is None else decorate(view)
