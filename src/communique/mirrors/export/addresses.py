"""Which addresses of the site belong in a static copy, and the file each
one becomes.

The copy starts from what the database says exists (``starting_addresses``:
each language's lists, every published statement, topic, year and month, the
feeds, the crawler files) and then follows the links the rendered pages carry
to further pages of the same views (``is_copied``): the later pages of a list
(``?page=2``), of a statement's comments and their other order
(``?order=newest``), earlier versions, a statement's comment feed. The views
decide those addresses, so the copy cannot drift from them.

Everything else (search, comment forms, sign-in, moderation, the CAPTCHA) is
per reader or cannot work without the server, and stays on the main site.

A file per address, so that any web server, bucket or ``file://`` serves it:

======================================  ======================================
``/``                                   ``index.html``
``/fa/archive/2024/``                   ``fa/archive/2024/index.html``
``/statements/s/?order=newest&page=2``  ``statements/s/order/newest/page/2/index.html``
``/feed/`` (Atom), ``/feed/rss/``       ``feed/index.xml``, ``feed/rss/index.xml``
``/sitemap.xml``, ``/robots.txt``       the same names
======================================  ======================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlencode

from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from communique.publishing.models import Statement, Topic

# The views whose pages are the same for every reader and need no server.
COPIED_VIEWS = frozenset(
    {
        "publishing:front_page",
        "publishing:statement",
        "publishing:versions",
        "publishing:version",
        "publishing:topics",
        "publishing:topic",
        "publishing:archive",
        "publishing:archive_year",
        "publishing:archive_month",
        "publishing:feed",
        "publishing:feed_rss",
        "publishing:feed_all",
        "publishing:feed_all_rss",
        "publishing:topic_feed",
        "publishing:topic_feed_rss",
        "comments:feed",
        "comments:feed_rss",
        "comments:statement_feed",
        "comments:statement_feed_rss",
        "mirrors:page",
        "robots_txt",
        "sitemap",
        "favicon",
        "mirrors_json",
    }
)
# The query parameters that choose a page of a view, in the order they become
# folders, with what their values may be (anything else is not copied).
QUERY_PARAMETERS = {"order": re.compile(r"[a-z]{1,20}"), "page": re.compile(r"\d{1,6}")}
_LANGUAGE_LISTS = (
    "publishing:front_page",
    "publishing:archive",
    "publishing:topics",
    "publishing:feed",
    "publishing:feed_rss",
    "publishing:feed_all",
    "publishing:feed_all_rss",
    "comments:feed",
    "comments:feed_rss",
)
_FEED_TYPES = ("application/atom+xml", "application/rss+xml", "application/xml")


@dataclass(frozen=True, order=True)
class Address:
    """A page of the site: its path (as in links, percent-encoded) and the
    query parameters that choose a page of it, normalised."""

    path: str
    query: str = ""

    def __str__(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


def address_of(path: str, query: str = "") -> Address | None:
    """The copied page at ``path?query``, or ``None`` when that address is
    not part of the copy (another view, another parameter, a hostile path)."""
    if not path.startswith("/") or not _safe_path(unquote(path)):
        return None
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):  # prefixes match their language only
            match = resolve(unquote(path))
    except Resolver404:
        return None
    if match.view_name not in COPIED_VIEWS:
        return None
    parameters = dict(parse_qsl(query, keep_blank_values=True))
    if any(name not in QUERY_PARAMETERS for name in parameters):
        return None
    kept = []
    for name, pattern in QUERY_PARAMETERS.items():
        value = parameters.get(name)
        if value is None:
            continue
        if not pattern.fullmatch(value):
            return None
        if not (name == "page" and value == "1"):  # page 1 is the page itself
            kept.append((name, value))
    return Address(path, urlencode(kept))


def _safe_path(path: str) -> bool:
    parts = path.split("/")
    return not any(
        part in {".", ".."} or "\\" in part or "\0" in part for part in parts
    )


def file_name(address: Address, content_type: str) -> str:
    """The file, relative to the copy's folder, that holds ``address``."""
    path = unquote(address.path).lstrip("/")
    if address.query:
        folders = "".join(
            f"{name}/{value}/" for name, value in parse_qsl(address.query)
        )
        path = (path if path.endswith("/") or not path else path + "/") + folders
    if path == "" or path.endswith("/"):
        kind = content_type.split(";")[0].strip()
        path += "index.xml" if kind in _FEED_TYPES else "index.html"
    return path


def starting_addresses() -> list[Address]:
    """The pages the database says exist, in every language of the site; the
    rest are found by following their links."""
    found = [
        Address(reverse(name))
        for name in ("robots_txt", "sitemap", "favicon", "mirrors_json")
        if name != "mirrors_json" or settings.COMMUNIQUE_MIRRORS
    ]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found += _lists_in_language(code)
    statements = Statement.objects.published().only("slug", "language")
    found += [Address(statement.get_absolute_url()) for statement in statements]
    return found


def _lists_in_language(code: str) -> list[Address]:
    names = list(_LANGUAGE_LISTS)
    if settings.COMMUNIQUE_MIRRORS:
        names.append("mirrors:page")
    found = [Address(reverse(name)) for name in names]
    listed = Statement.objects.published().listed_in(code)
    for year, _count in listed.years(code):
        found.append(Address(reverse("publishing:archive_year", args=[year])))
        for month, _count in listed.months(year, code):
            args = [year, month]
            found.append(Address(reverse("publishing:archive_month", args=args)))
    for topic in Topic.objects.in_language(code).in_use():
        found.append(Address(topic.get_absolute_url()))
    return found
