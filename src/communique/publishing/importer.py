"""Importing statements from Markdown files with YAML front matter.

A file looks like this::

    ---
    title: "What we said"
    signature: "The Board"
    date: 2024-05-01
    language: en          # optional, default: the site's language
    slug: what-we-said    # optional, default: made from the title
    translation_of: other-slug  # optional: the statement this one translates
    status: published     # optional: draft or published (default)
    topics: [Elections, Press freedom]  # optional: made if missing
    ---

    The body, in Markdown.

Importing is idempotent by (language, slug): a file imported again updates the
statement it created, keeping the previous text as a revision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communique import textformats
from communique.publishing import services
from communique.publishing.models import Statement, Topic

if TYPE_CHECKING:
    from communique.accounts.models import User

SUFFIXES = (".md", ".markdown")
FENCE = "---"
KNOWN_FIELDS = frozenset(
    {
        "title",
        "signature",
        "date",
        "language",
        "slug",
        "status",
        "format",
        "comments",
        "published_at",
        "translation_of",
        "topics",
    }
)
# Model field names as the front matter calls them, for error messages.
FIELD_NAMES = {
    "body_source": "body",
    "body_format": "format",
    "commenting": "comments",
    "__all__": "slug",
    "translation_of": "translation_of",
}


class StatementFileError(Exception):
    """A file that cannot be imported, with the field at fault."""

    def __init__(self, path: Path, field: str, message: str) -> None:
        self.path, self.field, self.message = path, field, message
        super().__init__(f"{path}: {field}: {message}")


@dataclass(frozen=True)
class ImportOutcome:
    path: Path
    statement: Statement
    created: bool


def find_statement_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files named, and the Markdown files inside the folders named; the
    translations (files with ``translation_of``) after the others, so that
    what they translate is there when they are imported."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(
                sorted(
                    p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise StatementFileError(path, "file", _("no such file or folder"))
    yield from sorted(found, key=_names_what_it_translates)


def _names_what_it_translates(path: Path) -> bool:
    try:
        front, _body = split_front_matter(path, _read(path))
    except StatementFileError:
        return False  # importing it will say what is wrong
    return front.get("translation_of") is not None


def split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str]:
    """The front matter as a dict, and the body below it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise StatementFileError(
            path, "front matter", "the file must begin with a line of three dashes"
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise StatementFileError(
            path, "front matter", "no closing line of three dashes"
        ) from None
    try:
        front = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = ""
        if mark is not None:
            where = _(" (line %(number)d)") % {"number": mark.line + 2}
        raise StatementFileError(
            path, "front matter", _("not valid YAML%(where)s") % {"where": where}
        ) from None
    if not isinstance(front, dict):
        raise StatementFileError(
            path, "front matter", _("expected `name: value` lines")
        )
    unknown = sorted(str(key) for key in front if key not in KNOWN_FIELDS)
    if unknown:
        raise StatementFileError(
            path,
            unknown[0],
            _("unknown field; known fields are %(fields)s")
            % {"fields": ", ".join(sorted(KNOWN_FIELDS))},
        )
    return front, "\n".join(lines[end + 1 :]).strip("\n")


def _text(path: Path, front: dict[str, Any], name: str, default: str = "") -> str:
    value = front.get(name)
    if value is None:
        return default
    if isinstance(value, bool | dict | list):
        raise StatementFileError(path, name, _("expected text"))
    return str(value).strip()


def _date(path: Path, front: dict[str, Any]) -> dt.date:
    value = front.get("date")
    if value is None:
        return timezone.localdate()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise StatementFileError(
            path,
            "date",
            _("%(value)r is not a date like 2024-05-01") % {"value": value},
        ) from None


def _datetime(path: Path, front: dict[str, Any]) -> dt.datetime | None:
    value = front.get("published_at")
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if not isinstance(value, dt.datetime):
        try:
            value = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise StatementFileError(
                path,
                "published_at",
                _("%(value)r is not a time like 2024-05-01 09:30") % {"value": value},
            ) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _topics(path: Path, front: dict[str, Any]) -> list[str] | None:
    """The topics' names; None when the file names none (the statement keeps
    the topics it has)."""
    if "topics" not in front:
        return None
    value = front["topics"]
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    limit = Topic._meta.get_field("name").max_length
    if not isinstance(value, list) or not all(
        isinstance(name, str | int | float) and not isinstance(name, bool)
        for name in value
    ):
        raise StatementFileError(path, "topics", _("expected a list of names"))
    names = [str(name).strip() for name in value]
    if any(len(name) > limit for name in names):
        raise StatementFileError(
            path,
            "topics",
            _("a topic's name has at most %(limit)d characters") % {"limit": limit},
        )
    return names


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise StatementFileError(path, "file", _("not UTF-8 text")) from None
    except OSError as error:
        raise StatementFileError(path, "file", error.strerror or str(error)) from None


def import_statement_file(path: Path, *, user: User | None = None) -> ImportOutcome:
    """Create or update the statement a file describes, all or nothing."""
    front, body = split_front_matter(path, _read(path))
    title = _text(path, front, "title")
    if not title:
        raise StatementFileError(path, "title", _("missing; every statement needs one"))
    if not body.strip():
        raise StatementFileError(
            path, "body", _("the file has no text below the front matter")
        )
    language = _text(path, front, "language", settings.LANGUAGE_CODE)
    slug = _text(path, front, "slug") or textformats.slugify(
        title, max_length=Statement._meta.get_field("slug").max_length
    )
    slug = slug or services.FALLBACK_SLUG

    with transaction.atomic():
        statement = Statement.objects.filter(language=language, slug=slug).first()
        created = statement is None
        statement = statement or Statement(language=language, slug=slug)
        statement.title = title
        statement.body_source = body
        statement.body_format = _text(path, front, "format", "markdown")
        statement.signature = _text(path, front, "signature")
        statement.date = _date(path, front)
        statement.status = _text(path, front, "status", Statement.Status.PUBLISHED)
        statement.commenting = _text(
            path, front, "comments", statement.commenting or Statement.Commenting.OPEN
        )
        statement.translation_of = _translated(path, front, language)
        published_at = _datetime(path, front)
        if published_at is not None:
            statement.published_at = published_at
        elif statement.published_at is None and statement.status == "published":
            statement.published_at = timezone.make_aware(
                dt.datetime.combine(statement.date, dt.time())
            )
        _validate(path, statement)
        topics = _topics(path, front)
        services.save_statement(statement=statement, user=user)
        if topics is not None:
            services.set_topics(
                statement=statement,
                topics=services.topics_named(topics, language=language),
            )
    return ImportOutcome(path=path, statement=statement, created=created)


def _translated(path: Path, front: dict[str, Any], language: str) -> Statement | None:
    """The statement named by ``translation_of``: the one with that slug in
    another language, the site's default language first."""
    slug = _text(path, front, "translation_of")
    if not slug:
        return None
    candidates = sorted(
        Statement.objects.filter(slug=slug).exclude(language=language),
        key=lambda s: (s.language != settings.LANGUAGE_CODE, s.language),
    )
    if not candidates:
        raise StatementFileError(
            path,
            "translation_of",
            _(
                "no statement in another language has the slug %(slug)r; "
                "import the statement it translates first"
            )
            % {"slug": slug},
        )
    return candidates[0]


def _validate(path: Path, statement: Statement) -> None:
    if statement.body_format not in textformats.EDITOR_FORMATS:
        known = ", ".join(textformats.EDITOR_FORMATS)
        raise StatementFileError(
            path,
            "format",
            _("%(format)r is not one of %(known)s")
            % {"format": statement.body_format, "known": known},
        )
    try:
        statement.full_clean(exclude=["author"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise StatementFileError(
            path, FIELD_NAMES.get(field, field), " ".join(messages)
        ) from None
