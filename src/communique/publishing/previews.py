"""What a statement page tells link previews and crawlers: its canonical
address, the image to show, and its description as schema.org data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.templatetags.static import static

from communique.publishing.models import Statement
from communique.syndication import absolute_url

# og:locale wants a language and a territory.
LOCALES = {"en": "en_US", "fa": "fa_IR"}  # others give their language code alone


def canonical_url(statement: Statement) -> str:
    return absolute_url(statement.get_absolute_url())


def published_time(statement: Statement) -> dt.datetime:
    return statement.published_at or statement.updated


def modified_time(statement: Statement) -> dt.datetime:
    """The last edit, never before publication (a statement scheduled ahead
    was last saved before its time came)."""
    return max(statement.updated, published_time(statement))


def share_image() -> str:
    """The image link previews show: the site's own picture. Statements have
    none of their own: the text formats keep no images, so that pages load
    nothing from other hosts."""
    return absolute_url(static("communique/share.png"))


def og_locale(language: str) -> str:
    return LOCALES.get(language, language)


def json_ld(
    statement: Statement, *, canonical: str, topics: list[str]
) -> dict[str, Any]:
    """A schema.org ``NewsArticle`` describing the statement; the signing body
    is its author."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": statement.title[:110],
        "url": canonical,
        "inLanguage": statement.language,
        "datePublished": published_time(statement).isoformat(),
        "dateModified": modified_time(statement).isoformat(),
        "publisher": {
            "@type": "Organization",
            "name": settings.COMMUNIQUE_SITE_NAME,
            "url": absolute_url("/"),
        },
    }
    if statement.signature:
        data["author"] = {"@type": "Organization", "name": statement.signature}
    else:
        data["author"] = data["publisher"]
    data["image"] = [share_image()]
    if topics:
        data["keywords"] = topics
    return data
