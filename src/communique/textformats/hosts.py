"""Host names in text as a browser reads them: Unicode's IDNA mapping (UTS #46).

A browser takes "evil.com" written in full-width letters, "evil。com" (an
ideographic full stop) and "evil.com" to one host, and "xn--" labels to the
letters they encode. Matching does the same with the maintained ``idna``
package, so that a block-listed domain cannot be written past.

Two steps, on text already folded (``folding``):

1. A punctuation mark between two letters or digits that UTS #46 maps to a
   full stop becomes one. Which marks those are is asked of ``idna`` for each
   mark met (and remembered), never listed here: today the ideographic full
   stop U+3002 and its half-width form U+FF61 (the full-width full stop U+FF0E
   is already a full stop after NFKC).
2. Each run of labels joined by full stops is mapped by ``idna`` (UTS #46
   mapping, the IDNA 2008 checks, then back from A-labels to Unicode). A run
   ``idna`` refuses (a label too long, a hyphen where none may be, scripts
   that break the bidi rule) stays as it is: it is no host a browser would
   visit, and remains text to be matched as text.
"""

from functools import cache

import idna
import regex

FULL_STOP = "."
LABEL = r"[\p{L}\p{M}\p{N}\-]+"
# A mark of punctuation between two label characters, and a run of labels.
SEPARATOR = regex.compile(r"(?<=[\p{L}\p{M}\p{N}])\p{Po}(?=[\p{L}\p{M}\p{N}])")
HOST = regex.compile(rf"{LABEL}(?:\.{LABEL})+")


@cache
def _is_full_stop(mark: str) -> bool:
    """UTS #46 maps ``mark`` to a full stop (a label separator)."""
    try:
        return idna.uts46_remap(mark, std3_rules=False) == FULL_STOP
    except idna.IDNAError:
        return False


def _separator(match: regex.Match) -> str:
    mark = match[0]
    return FULL_STOP if _is_full_stop(mark) else mark


def map_host(candidate: str) -> str | None:
    """``candidate`` as the host a browser would visit, in Unicode, or None
    when it is none."""
    try:
        return idna.decode(idna.encode(candidate, uts46=True, std3_rules=True))
    except (idna.IDNAError, UnicodeError):
        return None


def _host(match: regex.Match) -> str:
    candidate = match[0]
    if candidate.isascii() and "xn--" not in candidate:
        return candidate  # folded ASCII is what UTS 46 would make of it
    return map_host(candidate) or candidate


def map_hosts(text: str) -> str:
    """``text`` with every host in it written as UTS #46 maps it."""
    text = SEPARATOR.sub(_separator, text)
    return HOST.sub(_host, text)
