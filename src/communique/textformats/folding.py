"""Folding text for matching: two spellings a reader takes as the same word
fold to the same string.

Used wherever text is compared rather than shown (the block list, the
duplicate-comment rule, search). The folded text is never displayed or stored
as the text itself; it may be stored as a key (a digest), which is then only as
current as the folding it was made with (``digest_for_matching``).

What folds, in this order:

1. Unicode NFKC. Compatibility forms become the letters they stand for: Arabic
   presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF) such as ﻙ or ﯼ, lam-alef
   ligatures, full-width Latin letters and digits, the no-break space. NFKC
   leaves the Persian letters themselves alone (yeh U+06CC, keheh U+06A9, heh
   U+0647, heh with yeh above U+06C0 and alef madda U+0622 are all stable), and
   it composes a letter typed as a base and a mark (alef U+0627 and madda
   U+0653 become U+0622), so that both ways of typing one give one result.
2. Case folding (``str.casefold``).
3. The Arabic letter forms Persian readers do not tell apart become the Persian
   ones: Arabic yeh ي (U+064A) and alef maksura ى (U+0649) → Persian yeh ی
   (U+06CC); Arabic kaf ك (U+0643) → keheh ک (U+06A9); heh with yeh above ۀ
   (U+06C0) → heh (U+0647), as "خانهٔ" (heh and a hamza mark) already folds.
   Letters that do change a word for Persian readers stay: آ, أ, إ, ؤ, ئ, ة.
4. Persian (U+06F0-U+06F9) and Arabic-Indic (U+0660-U+0669) digits → ASCII 0-9.
5. Removed: kashida (tatweel, U+0640), which only stretches a word; every
   Arabic combining mark (the harakat U+064B-U+065F with tanwin, shadda, sukun
   and the hamza and madda marks, superscript alef U+0670, and the Quranic
   annotation marks), which readers usually leave out; and the invisible
   characters that change no letter: the zero-width non-joiner (ZWNJ, the
   half-space, U+200C), the zero-width space and joiner, direction marks and
   embeddings, the word joiner, the soft hyphen and the byte-order mark.
   Removing the ZWNJ rather than turning it into a space is the point: "می‌خواهم"
   and "میخواهم" are one word written two ways, while "می خواهم" (a real
   space) stays two words.
6. NFKC again, since a removal can bring a base and a mark together.
7. Runs of whitespace become one space; none at either end.

``fold_for_matching(fold_for_matching(text)) == fold_for_matching(text)``.
"""

import hashlib
import unicodedata
from functools import cache

ARABIC_YEH = "\u064a"
ALEF_MAKSURA = "\u0649"
PERSIAN_YEH = "\u06cc"
ARABIC_KAF = "\u0643"
KEHEH = "\u06a9"
HEH_WITH_YEH_ABOVE = "\u06c0"
HEH = "\u0647"
KASHIDA = "\u0640"
ZWNJ = "\u200c"

LETTERS = {
    ARABIC_YEH: PERSIAN_YEH,
    ALEF_MAKSURA: PERSIAN_YEH,
    ARABIC_KAF: KEHEH,
    HEH_WITH_YEH_ABOVE: HEH,
}
DIGITS = {
    **{chr(0x06F0 + value): str(value) for value in range(10)},  # Persian
    **{chr(0x0660 + value): str(value) for value in range(10)},  # Arabic-Indic
}
# The blocks whose combining marks (category Mn) are Arabic diacritics.
ARABIC_BLOCKS = (
    range(0x0600, 0x0700),  # Arabic
    range(0x0750, 0x0780),  # Arabic Supplement
    range(0x0870, 0x08A0),  # Arabic Extended-B
    range(0x08A0, 0x0900),  # Arabic Extended-A
)
INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator
    "\u200b"  # zero-width space
    f"{ZWNJ}"  # zero-width non-joiner, the half-space
    "\u200d"  # zero-width joiner
    "\u200e\u200f"  # left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings and overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # isolates
    "\ufeff"  # zero-width no-break space, the byte-order mark
)


@cache
def _table() -> dict[int, str | None]:
    """The ``str.translate`` table of steps 3 to 5."""
    table: dict[int, str | None] = {
        ord(source): target for source, target in (LETTERS | DIGITS).items()
    }
    for block in ARABIC_BLOCKS:
        for code in block:
            if unicodedata.category(chr(code)) == "Mn":
                table[code] = None
    table[ord(KASHIDA)] = None
    for character in INVISIBLE:
        table[ord(character)] = None
    return table


def fold_for_matching(text: str) -> str:
    """``text`` as compared, not as shown: see the module's docstring."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFKC", text.translate(_table()))
    return " ".join(text.split())


def digest_for_matching(text: str) -> str:
    """A fixed-length key of ``text`` folded: equal for texts that match.

    For a column that an equality lookup finds, where the folded text itself
    would be long (a comment's body).
    """
    return hashlib.sha256(fold_for_matching(text).encode()).hexdigest()
