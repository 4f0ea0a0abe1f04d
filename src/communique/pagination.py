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
from collections.abc import Callable
from typing import NamedTuple

from django.core.paginator import Page, Paginator

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


class PageLink(NamedTuple):
    """One item of a row of page numbers: a page (``number``, its ``url``,
    whether it is the ``current`` one), or a gap (``number`` None)."""

    number: int | None
    url: str = ""
    current: bool = False


def page_links(
    page: Page, url_of: Callable[[int], str], *, on_each_side: int = 2
) -> list[PageLink]:
    """The page numbers to show around ``page``: the first and the last, the
    ``on_each_side`` either side of the current one, and gaps for the rest
    (Django's elided page range). ``url_of`` gives a page's address."""
    numbers = page.paginator.get_elided_page_range(
        page.number, on_each_side=on_each_side, on_ends=1
    )
    return [
        PageLink(number, url_of(number), number == page.number)
        if isinstance(number, int)
        else PageLink(None)
        for number in numbers
    ]
