"""Finding the statement an address of the old site named.

Comment services such as Disqus kept comments by page address, not by any id
of ours. A statement imported earlier (from WordPress or Drupal) or written
here is found by the address in three ways, surest first: the address is a
statement page of this site; it is an old address an earlier import kept
(``/2022/01/slug/``, ``/node/12``); its last segment is a statement's slug.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation

from communique import textformats
from communique.imports.addresses import normalise
from communique.imports.models import OldAddress
from communique.publishing.models import Statement

BY_ADDRESS = "address"
BY_OLD_ADDRESS = "old address"
BY_SLUG = "slug"
PAGE_EXTENSIONS = (".html", ".htm", ".php", ".aspx")


@dataclass(frozen=True)
class Match:
    statement: Statement | None
    how: str = ""  # one of BY_*; empty when nothing matched
    ambiguous: bool = False  # several statements have the slug


def host_of(address: str) -> str:
    """The host of ``address`` without a leading ``www.``, lowercase; empty
    when it has none, or one that cannot be read."""
    try:
        host = urlsplit(address.strip()).hostname or ""
    except ValueError:  # "http://[bad"
        return ""
    return host.lower().removeprefix("www.")


def _path_language(path: str) -> str:
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def _live_statement(path: str) -> Statement | None:
    language = _path_language(path)
    with translation.override(language):
        for candidate in dict.fromkeys((path, path.rstrip("/") + "/")):
            try:
                found = resolve(candidate)
            except Resolver404:
                continue
            if found.view_name == "publishing:statement":
                return Statement.objects.filter(
                    language=language, slug=found.kwargs["slug"]
                ).first()
    return None


def _old_address_statement(address: str) -> Statement | None:
    old = (
        OldAddress.objects.filter(address=normalise(address))
        .select_related("statement", "comment__statement")
        .first()
    )
    if old is None:
        return None
    return old.statement if old.comment is None else old.comment.statement


def slug_in(path: str) -> str:
    """The slug the last segment of ``path`` would make (``/2022/01/on-wages.html``
    gives ``on-wages``)."""
    segment = path.rstrip("/").rpartition("/")[2]
    for extension in PAGE_EXTENSIONS:
        segment = segment.removesuffix(extension)
    return textformats.slugify(segment, max_length=194)


def _slug_statement(path: str) -> Match:
    slug = slug_in(path)
    if not slug or slug.isdigit():
        return Match(None)
    found = list(Statement.objects.filter(slug=slug)[:10])
    if len(found) > 1:
        language = translation.get_language_from_path(path)
        found = [s for s in found if s.language == language] if language else found
    if len(found) == 1:
        return Match(found[0], BY_SLUG)
    return Match(None, ambiguous=len(found) > 1)


def statement_for(addresses: list[str]) -> Match:
    """The statement the first of ``addresses`` that names one names."""
    paths = [normalise(a).partition("?")[0] for a in addresses if a.strip()]
    for path in paths:
        if statement := _live_statement(path):
            return Match(statement, BY_ADDRESS)
    for address in addresses:
        if address.strip() and (statement := _old_address_statement(address)):
            return Match(statement, BY_OLD_ADDRESS)
    ambiguous = False
    for path in paths:
        match = _slug_statement(path)
        if match.statement is not None:
            return match
        ambiguous = ambiguous or match.ambiguous
    return Match(None, ambiguous=ambiguous)
