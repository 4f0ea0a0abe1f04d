"""Snippets: the words around where a result matched, the matching words
marked.

A snippet is a list of ``Part``\\s, plain text each, and the template writes
each through autoescaping, wrapping the marked ones in ``<mark>``. No HTML is
built here, so nothing a statement or a query says can become markup: the
only tags on the page are the template's own.

Words are compared folded, as the index compares them (``index.fold``), so
that "كتاب" in a query marks "کتاب" in the text and "میخواهم" marks
"می‌خواهم". A word matches a term when either begins with the other (the
index stems English words: "statements" finds, and marks, "statement").
"""

from __future__ import annotations

from typing import NamedTuple

import regex

from communique.search.index import fold

# Letters, digits and marks, with the half-space inside a word.
WORD = regex.compile(r"[\p{L}\p{N}\p{M}\u200c]+")
SNIPPET_WORDS = 40
BEFORE = 8
# How far into a long text a match is looked for.
SCANNED_WORDS = 3000
SHORTEST_STEM = 4
SPACE = regex.compile(r"\s+")


class Part(NamedTuple):
    text: str
    marked: bool


def _matcher(terms: list[str]):
    folded: dict[str, bool] = {}

    def matches(word: str) -> bool:
        if word not in folded:
            key = fold(word)
            folded[word] = bool(key) and any(
                key.startswith(term)
                or (len(key) >= SHORTEST_STEM and term.startswith(key))
                for term in terms
            )
        return folded[word]

    return matches


def marked(text: str, terms: list[str]) -> list[Part]:
    """All of ``text`` (a title), its matching words marked."""
    return _parts(text, list(WORD.finditer(text)), _matcher(terms), 0, None)


def snippet(text: str, terms: list[str], words: int = SNIPPET_WORDS) -> list[Part]:
    """About ``words`` words of ``text`` around its first match, matching
    words marked, "…" where text was left out. The start of the text when
    nothing in it matches (the title or signature did)."""
    found = []
    matches = _matcher(terms)
    first = None
    for number, word in enumerate(WORD.finditer(text)):
        found.append(word)
        if first is None and matches(word.group()):
            first = number
        if number >= SCANNED_WORDS or (first is not None and number > first + words):
            break
    start = max(0, (first or 0) - BEFORE)
    stop = start + words
    return _parts(text, found, matches, start, stop)


def _parts(text, found, matches, start: int, stop: int | None) -> list[Part]:
    """The text from word ``start`` to before word ``stop``, in parts, with
    each run of white space as one space."""
    shown = found[start:stop]
    if not shown:
        return []
    parts = [Part("… ", False)] if start > 0 else []
    position = shown[0].start() if start > 0 else 0
    for word in shown:
        parts.append(Part(_spaced(text[position : word.start()]), False))
        parts.append(Part(word.group(), matches(word.group())))
        position = word.end()
    cut = stop is not None and stop < len(found)
    end = found[stop].start() if cut else None
    if cut:
        parts.append(Part(_spaced(text[position:end]).rstrip() + " …", False))
    else:
        parts.append(Part(_spaced(text[position:]), False))
    return _joined([part for part in parts if part.text])


def _spaced(text: str) -> str:
    return SPACE.sub(" ", text)


def _joined(parts: list[Part]) -> list[Part]:
    """Neighbouring parts of the same kind as one."""
    joined: list[Part] = []
    for part in parts:
        if joined and joined[-1].marked == part.marked:
            joined[-1] = Part(joined[-1].text + part.text, part.marked)
        else:
            joined.append(part)
    return joined
