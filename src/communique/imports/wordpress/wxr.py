"""Reading a WordPress export file (WXR: RSS 2.0 with the ``wp:``,
``content:``, ``excerpt:`` and ``dc:`` namespaces) into plain records.

The file comes from another site and is untrusted XML, so it is read with
``defusedxml``: a file that declares entities (the "billion laughs" bomb) or
refers to external ones (which could read local files or reach the network)
is refused before anything expands. It is read with ``iterparse`` and each
``<item>`` is cleared once its fields are copied, so memory follows what is
imported rather than the size of the XML tree.

Nothing here knows about statements or comments: ``mapping`` turns these
records into what ``imports.writes`` stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

from communique.imports.writes import SourceError

NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
WP_NAMESPACE_START = "http://wordpress.org/export/"


@dataclass(frozen=True)
class Category:
    domain: str  # "category", "post_tag", "language", "post_translations" ...
    nicename: str
    name: str


@dataclass(frozen=True)
class Term:
    """A ``<wp:term>`` of the channel: Polylang keeps its languages and its
    groups of translations in these."""

    taxonomy: str
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class WxrComment:
    fields: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.fields.get(name, "")


@dataclass(frozen=True)
class WxrPost:
    fields: dict[str, str]  # "title", "wp:post_id", "content:encoded" ...
    categories: tuple[Category, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)
    comments: tuple[WxrComment, ...] = ()

    def __getitem__(self, name: str) -> str:
        return self.fields.get(name, "")

    @property
    def id(self) -> str:
        return self["wp:post_id"].strip()

    @property
    def post_type(self) -> str:
        return self["wp:post_type"].strip() or "post"


@dataclass
class Export:
    """Everything read from one export file."""

    site_urls: list[str] = field(default_factory=list)
    exported: str = ""  # the channel's pubDate
    authors: dict[str, str] = field(default_factory=dict)  # login -> display name
    terms: list[Term] = field(default_factory=list)
    posts: list[WxrPost] = field(default_factory=list)
    wxr_version: str = ""


def _name(tag: str) -> str:
    """``{http://wordpress.org/export/1.2/}post_id`` as ``wp:post_id``."""
    if not tag.startswith("{"):
        return tag
    namespace, _brace, local = tag[1:].partition("}")
    if namespace.startswith(WP_NAMESPACE_START):
        prefix = "excerpt" if namespace.endswith("/excerpt/") else "wp"
    else:
        prefix = NAMESPACES.get(namespace, namespace)
    return f"{prefix}:{local}"


def _fields(element: Element) -> dict[str, str]:
    """The text of each child without children of its own."""
    return {
        _name(child.tag): (child.text or "") for child in element if len(child) == 0
    }


def _comment(element: Element) -> WxrComment:
    fields = _fields(element)
    fields.pop("wp:commentmeta", None)
    return WxrComment(fields)


def _post(element: Element) -> WxrPost:
    categories = []
    meta: dict[str, str] = {}
    comments = []
    for child in element:
        name = _name(child.tag)
        if name == "category":
            categories.append(
                Category(
                    domain=child.get("domain", ""),
                    nicename=child.get("nicename", ""),
                    name=(child.text or "").strip(),
                )
            )
        elif name == "wp:postmeta":
            pair = _fields(child)
            meta[pair.get("wp:meta_key", "")] = pair.get("wp:meta_value", "")
        elif name == "wp:comment":
            comments.append(_comment(child))
    return WxrPost(
        fields=_fields(element),
        categories=tuple(categories),
        meta=meta,
        comments=tuple(comments),
    )


def _channel_child(export: Export, name: str, element: Element) -> None:
    if name == "wp:author":
        fields = _fields(element)
        login = fields.get("wp:author_login", "").strip()
        if login:
            shown = fields.get("wp:author_display_name", "").strip()
            export.authors[login] = shown or login
    elif name in ("wp:term", "wp:category", "wp:tag"):
        fields = _fields(element)
        export.terms.append(
            Term(
                taxonomy=fields.get("wp:term_taxonomy", name[3:]).strip(),
                slug=(
                    fields.get("wp:term_slug")
                    or fields.get("wp:category_nicename")
                    or fields.get("wp:tag_slug", "")
                ).strip(),
                name=(
                    fields.get("wp:term_name")
                    or fields.get("wp:cat_name")
                    or fields.get("wp:tag_name", "")
                ).strip(),
                description=(
                    fields.get("wp:term_description")
                    or fields.get("wp:category_description")
                    or fields.get("wp:tag_description", "")
                ).strip(),
            )
        )
    elif name in ("link", "wp:base_site_url", "wp:base_blog_url"):
        if element.text and element.text.strip():
            export.site_urls.append(element.text.strip())
    elif name == "pubDate":
        export.exported = (element.text or "").strip()
    elif name == "wp:wxr_version":
        export.wxr_version = (element.text or "").strip()


def read_export(path: Path) -> Export:
    """The records of the export file at ``path``; ``SourceError`` when it
    is not well-formed XML, is unsafe to read, or is not a WordPress export."""
    export = Export()
    stack: list[str] = []
    try:
        with path.open("rb") as source:
            for event, element in SafeET.iterparse(source, events=("start", "end")):
                if event == "start":
                    stack.append(_name(element.tag))
                    continue
                name = stack.pop()
                if stack == ["rss", "channel"]:
                    if name == "item":
                        export.posts.append(_post(element))
                    else:
                        _channel_child(export, name, element)
                    element.clear()
    except DefusedXmlException as error:
        raise SourceError(
            _(
                "the file declares XML entities or refers to external ones "
                "(%(what)s); WordPress exports never do, so it was not read"
            )
            % {"what": type(error).__name__}
        ) from None
    except ParseError as error:
        message = _("not well-formed XML: %(error)s") % {"error": error}
        raise SourceError(message) from None
    except UnicodeDecodeError as error:
        raise SourceError(_("not UTF-8 text: %(error)s") % {"error": error}) from None
    if not export.wxr_version:
        raise SourceError(
            _(
                "no wp:wxr_version: this is not a WordPress export file (in "
                "WordPress: Tools → Export → All content)"
            )
        )
    return export
