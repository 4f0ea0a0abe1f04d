"""The page cache: whole anonymous pages, the same bytes for every reader,
kept in the shared cache and each worker's memory, and announced to HTTP
caches in front. See README, "Page cache".

It is a leaf: other apps plug into it (``@cached_page``, ``tag_page``,
``invalidate``); it imports none of them.
"""

from communique.pagecache.decorators import cached_page
from communique.pagecache.tags import invalidate, invalidate_on_commit, tag_page

__all__ = ["cached_page", "invalidate", "invalidate_on_commit", "tag_page"]
