"""A page of the site turned into a page of the copy, markup kept as written.

Only three things change, each in the tags where it happens, so that the rest
of the page stays byte for byte what readers of the main site get:

- every address in ``href``, ``src``, ``action`` and ``poster`` is passed to
  the copy's ``link_for``, which points it at a file of the copy or at the
  main site (a resource it returns nothing for is left out of the page);
- the comment form, whose posting needs the server, becomes a link to the
  same statement on the main site ("Comment on the main site"), and the
  per-comment "Reply" and "Edit" links go;
- any other form (the search box) goes: nothing in the copy could answer it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape, unescape
from html.parser import HTMLParser

URL_ATTRIBUTES = frozenset({"href", "src", "action", "poster", "formaction"})
# Elements whose address the browser fetches by itself (not a link to click).
_RESOURCE_TAGS = frozenset({"img", "script", "audio", "video", "source", "iframe"})
_RESOURCE_RELS = frozenset({"stylesheet", "icon", "preload", "modulepreload"})
# What ``find_links`` sees: the site's templates quote attributes with ".
_LINK = re.compile(rb'\s(?:href|src)="([^"]*)"')

LinkFor = Callable[[str, bool], "str | None"]


def find_links(body: bytes) -> list[str]:
    """The addresses a page links to, quickly: for finding more pages to copy
    (``rewrite_page`` parses properly when the page is written)."""
    return [unescape(value.decode("utf-8", "replace")) for value in _LINK.findall(body)]


def rewrite_page(
    html: str, *, link_for: LinkFor, comment_elsewhere: Callable[[str], str]
) -> str:
    """``html`` for the copy. ``link_for(address, is_resource)`` gives each
    address's new value; ``comment_elsewhere(language)`` the markup that
    takes the comment form's place, in the page's language."""
    rewriter = _Rewriter(link_for, comment_elsewhere)
    rewriter.feed(html)
    rewriter.close()
    return "".join(rewriter.out)


def _classes(attrs: list[tuple[str, str | None]]) -> set[str]:
    return set((dict(attrs).get("class") or "").split())


class _Rewriter(HTMLParser):
    def __init__(self, link_for: LinkFor, comment_elsewhere: Callable[[str], str]):
        super().__init__(convert_charrefs=False)
        self.link_for = link_for
        self.comment_elsewhere = comment_elsewhere
        self.language = ""
        self.out: list[str] = []
        self.skipping: str | None = None  # the tag name of the element left out
        self.depth = 0

    # Leaving elements out ------------------------------------------------
    def _skip(self, tag: str) -> None:
        self.skipping, self.depth = tag, 1

    def _left_out(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        """Whether the element starting here stays out of the copy (and what
        takes its place)."""
        classes = _classes(attrs)
        if tag == "section" and "comment-form" in classes:
            self.out.append(self.comment_elsewhere(self.language))
            return True
        return tag == "form" or (tag == "p" and "comment-links" in classes)

    # Parser events --------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            self.depth += tag == self.skipping
            return
        if tag == "html":
            self.language = dict(attrs).get("lang") or ""
        if self._left_out(tag, attrs):
            self._skip(tag)
            return
        rewritten = self._rewrite(tag, attrs)
        if rewritten is None:  # a resource outside the copy
            if tag not in {"img", "link", "source"}:  # those have no end tag
                self._skip(tag)
            return
        self.out.append(rewritten)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]):
        if self.skipping:
            return
        rewritten = self._rewrite(tag, attrs)
        if rewritten is not None:
            self.out.append(rewritten)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping:
                self.depth -= 1
                if self.depth == 0:
                    self.skipping = None
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.handle_data(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.handle_data(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.handle_data(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.handle_data(f"<![{data}]>")

    # Addresses ------------------------------------------------------------
    def _rewrite(self, tag: str, attrs: list[tuple[str, str | None]]) -> str | None:
        """The start tag as written when no address in it changes; rebuilt
        with the new addresses when one does; ``None`` to leave it out."""
        raw = self.get_starttag_text() or ""
        rels = set((dict(attrs).get("rel") or "").lower().split())
        resource = tag in _RESOURCE_TAGS or bool(rels & _RESOURCE_RELS)
        changed = False
        new_attrs: list[tuple[str, str | None]] = []
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value is not None:
                new = self.link_for(value, resource and name != "action")
                if new is None:
                    return None
                changed = changed or new != value
                value = new
            new_attrs.append((name, value))
        if not changed:
            return raw
        parts = [f"<{tag}"]
        for name, value in new_attrs:
            parts.append(f" {name}" if value is None else f' {name}="{escape(value)}"')
        parts.append(" />" if raw.endswith("/>") else ">")
        return "".join(parts)
