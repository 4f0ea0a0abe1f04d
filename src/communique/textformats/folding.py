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
   annotation marks), which readers usually leave out; and every default
   ignorable code point of Unicode (the property Default_Ignorable_Code_Point,
   as the maintained ``regex`` package ships it): characters a browser draws
   as nothing, such as the zero-width space and joiner, the soft hyphen,
   direction marks, embeddings and isolates, the word joiner, variation
   selectors, the combining grapheme joiner, Hangul fillers, tag characters
   and the byte-order mark. This includes the zero-width non-joiner (ZWNJ, the
   half-space, U+200C). Removing the ZWNJ rather than turning it into a space
   is the point: "می‌خواهم" and "میخواهم" are one word written two ways, while
   "می خواهم" (a real space) stays two words.
6. NFKC again, since a removal can bring a base and a mark together.
7. Runs of whitespace become one space; none at either end.
8. Host names are written as a browser reads them (UTS #46, see ``hosts``):
   "evil。com" becomes "evil.com", "xn--" labels the letters they encode.

``fold_for_matching(fold_for_matching(text)) == fold_for_matching(text)``.

What rules compare is one step further, ``skeleton_for_matching``: the folded
text with look-alike characters of other scripts mapped to one prototype
(UTS #39's skeleton, ``confusables``), so that "casino" written with a
Cyrillic "es" and "a" meets "casino". The skeleton applies word by word, with
two exceptions:

- A word whose letters are all of the Arabic script keeps its folded form.
  Unicode's table takes alef for a Latin "l", heh for "o" and Persian yeh for
  alef maksura, which would let a Persian term match Latin text that merely
  looks like it; Persian letters already meet their other spellings in steps
  1-5. A word that mixes Arabic letters with letters of another script (an
  alef standing in for the "l" of "paypal") takes its skeleton whole.
- Digits stay digits. Step 4 has made every digit ASCII, and a number typed in
  Persian digits inside Persian text must still match the number typed in
  ASCII ones; the table's "0" → "O" and "1" → "l" would break that for a
  disguise ("paypa1") that plain ASCII can write anyway.
"""

import hashlib
import unicodedata
from functools import cache

import regex

from communique import localformats
from communique.textformats.confusables import skeleton
from communique.textformats.hosts import map_hosts

ARABIC_YEH = "\u064a"
ALEF_MAKSURA = "\u0649"
PERSIAN_YEH = "\u06cc"
ARABIC_KAF = "\u0643"
KEHEH = "\u06a9"
HEH_WITH_YEH_ABOVE = "\u06c0"
HEH = "\u0647"
KASHIDA = "\u0640"

LETTERS = {
    ARABIC_YEH: PERSIAN_YEH,
    ALEF_MAKSURA: PERSIAN_YEH,
    ARABIC_KAF: KEHEH,
    HEH_WITH_YEH_ABOVE: HEH,
}
# The blocks whose combining marks (category Mn) are Arabic diacritics.
ARABIC_BLOCKS = (
    range(0x0600, 0x0700),  # Arabic
    range(0x0750, 0x0780),  # Arabic Supplement
    range(0x0870, 0x08A0),  # Arabic Extended-B
    range(0x08A0, 0x0900),  # Arabic Extended-A
)
ASCII_DIGITS = "0123456789"
DEFAULT_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}+")
# A word whose letters are all of the Arabic script (digits and signs may be
# among them).
ARABIC_WORD = regex.compile(r"(?=\P{L}*\p{L})(?:\p{Script=Arabic}|\P{L})+")
# Folding and the skeleton take turns until neither changes the text; each
# pass can only bring characters nearer to their prototypes, and two passes
# are enough for every text the tests have found. The bound keeps a table
# with a cycle from costing more than this many passes.
MAX_PASSES = 6


@cache
def _table() -> dict[int, str | None]:
    """The ``str.translate`` table of steps 3 to 5, but for the default
    ignorable code points, removed by ``DEFAULT_IGNORABLE``."""
    table: dict[int, str | None] = {
        ord(source): target for source, target in LETTERS.items()
    } | localformats.TO_LATIN_DIGITS
    for block in ARABIC_BLOCKS:
        for code in block:
            if unicodedata.category(chr(code)) == "Mn":
                table[code] = None
    table[ord(KASHIDA)] = None
    return table


def fold_for_matching(text: str) -> str:
    """``text`` as compared, not as shown: see the module's docstring."""
    text = DEFAULT_IGNORABLE.sub("", text)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = DEFAULT_IGNORABLE.sub("", text.translate(_table()))
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return map_hosts(text)


def _word_skeleton(word: str) -> str:
    if ARABIC_WORD.fullmatch(word):
        return word
    return skeleton(word, keep=ASCII_DIGITS)


def skeleton_for_matching(text: str) -> str:
    """``text`` folded, then each word as its skeleton: what rules compare.

    See the module's docstring for which words take their skeleton. Like the
    fold, ``skeleton_for_matching`` of its own result changes nothing.
    """
    keyed = ""
    for _ in range(MAX_PASSES):
        folded = fold_for_matching(text)
        text = " ".join(_word_skeleton(word) for word in folded.split())
        if text == keyed:
            break
        keyed = text
    return keyed


def digest_for_matching(text: str) -> str:
    """A fixed-length key of ``text`` as rules compare it: equal for texts
    that match (``skeleton_for_matching``).

    For a column that an equality lookup finds, where the key itself would be
    long (a comment's body).
    """
    return hashlib.sha256(skeleton_for_matching(text).encode()).hexdigest()
