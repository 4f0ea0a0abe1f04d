"""The sitemap: every published statement with its translations as
``hreflang`` alternates and its last edit, every topic in use, and each
language's front page and archive. Addresses are on the site's public
address (``COMMUNIQUE_SITE_URL``), whatever host the request named."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

from communique.publishing import previews
from communique.publishing.models import Statement, Topic


class OnSiteAddress(Sitemap):
    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.COMMUNIQUE_SITE_URL).scheme or "https"

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.COMMUNIQUE_SITE_URL).netloc


class StatementSitemap(OnSiteAddress):
    def items(self):
        return (
            Statement.objects.published()
            .only("slug", "language", "family", "updated", "published_at")
            .order_by("pk")
        )

    def lastmod(self, statement: Statement):
        return previews.modified_time(statement)

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict[str, Any]]:
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        families = _published_families({url["item"].family for url in urls})
        for url in urls:
            family = families.get(url["item"].family, [])
            if len(family) > 1:
                url["alternates"] = [
                    {
                        "lang_code": other.language,
                        "location": previews.canonical_url(other),
                    }
                    for other in family
                ]
        return urls


def _published_families(families: set[str]) -> dict[str, list[Statement]]:
    """The published statements of each family, one per language."""
    found: dict[str, dict[str, Statement]] = defaultdict(dict)
    statements = (
        Statement.objects.published()
        .filter(family__in=families)
        .only("slug", "language", "family")
        .order_by("language", "pk")
    )
    for statement in statements:
        found[statement.family].setdefault(statement.language, statement)
    return {family: list(by_language.values()) for family, by_language in found.items()}


class TopicSitemap(OnSiteAddress):
    def items(self):
        return Topic.objects.in_use().order_by("pk")


class ListSitemap(OnSiteAddress):
    """Each language's front page, archive and topics."""

    changefreq = "daily"

    def items(self) -> list[tuple[str, str]]:
        names = ("publishing:front_page", "publishing:archive", "publishing:topics")
        return [(code, name) for code, _name in settings.LANGUAGES for name in names]

    def location(self, item: tuple[str, str]) -> str:
        code, name = item
        with translation.override(code):
            return reverse(name)


SITEMAPS = {
    "statements": StatementSitemap,
    "topics": TopicSitemap,
    "lists": ListSitemap,
}
