"""Characters that break a one-line value out of its line.

A name or a subject is one line of text. Where it is shown as HTML the page
escapes it and ``<bdi>`` isolates its direction; in the plain-text mail to
moderators nothing does, so a line break in a name could forge lines of the
mail, and a bidi override could turn the rest of a line around. The forms
refuse these characters (``is_control_character``); the mail passes every
reader value through ``one_line``, for text stored before or by other means.
"""

from __future__ import annotations

import unicodedata

# Explicit embeddings, overrides and isolates: in plain text nothing closes
# them, and the rest of the line would read in their direction.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
REPLACEMENT = "\ufffd"


def is_control_character(char: str) -> bool:
    """A control character (NUL, tab, CR, LF, escape, DEL, NEL, …), a line or
    paragraph separator (U+2028, U+2029), or a bidi embedding, override or
    isolate. Not: the zero-width non-joiner and joiner (Persian's half-space)
    nor the left-to-right and right-to-left marks, which stay within their
    place."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in BIDI_CONTROLS


def one_line(value: object) -> str:
    """``value`` as one line of plain text: runs of whitespace, line breaks
    included, become one space; any other control character becomes U+FFFD,
    so that a reader of the mail sees something was there."""
    words = str(value).split()  # splits on every line break Python knows
    return " ".join(
        "".join(REPLACEMENT if is_control_character(char) else char for char in word)
        for word in words
    )
