"""What the site's feeds share: absolute addresses from the site's public
address, Atom entries that carry the full text with its language and
direction, and the twenty newest entries.

The feeds themselves are ``django.contrib.syndication`` feeds in the apps
whose things they list (``publishing.feeds``, ``comments.feeds``). Every feed
is offered as Atom and as RSS 2.0; Atom is the one pages announce first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import feedgenerator
from django.utils.html import format_html
from django.utils.safestring import SafeString

from communique.publishing.languages import language_is_bidi

ENTRIES = 20


def absolute_url(path: str) -> str:
    """``path`` on the site's public address (``COMMUNIQUE_SITE_URL``), as
    feeds, sitemaps and link previews must give it."""
    return settings.COMMUNIQUE_SITE_URL.rstrip("/") + path


def _in_its_direction(html: SafeString, language: str) -> str:
    """Right-to-left text wrapped so that readers show it that way: Atom and
    RSS have no attribute for direction, the HTML they carry does. ``html``
    is stored HTML (``textformats.stored_html``), put in as it is."""
    if not language_is_bidi(language):
        return html
    return str(format_html('<div dir="rtl" lang="{}">{}</div>', language, html))


class _SteadyWhenEmpty(feedgenerator.SyndicationFeed):
    """A feed with no entries dated by what it is about (``quiet_since``),
    not by the time of the request as Django dates it: its bytes then stay
    the same until an entry comes, for caches, conditional requests and the
    static copy (``communique export_static``)."""

    def latest_post_date(self):
        quiet_since = self.feed.get("quiet_since")
        if quiet_since is not None and not self.items:
            return quiet_since
        return super().latest_post_date()


class AtomFeed(_SteadyWhenEmpty, feedgenerator.Atom1Feed):
    """Atom with each entry's language (``xml:lang``) and its full text as
    ``<content type="html">`` beside the summary."""

    def item_attributes(self, item: dict[str, Any]) -> dict[str, str]:
        language = item.get("language")
        return {"xml:lang": language} if language else {}

    def add_item_elements(self, handler, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        content = item.get("content")
        if content:
            html = _in_its_direction(content, item.get("language") or "")
            handler.addQuickElement("content", html, {"type": "html"})


class RssFeed(_SteadyWhenEmpty, feedgenerator.Rss201rev2Feed):
    """RSS 2.0, whose ``description`` carries the full text (RSS has no
    separate summary), in its direction."""

    def add_item_elements(self, handler, item: dict[str, Any]) -> None:
        if item.get("content"):
            item = {
                **item,
                "description": _in_its_direction(
                    item["content"], item.get("language") or ""
                ),
            }
        super().add_item_elements(handler, item)


@dataclass(frozen=True)
class Listing:
    """What one request for a feed is about: the feed's own path, and the
    thing it lists the entries of (a topic, a statement), if any."""

    path: str
    subject: Any = None


class SiteFeed(Feed):
    """A feed of this site: absolute links, the page language's ``xml:lang``,
    the site as the feed's author. Subclasses give ``subject`` (the thing a
    feed's address names, if any), ``items``, ``title`` and ``link``, each
    given the ``Listing``; ``rss=True`` makes the RSS one."""

    def __init__(self, *, rss: bool = False) -> None:
        super().__init__()
        self.rss = rss
        self.feed_type = RssFeed if rss else AtomFeed

    def get_object(self, request: HttpRequest, *args, **kwargs) -> Listing:
        return Listing(request.path, self.subject(request, *args, **kwargs))

    def subject(self, request: HttpRequest, *args, **kwargs) -> Any:
        return None

    def feed_url(self, listing: Listing) -> str:
        return absolute_url(listing.path)

    def feed_guid(self, listing: Listing) -> str:
        """The Atom address, for the feed in either format: one feed, one id."""
        path = listing.path.removesuffix("rss/") if self.rss else listing.path
        return absolute_url(path)

    def site_name(self) -> str:
        return settings.COMMUNIQUE_SITE_NAME

    def author_name(self) -> str:
        return self.site_name()

    def feed_extra_kwargs(self, listing: Listing) -> dict[str, Any]:
        return {"quiet_since": self.quiet_since(listing)}

    def quiet_since(self, listing: Listing) -> Any:
        """The date of the feed while it has no entries (``None``: now)."""
        return None

    def item_link(self, item: Any) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: Any) -> str:
        return self.item_link(item)
