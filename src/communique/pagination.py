"""Pagination: page numbers as readers write them, and lists whose length is
known already.

A page number may be written with Latin (``2``), Persian (``۲``) or
Arabic-Indic (``٢``) digits, since a reader of a Persian page may type it so.
Nothing else is a page number: no sign, space, underscore, leading zero or
digits of other scripts, which Python's ``int()`` would all accept. Each page
thus has few spellings, and each spelling is a separate entry of the page
cache.
"""

from __future__ import annotations

import re

from django.core.paginator import Paginator

from communique import localformats

# Eighteen digits are more pages than any list holds, and keep int() cheap.
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,17}", re.ASCII)


def read_page_number(text: str) -> int | None:
    """The page number ``text`` writes, or None when it writes none."""
    latin = localformats.latin_digits(text)
    return int(latin) if _PAGE_NUMBER.fullmatch(latin) else None


class LocalDigitsPaginator(Paginator):
    """A paginator whose page numbers, when given as text, are read by
    :func:`read_page_number`."""

    def validate_number(self, number: object) -> int:
        if isinstance(number, str):
            # None makes Django's check raise PageNotAnInteger.
            number = read_page_number(number)
        return super().validate_number(number)


class KnownCountPaginator(LocalDigitsPaginator):
    """A paginator told its count (remembered elsewhere), so that it need not
    count the rows again."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page, allow_empty_first_page=True)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count
