"""A WordPress post's ``content:encoded`` as the HTML a statement keeps.

Three things WordPress does at display time, not in what it stores, are done
here before the base sanitises the body (``basic_html``):

- Paragraphs. The classic editor stores paragraphs as blank lines and line
  breaks as newlines, and adds ``<p>`` and ``<br>`` only when showing a post;
  without them a statement would read as one block. A piece between blank
  lines that does not already begin with a block tag becomes a paragraph.
  Block-editor posts (``<!-- wp:paragraph --><p>…``) already have their tags.
- Images. Statements show no images (pages load nothing from other hosts),
  and the sanitiser drops ``<img>``; rather than lose them silently, each
  becomes a link to its file, named by its ``alt`` text.
- Shortcodes. ``[caption]`` wrappers are removed, keeping what they wrap, and
  ``[embed]URL[/embed]`` becomes a link. Other shortcodes stay as text for
  an editor to see.
"""

from __future__ import annotations

import html
import re

from django.utils.translation import gettext as _

BLOCK_START = re.compile(
    r"\s*<(?:!--|(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tr"
    r"|figure|hr|section|article|aside|dl|address)\b)",
    re.IGNORECASE,
)
BLANK_LINE = re.compile(r"\n[ \t]*\n")
IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
CAPTION = re.compile(r"\[/?caption\b[^\]]*\]", re.IGNORECASE)
EMBED = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.IGNORECASE | re.DOTALL)


def _attributes(tag: str) -> dict[str, str]:
    return {
        match[1].lower(): html.unescape(match[2] or match[3] or "")
        for match in ATTRIBUTE.finditer(tag)
    }


def _image_as_link(match: re.Match[str]) -> str:
    attributes = _attributes(match[0])
    source = attributes.get("src", "").strip()
    if not source:
        return ""
    name = attributes.get("alt", "").strip() or _("image")
    return f'<a href="{html.escape(source)}">[{html.escape(name)}]</a>'


def _embed_as_link(match: re.Match[str]) -> str:
    address = html.escape(html.unescape(match[1].strip()))
    return f'<a href="{address}">{address}</a>'


def _paragraphs(text: str) -> str:
    pieces = BLANK_LINE.split(text.replace("\r\n", "\n").strip())
    kept = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if BLOCK_START.match(piece):
            kept.append(piece)
        else:
            kept.append("<p>" + piece.replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(kept)


def statement_html(content: str) -> str:
    """``content`` with paragraphs, images and shortcodes as described above."""
    content = EMBED.sub(_embed_as_link, content)
    content = CAPTION.sub("", content)
    content = IMAGE.sub(_image_as_link, content)
    return _paragraphs(content)


def image_count(content: str) -> int:
    return len(IMAGE.findall(content))
