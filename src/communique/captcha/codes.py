"""The codes people read from the image: what they are made of and how typed
answers are compared.

Each interface language has its alphabet. A code is always stored in Latin
characters; an alphabet only says which of them it uses, how they are drawn
and spoken, and how long a code must be. Readers of the English interface see
Latin letters and digits; readers of the Persian interface see Persian digits
(۱۲۳…), which every Persian keyboard can type, and may answer with Persian,
Arabic-Indic or Latin digits alike (``normalize``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from communique import localformats

# The configured length (COMMUNIQUE_CAPTCHA_LENGTH) counts characters of the
# English alphabet; other alphabets' codes are as long as it takes to be as
# hard to guess (``Alphabet.length_for``).
MIN_LENGTH, MAX_LENGTH = 4, 8


@dataclass(frozen=True)
class Alphabet:
    """The characters of one language's codes.

    ``characters`` are stored and compared (Latin); ``glyphs`` are what the
    image shows for them, in the same order.
    """

    language: str
    characters: str
    glyphs: str

    @property
    def digits_only(self) -> bool:
        return self.characters.isdigit()

    def length_for(self, length: int) -> int:
        """How many characters a code needs so that a blind guess is no likelier
        than against a code of ``length`` characters of the English alphabet.

        The smallest n with ``len(self) ** n >= len(ENGLISH) ** length``, in
        whole numbers, so no rounding can make it short. For Persian, 7 digits
        against 20 characters: 20**5 = 3,200,000 codes at the default length
        of 5; 7**7 = 823,543 is fewer, 7**8 = 5,764,801 is not, so 8 digits.
        At 4 to 8 English characters: 7, 8, 10, 11 and 13 digits.
        """
        if not MIN_LENGTH <= length <= MAX_LENGTH:
            raise ValueError(f"a code has {MIN_LENGTH} to {MAX_LENGTH} characters")
        wanted = len(ENGLISH.characters) ** length
        n = length
        while len(self.characters) ** n < wanted:
            n += 1
        return n

    def shown(self, code: str) -> str:
        """``code`` in the characters the image shows."""
        return code.translate(str.maketrans(self.characters, self.glyphs))

    def could_be(self, normalized: str) -> bool:
        return self.length_for(MIN_LENGTH) <= len(normalized) <= self.length_for(
            MAX_LENGTH
        ) and set(normalized) <= set(self.characters)


# No characters that look alike in the shipped font: no 0/O/Q/D-like pairs are
# kept together, no 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V.
ENGLISH = Alphabet("en", "ACEFHJKMNPRTWXY34679", "ACEFHJKMNPRTWXY34679")
# Persian digits (U+06F1 for 1 and so on), without zero (a dot, like the
# dots of the background), five (a ring, read as a Latin O or as the ring some
# fonts give zero) and eight (drawn as seven upside down, and spoken "hasht"
# where seven is "haft", which noise blurs). The digits run left to right, as
# numbers do in Persian text.
PERSIAN = Alphabet("fa", "1234679", "۱۲۳۴۶۷۹")
ALPHABETS = {alphabet.language: alphabet for alphabet in (ENGLISH, PERSIAN)}

# The English alphabet, as the bench scripts and older callers know it.
ALPHABET = ENGLISH.characters
# The longest code of any alphabet, at the longest configured length.
LONGEST = max(alphabet.length_for(MAX_LENGTH) for alphabet in ALPHABETS.values())


def alphabet_for(language: str | None) -> Alphabet:
    """The alphabet of an interface language ("fa", "fa-ir", "en-gb"…);
    English for any language that has none of its own."""
    base = (language or "").lower().replace("_", "-").split("-")[0]
    return ALPHABETS.get(base, ENGLISH)


def new_code(length: int, alphabet: Alphabet = ENGLISH) -> str:
    """A random code from ``alphabet``, as hard to guess as ``length``
    characters of the English alphabet (see ``Alphabet.length_for``)."""
    return "".join(
        secrets.choice(alphabet.characters) for _ in range(alphabet.length_for(length))
    )


def normalize(answer: str) -> str:
    """An answer as it is compared: digits made Latin, spaces gone, upper case."""
    # Persian and Arabic-Indic digits, typed on Persian and Arabic keyboards,
    # stand for the Latin digits they mean.
    return "".join(localformats.latin_digits(answer).split()).upper()


def matches(answer: str, code: str) -> bool:
    return secrets.compare_digest(normalize(answer).encode(), code.encode())


def could_be_a_code(normalized: str) -> bool:
    """Whether a normalized answer is made of one alphabet, at its codes' length."""
    return any(alphabet.could_be(normalized) for alphabet in ALPHABETS.values())
