"""The page cache: whole anonymous pages kept in the shared cache, with what
differs per reader filled in per response. See README, "Page cache"."""

from communique.pagecache.tags import invalidate, invalidate_on_commit, tag_page

__all__ = ["invalidate", "invalidate_on_commit", "tag_page"]
