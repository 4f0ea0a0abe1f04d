"""Drupal's values as views write them, read into ours.

A view without "Raw output" renders each value: a title as a link, a date
in the site's medium format, a boolean as "On" or "Published". These read
every such form, and return None when a value means nothing known, so the
caller reports it by item.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from communique.textformats import text_from_html

# Language codes Drupal gives text in no language: "undefined", "not
# applicable". Such text is in the site's language here.
NO_LANGUAGE = frozenset({"", "und", "zxx"})
YES = frozenset({"1", "true", "yes", "on", "published", "approved"})
NO = frozenset({"0", "false", "no", "off", "unpublished", "not published"})
# The date formats Drupal's "medium" and "short" date types write, and the
# date and time a view's "Custom" format usually gets.
DATE_FORMATS = (
    "%a, %m/%d/%Y - %H:%M",
    "%m/%d/%Y - %H:%M",
    "%a, %d/%m/%Y - %H:%M",
    "%d/%m/%Y - %H:%M",
    "%Y-%m-%d %H:%M",
)
HREF = re.compile(r"""<a\s[^>]*href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def first(value: str | list[str]) -> str:
    """The value of a field, or the first of several, as it came."""
    if isinstance(value, list):
        return value[0] if value else ""
    return value


def text(value: str | list[str]) -> str:
    """A rendered value (``<a href="…">Title &amp; more</a>``) as text."""
    value = first(value)
    return text_from_html(value) if "<" in value or "&" in value else value.strip()


def many(value: str | list[str]) -> list[str]:
    """Each of the values of a field shown with several (tags), as text."""
    values = value if isinstance(value, list) else value.split(",")
    return [t for t in (text(v) for v in values) if t]


def address(value: str | list[str]) -> str:
    """A path or URL, also from a rendered link."""
    value = first(value)
    found = HREF.search(value)
    return found.group(1) if found else text(value)


def flag(value: str | list[str]) -> bool | None:
    """True or False from "1", "On", "Published"…; None when unknown."""
    word = text(value).lower()
    if word in YES:
        return True
    if word in NO:
        return False
    return None


def language(value: str | list[str]) -> str:
    code = text(value).lower()
    return "" if code in NO_LANGUAGE else code


def moment(value: str | list[str]) -> dt.datetime | None:
    """A Unix timestamp, an ISO 8601 date, or a date in Drupal's medium or
    short format, aware (a date without zone is in the site's time zone,
    as Drupal wrote it); None if unreadable."""
    value = text(value)
    if re.fullmatch(r"-?\d{9,11}", value):
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    try:
        found = dt.datetime.fromisoformat(value)
    except ValueError:
        found = None
    for date_format in DATE_FORMATS if found is None else ():
        try:
            found = dt.datetime.strptime(value, date_format)
            break
        except ValueError:
            continue
    if found is None:
        return None
    return timezone.make_aware(found) if timezone.is_naive(found) else found
