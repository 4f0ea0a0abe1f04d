"""Plain text for readers' comments: escaped, with links and line breaks.

Links are found on the raw text by linkify-it, then every piece (text, address
and link text) is escaped, so nothing the author typed is ever read as markup.
The spam rules count links the same way, on the text as a browser reads it
(``count_links``).
"""

import re
from collections.abc import Iterator
from functools import cache

from django.utils.html import escape
from linkify_it import LinkifyIt
from linkify_it.main import Match

from communique.textformats.folding import fold_for_matching

# Schemas as linkify-it reports them; fuzzy links ("") are handled apart.
LINK_SCHEMAS = frozenset({"http:", "https:", "ftp:", "mailto:"})
HREF_PREFIXES = ("http://", "https://", "ftp://", "mailto:")
LINK_REL = "nofollow ugc noopener"
LINK_TEXT_MAX_LENGTH = 72
ELLIPSIS = "…"

# What may end a sentence after an address without being part of it: Latin
# punctuation, and the Arabic script's comma, semicolon, question mark and
# full stop, which Persian and Urdu text puts straight after an address.
TRAILING_PUNCTUATION = frozenset(".,;:!?\u060c\u061b\u061f\u06d4")
# A closing bracket or quote stays in the link only if its opener is there too.
OPENERS = {
    ")": "(",
    "]": "[",
    "}": "{",
    "\u201d": "\u201c",  # double quotation marks
    "\u2019": "\u2018",  # single quotation marks
    "\u00bb": "\u00ab",  # guillemets
    "\u203a": "\u2039",  # single guillemets
}
STRAIGHT_QUOTES = frozenset("\"'")

LINE_BREAK = re.compile(r"\r\n|\r|\n")


@cache
def _linkify() -> LinkifyIt:
    # "//": None turns off protocol-relative links ("//host/path").
    return LinkifyIt({"//": None})


def _trim(raw: str) -> str:
    """``raw`` without trailing punctuation and unmatched closing brackets."""
    while raw:
        last = raw[-1]
        if last in TRAILING_PUNCTUATION:
            pass
        elif last in OPENERS:
            if raw.count(OPENERS[last]) >= raw.count(last):
                break
        elif last in STRAIGHT_QUOTES:
            if raw.count(last) % 2 == 0:
                break
        else:
            break
        raw = raw[:-1]
    return raw


def _is_wanted(match: Match) -> bool:
    if match.schema == "":
        # Bare domains such as "example.com" stay text; "www." hosts link.
        return match.raw[:4].lower() == "www."
    return match.schema in LINK_SCHEMAS


def _link(href: str, text: str) -> str:
    if len(text) > LINK_TEXT_MAX_LENGTH:
        text = text[: LINK_TEXT_MAX_LENGTH - len(ELLIPSIS)] + ELLIPSIS
    return f'<a href="{escape(href)}" rel="{LINK_REL}">{escape(text)}</a>'


def find_links(line: str) -> Iterator[tuple[int, str, str]]:
    """The links of one line: where each starts, its address and its text.

    The rules every format that links bare addresses follows: web addresses
    with a scheme or "www.", and e-mail addresses; trailing punctuation and
    unmatched closing brackets or quotes stay outside the link.
    """
    for match in _linkify().match(line) or ():
        if not _is_wanted(match) or not match.url.endswith(match.raw):
            continue
        # linkify-it only prepends to the address ("http://", "mailto:").
        prefix = match.url[: len(match.url) - len(match.raw)]
        text = _trim(match.raw)
        href = prefix + text
        if not text or not href.lower().startswith(HREF_PREFIXES):
            continue
        yield match.index, href, text


def _render_line(line: str) -> str:
    """One line of text, escaped, with its addresses turned into links."""
    pieces = []
    position = 0
    for index, href, text in find_links(line):
        pieces.append(escape(line[position:index]))
        pieces.append(_link(href, text))
        position = index + len(text)
    pieces.append(escape(line[position:]))
    return "".join(pieces)


def count_links(source: str) -> int:
    """How many links ``source`` holds, as a browser would follow them.

    The links ``render_plain_text`` makes, found in the text folded for
    matching (``fold_for_matching``): an address disguised with full-width
    letters, an ideographic full stop or invisible characters counts as the
    address it stands for, even where the page shows it as text. Bare domains
    ("example.com", no scheme and no "www.") are not links, disguised or not.
    """
    return sum(1 for _ in find_links(fold_for_matching(source)))


def _paragraphs(source: str) -> list[list[str]]:
    """The source's non-blank lines, grouped by the blank lines between them."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in LINE_BREAK.split(source):
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def render_plain_text(source: str) -> str:
    """Plain text to HTML made only of ``<p>``, ``<br>`` and ``<a>``.

    Every character the author typed is escaped. Web and e-mail addresses
    become links with ``rel="nofollow ugc noopener"``; a blank line starts a
    new paragraph and a single line break becomes ``<br>``.
    """
    return "\n".join(
        "<p>" + "<br>".join(_render_line(line) for line in lines) + "</p>"
        for lines in _paragraphs(source)
    )
