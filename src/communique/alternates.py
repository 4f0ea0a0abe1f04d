"""The page a reader is on, in each of the site's languages: for the language
switcher and for ``<link rel="alternate" hreflang>``.

Most pages exist in every language at the same address under another prefix
(``/archive/`` and ``/fa/archive/``), and that is what a page gets unless its
view says otherwise with ``set_alternates()``: a statement has only the
translations it has, and the archive of a year of one calendar matches the
year of the other calendar that shares most of its days. A language without
an equal page gets the switcher's link to its front page, and no hreflang.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import translation


@dataclass(frozen=True)
class Alternate:
    code: str
    name: str  # in its own language: "English", "فارسی"
    url: str
    absolute_url: str  # for hreflang, which wants the scheme and host
    current: bool  # the language of the page the reader is on
    same_page: bool  # the same page in that language, not its front page

    @property
    def direction(self) -> str:
        return "rtl" if translation.get_language_info(self.code)["bidi"] else "ltr"


def set_alternates(request: HttpRequest, urls: Mapping[str, str]) -> None:
    """Name the addresses of this page in other languages (language → URL);
    languages left out have no equal page."""
    request.alternate_urls = dict(urls)


def alternates_of(request: HttpRequest) -> list[Alternate]:
    urls = getattr(request, "alternate_urls", None)
    if urls is None:
        urls = _same_page_in_each_language(request)
    current = translation.get_language()
    alternates = []
    for code, name in settings.LANGUAGES:
        url = urls.get(code) or _front_page_in(code)
        alternates.append(
            Alternate(
                code=code,
                name=name,
                url=url,
                # Only equal pages get hreflang; error pages, which may be
                # answering a host Django refuses, have none.
                absolute_url=request.build_absolute_uri(url) if code in urls else "",
                current=code == current,
                same_page=code in urls,
            )
        )
    return alternates


def _same_page_in_each_language(request: HttpRequest) -> dict[str, str]:
    match = getattr(request, "resolver_match", None)
    if match is None or request.method not in ("GET", "HEAD"):
        return {}  # an error page, or the answer to a form
    urls = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                urls[code] = reverse(
                    match.view_name, args=match.args, kwargs=match.kwargs
                )
            except NoReverseMatch:
                continue
    return urls


def _front_page_in(code: str) -> str:
    with translation.override(code):
        return reverse("publishing:front_page")
