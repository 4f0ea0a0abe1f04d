"""Text formats: the only way user-supplied text becomes HTML.

Each format is a pure function from source text to sanitized HTML, with the
tips shown beside the field where people type it. See ``registry``.
"""

from communique.textformats.diffs import word_diff
from communique.textformats.excerpts import plain_excerpt, plain_text_of
from communique.textformats.folding import (
    digest_for_matching,
    fold_for_matching,
    skeleton_for_matching,
)
from communique.textformats.from_html import text_from_html
from communique.textformats.plain_text import count_links
from communique.textformats.registry import (
    EDITOR_FORMATS,
    FORMATS,
    TextFormat,
    get_format,
    render,
)
from communique.textformats.safe import stored_html
from communique.textformats.slugs import slugify, validate_slug

__all__ = [
    "EDITOR_FORMATS",
    "FORMATS",
    "TextFormat",
    "count_links",
    "digest_for_matching",
    "fold_for_matching",
    "get_format",
    "plain_excerpt",
    "plain_text_of",
    "render",
    "skeleton_for_matching",
    "slugify",
    "stored_html",
    "text_from_html",
    "validate_slug",
    "word_diff",
]
