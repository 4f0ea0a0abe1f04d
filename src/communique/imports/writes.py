"""Storing what an importer read: statements, comments and old addresses.

Each importer (``wordpress``, ``disqus``, ``drupal``) parses its own format
into ``StatementData`` and ``CommentData``, and hands them here in order
(a translation after what it translates, a reply after its parent). These
functions make importing idempotent: an item seen before (``ImportedItem``,
by source and id) is updated when the fields read from it changed and left
alone when they did not, so running an import twice changes nothing.

What the old system knew of commenters stays out of pages: e-mail
addresses are kept for moderators only (as for comments posted here), a name
typed as an e-mail address keeps only its part before the "@", and an IP
address becomes the client fingerprint comments posted here get
(``antispam.fingerprints``), the address itself is not kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communique import pagecache, textformats
from communique.antispam.fingerprints import fingerprint
from communique.comments.models import Comment
from communique.comments.services import reply_target, save_in_thread
from communique.imports.addresses import normalise
from communique.imports.models import ImportedItem, OldAddress
from communique.imports.report import ImportReport, Outcome
from communique.pagecache.tags import STATEMENT_LIST, statement_tag
from communique.publishing import services as publishing
from communique.publishing.languages import validate_language_code
from communique.publishing.models import Statement

NAME_LENGTH = Comment._meta.get_field("author_name").max_length
TITLE_LENGTH = Statement._meta.get_field("title").max_length
DELETED_HERE = gettext_lazy("deleted here since an earlier import; not brought back")


class SourceError(Exception):
    """The file cannot be read as the importer's format; the message says why."""


@dataclass(frozen=True)
class StatementData:
    external_id: str
    title: str
    body_html: str  # sanitised on saving (the "basic_html" format)
    date: dt.date
    published: bool = True
    published_at: dt.datetime | None = None
    signature: str = ""
    language: str = ""  # the site's language when empty
    slug: str = ""  # made from the title when empty
    topics: tuple[str, ...] = ()
    old_addresses: tuple[str, ...] = ()
    translation_of: str = ""  # the external id of the statement it translates
    comments_open: bool = True


@dataclass(frozen=True)
class CommentData:
    external_id: str
    author_name: str
    body: str  # plain text (``textformats.text_from_html`` for HTML)
    created: dt.datetime
    status: str  # a Comment.Status value
    parent_id: str = ""
    email: str = ""
    homepage: str = ""
    ip: str = ""
    old_addresses: tuple[str, ...] = ()


@dataclass
class ImportRun:
    """One run of an importer: its source's name, its report, and the
    statements whose pages it changed (retired together at the end)."""

    source: str
    report: ImportReport
    touched: set[int] = field(default_factory=set)
    _items: dict[tuple[str, str], ImportedItem] | None = field(default=None, repr=False)

    def item(self, kind: str, external_id: str) -> ImportedItem | None:
        """What an earlier run made of the source's item, if anything.

        Every row of the source is read in one query on first use: a run
        asks once per item, and an unchanged import then costs a digest and
        a dictionary lookup an item rather than a query."""
        if self._items is None:
            rows = ImportedItem.objects.filter(source=self.source).select_related(
                "statement", "comment"
            )
            self._items = {(row.kind, row.external_id): row for row in rows}
        return self._items.get((kind, external_id))

    def record(
        self,
        kind: str,
        external_id: str,
        *,
        digest: str,
        statement: Statement | None = None,
        comment: Comment | None = None,
    ) -> None:
        """Remember what ``external_id`` became, in the database and here."""
        item = self.item(kind, external_id) or ImportedItem(
            source=self.source, kind=kind, external_id=external_id
        )
        item.statement, item.comment, item.digest = statement, comment, digest
        item.save()
        self._items[(kind, external_id)] = item

    def finish(self) -> None:
        if self.touched:
            tags = [statement_tag(pk) for pk in sorted(self.touched)]
            pagecache.invalidate_on_commit(*tags, STATEMENT_LIST)


