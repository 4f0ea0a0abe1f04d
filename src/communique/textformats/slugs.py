"""Slugs that keep the half-space: the last part of an address, made from a title.

Django's Unicode slug keeps letters, digits, underscores and hyphens, so it
drops the zero-width non-joiner (ZWNJ, U+200C, the half-space). In Persian the
half-space is part of the spelling: without it "می‌خواهم" is shaped as one
joined run of letters, and "کتاب‌های" runs into "کتابهای". So a ZWNJ between two
letters stays in the slug (a run of them becomes one), also when a diacritic
sits on the letter before or after it (Django drops the diacritic); anywhere
else, next to a space, a digit, a hyphen or an end, it goes, as Django drops
it. The rest is Django's ``slugify(..., allow_unicode=True)``, applied to the
pieces between the half-spaces kept. Browsers show such an address with the
half-space in place and send it percent-encoded (``%E2%80%8C``).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.text import slugify as django_slugify
from django.utils.translation import gettext_lazy as _

ZWNJ = "\u200c"
LETTER = r"[^\W\d_]"
HALF_SPACES = re.compile(f"{ZWNJ}+")
IS_LETTER = re.compile(LETTER)
SLUG = re.compile(rf"^(?:[-\w]|(?<={LETTER}){ZWNJ}(?={LETTER}))+\Z")
# What may not end a slug cut to a length.
LOOSE_ENDS = "-" + ZWNJ


def _letter_beside(text: str, index: int, step: int) -> bool:
    """Whether the first character from ``index`` on, going by ``step`` and
    passing over combining marks, is a letter."""
    while 0 <= index < len(text) and unicodedata.category(text[index]) == "Mn":
        index += step
    return 0 <= index < len(text) and bool(IS_LETTER.match(text[index]))


def _pieces(text: str) -> list[str]:
    """``text`` cut at each run of half-spaces that sits between two letters."""
    pieces, start = [], 0
    for run in HALF_SPACES.finditer(text):
        if _letter_beside(text, run.start() - 1, -1) and _letter_beside(
            text, run.end(), 1
        ):
            pieces.append(text[start : run.start()])
            start = run.end()
    pieces.append(text[start:])
    return pieces


def slugify(text: str, *, max_length: int | None = None) -> str:
    """A slug of ``text`` that keeps the half-spaces inside words.

    With ``max_length``, the slug is cut to at most that many characters and
    never ends in a hyphen or a half-space.
    """
    pieces = _pieces(unicodedata.normalize("NFKC", text))
    slugs = (django_slugify(piece, allow_unicode=True) for piece in pieces)
    slug = ZWNJ.join(piece for piece in slugs if piece)
    if max_length is not None and len(slug) > max_length:
        slug = slug[:max_length].rstrip(LOOSE_ENDS)
    return slug


def validate_slug(value: str) -> None:
    """Accept what ``slugify`` makes: letters, digits, underscores, hyphens,
    and half-spaces between two letters.

    A function rather than a validator instance, so that migrations name it
    and need not change with its rule.
    """
    if not SLUG.match(value):
        raise ValidationError(
            _(
                "Enter a valid “slug” consisting of letters, numbers, underscores "
                "or hyphens; a half-space (zero-width non-joiner) may join two "
                "letters."
            ),
            code="invalid",
            params={"value": value},
        )
