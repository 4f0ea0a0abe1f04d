"""What changed between two texts, word by word, as HTML.

The texts are cut into words and the spaces between them (a word is whatever
lies between spaces, so a half-space U+200C inside a Persian word, or the
punctuation at its end, stays part of it). Words only in the older text are
wrapped in ``<del>``, words only in the newer one in ``<ins>``, a space
between the two where words were replaced; everything is escaped. The markup
carries no direction of its own: it reads right to left inside a right-to-left
element as well as left to right elsewhere.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

WORDS_AND_SPACES = re.compile(r"\s+|\S+")


def words_of(text: str) -> list[str]:
    """``text`` cut into words and runs of white space, which join back to it."""
    return WORDS_AND_SPACES.findall(text)


def word_diff(old: str, new: str) -> SafeString:
    """``new`` as HTML, with the words ``old`` had instead in ``<del>`` and the
    words it adds in ``<ins>``; identical texts give ``new`` escaped."""
    before, after = words_of(old), words_of(new)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    pieces: list[SafeString] = []
    for operation, start, end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            pieces.append(escape("".join(after[new_start:new_end])))
            continue
        if end > start:
            deleted = "".join(before[start:end])
            if new_end > new_start and not (
                deleted[-1].isspace() or after[new_start][0].isspace()
            ):
                # Words side by side would run together (and Persian letters
                # join across the two elements): a space, deleted with them.
                deleted += " "
            pieces.append(format_html("<del>{}</del>", deleted))
        if new_end > new_start:
            pieces.append(
                format_html("<ins>{}</ins>", "".join(after[new_start:new_end]))
            )
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def has_changes(old: str, new: str) -> bool:
    """Whether ``old`` and ``new`` differ in more than white space."""
    return old.split() != new.split()
