"""Look-alike characters mapped to one prototype: the skeleton of Unicode's
Technical Standard #39 (Unicode Security Mechanisms, section 4).

Two strings that look alike on a screen, such as "paypal" and the same word
with four of its letters taken from the Cyrillic alphabet, have one skeleton.
The mapping is Unicode's own data, ``unicode/confusables.txt`` beside this
module (version 13.0.0), read as it is published: each line maps one code
point to its prototype, one or more code points. Nothing of it is typed here.
To follow a newer Unicode version, replace the file with the one Unicode
publishes under ``Public/security/<version>/``; the tests say what changes.

Why a file and not a package: the packages on PyPI that carry this data either
keep it as a two-way table from which the prototype cannot be told apart from
its look-alikes, or carry it unmaintained inside code that loads much more, or
build their own keys beyond the standard; ICU's spoof checker, which computes
the skeleton itself, needs a compiler and ICU's headers to install.

A skeleton is a key for comparing, never text to show: it mixes scripts ("m"
becomes "rn", "0" becomes "O") and is only meaningful beside another skeleton.
How ``folding`` applies it (to which words) is explained there.
"""

import unicodedata
from functools import cache
from importlib.resources import files

DATA = "unicode/confusables.txt"


@cache
def prototypes() -> dict[int, str]:
    """The ``str.translate`` table of confusables.txt: code point → prototype."""
    table: dict[int, str] = {}
    text = files(__package__).joinpath(DATA).read_text(encoding="utf-8-sig")
    for line in text.splitlines():
        fields = line.partition("#")[0].split(";")
        if len(fields) < 3:  # a comment or a blank line
            continue
        source, target = fields[0].strip(), fields[1].split()
        table[int(source, 16)] = "".join(chr(int(code, 16)) for code in target)
    return table


@cache
def _table_keeping(kept: str) -> dict[int, str]:
    table = prototypes()
    return {code: target for code, target in table.items() if chr(code) not in kept}


def skeleton(text: str, *, keep: str = "") -> str:
    """``text`` decomposed, each code point replaced by its prototype, and
    decomposed again (UTS #39's ``skeleton``); the characters of ``keep`` stay
    as they are."""
    decomposed = unicodedata.normalize("NFD", text)
    table = _table_keeping(keep) if keep else prototypes()
    return unicodedata.normalize("NFD", decomposed.translate(table))
