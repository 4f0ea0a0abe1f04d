"""HTML from another system, turned into the plain text comments are kept in.

Comments are plain text here (``plain_text``), while WordPress, Disqus and
Drupal keep theirs as HTML with a few tags. Importing keeps what the reader
wrote and its shape, not its markup: paragraphs and line breaks become blank
lines and new lines, a link keeps its address (written after the text when the
two differ, so that the plain text format makes it a link again), character
references become characters, and every other tag goes, with its text kept
(but for scripts and styles, which are not text).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BREAKS = frozenset({"br"})
BLOCKS = frozenset(
    {"p", "div", "blockquote", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5"}
)
DROPPED = frozenset({"script", "style", "template"})
LINK_SCHEMES = ("http://", "https://", "mailto:")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropping = 0
        self._links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED:
            self._dropping += 1
        elif tag in BREAKS:
            self.parts.append("\n")
        elif tag in BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            self._links.append((href, len(self.parts)))

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED:
            self._dropping = max(0, self._dropping - 1)
        elif tag in BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            text = "".join(self.parts[start:]).strip()
            address = href.removeprefix("mailto:")
            if href.startswith(LINK_SCHEMES) and address not in text:
                self.parts.append(f" ({address})" if text else address)

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.parts.append(data)


def text_from_html(html: str) -> str:
    """``html`` as plain text, paragraphs kept (see the module's docstring)."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts).replace("\r\n", "\n").replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
