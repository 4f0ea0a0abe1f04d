"""Plain-text excerpts of rendered HTML, made when the text is saved."""

import html as html_entities

from django.utils.html import strip_tags
from django.utils.text import Truncator


def plain_text_of(html: str) -> str:
    """The whole of ``html`` as plain text: tags gone, character references
    (``&amp;``, ``&zwnj;``) the characters they stand for. Text, to be
    escaped wherever it is shown (search indexes and snippets read it)."""
    return html_entities.unescape(strip_tags(html))


def plain_excerpt(html: str, words: int) -> str:
    """The first ``words`` words of ``html`` as plain text, "…" when cut.

    Tags go and character references become the characters they stand for
    (``&amp;`` an ampersand, ``&zwnj;`` the half-space U+200C), since the
    excerpt is text, escaped wherever it is shown. A half-space joins the
    parts of one word, so it never splits a word in the count.
    """
    return Truncator(plain_text_of(html)).words(words)
