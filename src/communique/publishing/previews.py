"""What a statement page tells link previews and crawlers: its canonical
address, the image to show, and its description as schema.org data.

``head_html`` writes the tags for the page's ``<head>``. It is plain Python
rather than a template: the tags are a list of names and values, and the
template's variable lookups cost more than the rest of the page's head
(bench/render_cost.py --instructions).
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from communique.publishing.models import Statement, Topic
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
    statement: Statement, *, canonical: str, image: str, topics: list[str]
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
    data["image"] = [image]
    if topics:
        data["keywords"] = topics
    return data


def head_html(
    statement: Statement,
    *,
    translations: list[Statement],
    topics: list[Topic],
    comments_feed_url: str,
) -> SafeString:
    """The statement page's canonical link, OpenGraph and Twitter card tags,
    its comments' feed and its JSON-LD, every value escaped."""
    canonical = canonical_url(statement)
    image = share_image()
    properties = [
        ("og:type", "article"),
        ("og:title", statement.title),
        ("og:url", canonical),
        ("og:site_name", settings.COMMUNIQUE_SITE_NAME),
        ("og:locale", og_locale(statement.language)),
        *(("og:locale:alternate", og_locale(t.language)) for t in translations),
    ]
    if statement.excerpt:
        properties.append(("og:description", statement.excerpt))
    properties += [
        ("og:image", image),
        ("article:published_time", localtime(published_time(statement)).isoformat()),
        ("article:modified_time", localtime(modified_time(statement)).isoformat()),
        *(("article:tag", topic.name) for topic in topics),
    ]
    lines = [f'<link rel="canonical" href="{escape(canonical)}">']
    if statement.excerpt:
        lines.append(f'<meta name="description" content="{escape(statement.excerpt)}">')
    lines += [
        f'<meta property="{key}" content="{escape(value)}">'
        for key, value in properties
    ]
    # Twitter's cards read og:title, og:description and og:image.
    lines.append('<meta name="twitter:card" content="summary">')
    if statement.commenting != Statement.Commenting.HIDDEN:
        title = _("Comments on “%(title)s”") % {"title": statement.title}
        lines.append(
            '<link rel="alternate" type="application/atom+xml"'
            f' title="{escape(title)}" href="{escape(comments_feed_url)}">'
        )
    data = json_ld(
        statement, canonical=canonical, image=image, topics=[t.name for t in topics]
    )
    # json_script escapes <, > and & so that no text closes the element; it
    # names its own type, and the data is untouched.
    lines.append(
        json_script(data).replace("application/json", "application/ld+json", 1)
    )
    return SafeString("\n".join(lines))