def _digest(data: StatementData | CommentData) -> str:
    fields = json.dumps(asdict(data), sort_keys=True, default=str)
    return hashlib.sha256(fields.encode()).hexdigest()


def imported_statement(run: ImportRun, external_id: str) -> Statement | None:
    """The statement made from the source's item ``external_id``, if any."""
    item = run.item("statement", external_id)
    return item.statement if item else None


def imported_comment(run: ImportRun, external_id: str) -> Comment | None:
    item = run.item("comment", external_id)
    return item.comment if item else None


def _language(run: ImportRun, data: StatementData, label: str) -> str:
    if not data.language:
        return settings.LANGUAGE_CODE
    try:
        validate_language_code(data.language)
    except ValidationError:
        run.report.problem(
            label,
            _("unknown language %(code)r; imported in the site's language")
            % {"code": data.language},
        )
        return settings.LANGUAGE_CODE
    return data.language


def _title(run: ImportRun, data: StatementData, label: str) -> str:
    title = " ".join(data.title.split())[:TITLE_LENGTH]
    if title:
        return title
    run.report.problem(label, _("no title; named after its first words"))
    return textformats.plain_excerpt(data.body_html, 8)[:TITLE_LENGTH] or _("Untitled")


def _fill_statement(
    run: ImportRun, statement: Statement, data: StatementData, label: str
) -> None:
    statement.title = _title(run, data, label)
    statement.body_source = data.body_html
    statement.body_format = "basic_html"
    statement.signature = data.signature[:300]
    statement.date = data.date
    statement.status = (
        Statement.Status.PUBLISHED if data.published else Statement.Status.DRAFT
    )
    if data.published:
        statement.published_at = data.published_at or timezone.make_aware(
            dt.datetime.combine(data.date, dt.time(12))
        )
    statement.commenting = (
        Statement.Commenting.OPEN if data.comments_open else Statement.Commenting.CLOSED
    )
    if data.translation_of:
        original = imported_statement(run, data.translation_of)
        if original is None or original.language == statement.language:
            run.report.problem(
                label,
                _("the statement it translates (%(id)s) was not imported")
                % {"id": data.translation_of},
            )
        else:
            statement.translation_of = original


def _free_slug(run: ImportRun, statement: Statement, wanted: str, label: str) -> str:
    slug = textformats.slugify(wanted, max_length=194) if wanted else ""
    if not slug:
        return ""
    taken = Statement.objects.filter(language=statement.language, slug=slug)
    if not taken.exclude(pk=statement.pk).exists():
        return slug
    free = publishing.unique_slug(slug, language=statement.language)
    run.report.problem(
        label,
        _("the address %(slug)r is taken here; it became %(free)r")
        % {"slug": slug, "free": free},
    )
    return free


def import_statement(
    run: ImportRun, data: StatementData, *, label: str
) -> Statement | None:
    """Create or update the statement made from ``data``, with its topics and
    old addresses; ``label`` names the item in the report ("post 45"). None
    when it was imported before and deleted here since."""
    digest = _digest(data)
    item = run.item("statement", data.external_id)
    if item is not None and item.statement is None:
        run.report.note(Outcome.SKIPPED, label, DELETED_HERE)
        return None
    if item is not None and item.statement is not None and item.digest == digest:
        run.report.note(Outcome.UNCHANGED, label, item.statement.title)
        return item.statement
    statement = item.statement if item and item.statement else Statement()
    created = statement.pk is None
    statement.language = _language(run, data, label)
    _fill_statement(run, statement, data, label)
    if created:
        statement.slug = _free_slug(run, statement, data.slug, label)
    publishing.save_statement(statement=statement)
    publishing.set_topics(
        statement=statement,
        topics=publishing.topics_named(list(data.topics), language=statement.language),
    )
    run.record("statement", data.external_id, digest=digest, statement=statement)
    keep_old_addresses(run, data.old_addresses, statement=statement, label=label)
    run.touched.add(statement.pk)
    outcome = Outcome.CREATED if created else Outcome.UPDATED
    address = statement.get_absolute_url()
    run.report.note(outcome, label, f"{statement.title} ({address})")
    return statement


