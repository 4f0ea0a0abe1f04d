"""Plain-text excerpts of rendered HTML, made when the text is saved."""

from django.utils.html import strip_tags
from django.utils.text import Truncator


def plain_excerpt(html: str, words: int) -> str:
    """The first ``words`` words of ``html`` as plain text, "…" when cut."""
    return Truncator(strip_tags(html)).words(words)