def keep_old_addresses(
    run: ImportRun,
    addresses: tuple[str, ...],
    *,
    statement: Statement | None = None,
    comment: Comment | None = None,
    label: str,
) -> None:
    """Make each old address lead to ``statement`` or ``comment``."""
    for address in dict.fromkeys(normalise(a) for a in addresses if a.strip()):
        if address == "/":
            continue
        if len(address) > OldAddress._meta.get_field("address").max_length:
            run.report.problem(label, _("old address too long: %(a)s") % {"a": address})
            continue
        OldAddress.objects.update_or_create(
            address=address,
            defaults={"statement": statement, "comment": comment, "source": run.source},
        )


def _author_name(name: str) -> str:
    name = " ".join(name.split())
    if "@" in name:
        try:
            EmailValidator()(name)
        except ValidationError:
            pass
        else:
            name = name.partition("@")[0]
    return name[:NAME_LENGTH] or _("Anonymous")


def _valid_or_empty(value: str, validator) -> str:
    value = value.strip()
    try:
        validator(value)
    except ValidationError:
        return ""
    return value


def _fingerprint_of(ip: str) -> str:
    try:
        ipaddress.ip_address(ip.strip())
    except ValueError:
        return ""
    return fingerprint(ip.strip())


def _parent(run: ImportRun, data: CommentData, statement: Statement, label: str):
    if not data.parent_id:
        return None
    parent = imported_comment(run, data.parent_id)
    if parent is None or parent.statement_id != statement.pk:
        run.report.problem(
            label,
            _("the comment it replies to (%(id)s) was not imported; kept as a comment")
            % {"id": data.parent_id},
        )
        return None
    return reply_target(parent)


def _fill_comment(comment: Comment, data: CommentData) -> None:
    comment.author_name = _author_name(data.author_name)
    comment.email = _valid_or_empty(data.email, EmailValidator())
    comment.homepage = _valid_or_empty(
        data.homepage, URLValidator(schemes=["http", "https"])
    )
    comment.body_source = data.body
    comment.subject = ""
    comment.status = data.status
    comment.render_body()


def import_comment(
    run: ImportRun, data: CommentData, *, statement: Statement, label: str
) -> Comment | None:
    """Create or update the comment made from ``data`` on ``statement``;
    None when it has no text to keep, or was deleted here since an earlier
    import."""
    if not data.body.strip():
        run.report.note(Outcome.SKIPPED, label, _("no text"))
        return None
    digest = _digest(data)
    item = run.item("comment", data.external_id)
    if item is not None and item.comment is None:
        run.report.note(Outcome.SKIPPED, label, DELETED_HERE)
        return None
    comment = item.comment if item is not None else None
    if comment is not None and item.digest == digest:
        run.report.note(Outcome.UNCHANGED, label, comment.author_name)
        return comment
    created = comment is None
    if created:
        parent = _parent(run, data, statement, label)
        comment = Comment(
            statement=statement,
            parent=parent,
            depth=parent.depth + 1 if parent else 1,
            fingerprint=_fingerprint_of(data.ip),
        )
    _fill_comment(comment, data)
    if created:
        save_in_thread(comment)
    else:
        comment.save()
    Comment.objects.filter(pk=comment.pk).update(created=data.created)
    comment.created = data.created
    run.record("comment", data.external_id, digest=digest, comment=comment)
    keep_old_addresses(run, data.old_addresses, comment=comment, label=label)
    run.touched.add(statement.pk)
    outcome = Outcome.CREATED if created else Outcome.UPDATED
    run.report.note(outcome, label, f"{comment.author_name}, {comment.status}")
    return comment
