"""Writes to statements, one function per use case."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from communique import pagecache, textformats
from communique.pagecache.tags import STATEMENT_LIST, statement_tag
from communique.publishing.models import Statement, StatementRevision, Topic
from communique.publishing.signals import statement_text_saved

if TYPE_CHECKING:
    from communique.accounts.models import User

REVISED_FIELDS = ("title", "body_source", "body_format", "signature")
TRASH_KEPT = dt.timedelta(days=30)
FALLBACK_SLUG = "statement"


def unique_slug(
    title: str,
    *,
    language: str,
    exclude_pk: int | None = None,
    model: type[Statement] | type[Topic] = Statement,
    fallback: str = FALLBACK_SLUG,
) -> str:
    """A slug made from ``title`` that no other row of ``model`` (statements,
    or topics) in ``language`` uses.

    Half-spaces inside Persian words stay (``textformats.slugify``).
    """
    max_length = model._meta.get_field("slug").max_length
    base = textformats.slugify(title, max_length=max_length - 6) or fallback
    taken = set(
        model.objects.filter(language=language, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def save_statement(*, statement: Statement, user: User | None = None) -> Statement:
    """Save a new or edited statement, keeping the previous version on edits.

    Renders the body, fills in a slug and, for a published statement, its
    publication time. A revision is kept when the title, body or signature
    changed.
    """
    if not statement.slug:
        statement.slug = unique_slug(
            statement.title, language=statement.language, exclude_pk=statement.pk
        )
    if statement.status == Statement.Status.PUBLISHED and not statement.published_at:
        statement.published_at = timezone.now()
    if statement.author_id is None and user is not None and statement.pk is None:
        statement.author = user
    statement.render_body()
    with transaction.atomic():
        previous_family = None
        if statement.pk is not None:
            _keep_revision_if_changed(statement, user=user)
            previous_family = (
                Statement.objects.filter(pk=statement.pk)
                .values_list("family", flat=True)
                .first()
            )
        statement.family = family_of(statement)
        statement.save()
        statement_text_saved.send(sender=Statement, statements=[statement])
        if previous_family is not None and previous_family != statement.family:
            _take_translations_along(statement)
        # The pages of its translations link to it, and may have to start or
        # stop doing so.
        _invalidate_pages_of(
            Statement.objects.filter(
                family__in=[statement.family, previous_family or statement.family]
            )
        )
    return statement


def family_of(statement: Statement) -> str:
    """The key shared by a statement and its translations: the slug of the
    statement it translates (of the one that one translates, ...), else its
    own slug, so that translations sharing a slug share it too."""
    translated = statement.translation_of
    if translated is None:
        return statement.slug
    return translated.family or translated.slug


def _take_translations_along(statement: Statement) -> None:
    """Move the statements that translate ``statement`` (and those that
    translate them) to its new family."""
    linked = Statement.objects.filter(translation_of=statement)
    Statement.objects.filter(
        Q(pk__in=linked.values("pk")) | Q(translation_of__in=linked.values("pk"))
    ).update(family=statement.family)


def _keep_revision_if_changed(statement: Statement, *, user: User | None) -> None:
    """Keep the stored title, body and signature as a revision when the edit
    changes them; when readers could see them, mark the revision public and
    the statement's text updated (its "Updated on" line)."""
    previous = (
        Statement.objects.select_for_update()
        .filter(pk=statement.pk)
        .values(*REVISED_FIELDS)
        .first()
    )
    if previous is None:
        return
    if all(previous[name] == getattr(statement, name) for name in REVISED_FIELDS):
        return
    was_public = Statement.objects.published().filter(pk=statement.pk).exists()
    revision = StatementRevision.objects.create(
        statement=statement, replaced_by=user, was_public=was_public, **previous
    )
    if was_public:
        statement.text_updated_at = revision.replaced_at


def restore_revision(*, revision: StatementRevision, user: User | None) -> Statement:
    """Make ``revision``'s title, body and signature the statement's again.

    The text it replaces is kept as a revision in turn, so nothing is lost;
    readers are told of the change as of any other edit.
    """
    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=revision.statement_id)
        for name in REVISED_FIELDS:
            setattr(statement, name, getattr(revision, name))
        return save_statement(statement=statement, user=user)


def publish_statements(statements: QuerySet[Statement]) -> int:
    """Publish drafts now, or at the time already set on them. Returns how many."""
    now = timezone.now()
    drafts = statements.filter(status=Statement.Status.DRAFT)
    with transaction.atomic():
        _invalidate_pages_of(drafts)
        return drafts.update(
            status=Statement.Status.PUBLISHED,
            published_at=Coalesce("published_at", Value(now)),
            updated=now,
        )


def unpublish_statements(statements: QuerySet[Statement]) -> int:
    """Take published statements back to draft. Returns how many."""
    published = statements.filter(status=Statement.Status.PUBLISHED)
    with transaction.atomic():
        _invalidate_pages_of(published)
        return published.update(status=Statement.Status.DRAFT, updated=timezone.now())


def trash_statements(statements: QuerySet[Statement]) -> int:
    """Move statements to the trash, from which they can be restored."""
    with transaction.atomic():
        _invalidate_pages_of(statements)
        return statements.filter(trashed_at=None).update(trashed_at=timezone.now())


def restore_statements(statements: QuerySet[Statement]) -> int:
    """Bring statements back from the trash, as they were."""
    with transaction.atomic():
        _invalidate_pages_of(statements)
        return statements.exclude(trashed_at=None).update(trashed_at=None)


def empty_trash(*, older_than: dt.timedelta = TRASH_KEPT) -> int:
    """Delete for good what has been in the trash longer than ``older_than``."""
    cutoff = timezone.now() - older_than
    _, per_model = Statement.objects.filter(trashed_at__lt=cutoff).delete()
    return per_model.get(Statement._meta.label, 0)


def save_topic(*, topic: Topic) -> Topic:
    """Save a new or renamed topic; a slug is made from the name if empty.
    The pages that list or link it are retired."""
    if not topic.slug:
        topic.slug = unique_slug(
            topic.name,
            language=topic.language,
            exclude_pk=topic.pk,
            model=Topic,
            fallback="topic",
        )
    with transaction.atomic():
        topic.save()
        if topic.pk is not None:
            _invalidate_pages_of(Statement.objects.filter(topics=topic))
        pagecache.invalidate_on_commit(STATEMENT_LIST)
    return topic


def delete_topics(topics: QuerySet[Topic]) -> int:
    """Delete topics; their statements stay, without them."""
    with transaction.atomic():
        _invalidate_pages_of(Statement.objects.filter(topics__in=topics))
        pagecache.invalidate_on_commit(STATEMENT_LIST)
        _, per_model = topics.delete()
    return per_model.get(Topic._meta.label, 0)


def topics_named(names: list[str], *, language: str) -> list[Topic]:
    """The topics of ``language`` with these names (without regard to case),
    made where missing; for import files, which name topics rather than
    choose them."""
    topics = []
    for name in dict.fromkeys(name.strip() for name in names if name.strip()):
        found = Topic.objects.filter(language=language, name__iexact=name).first()
        topics.append(found or save_topic(topic=Topic(name=name, language=language)))
    return topics


def set_topics(*, statement: Statement, topics: list[Topic]) -> None:
    """Give ``statement`` exactly these topics."""
    with transaction.atomic():
        statement.topics.set(topics)
        _invalidate_pages_of(Statement.objects.filter(pk=statement.pk))


def _invalidate_pages_of(statements: QuerySet[Statement]) -> None:
    """Retire the cached pages that show ``statements``, and those of their
    translations (which link to them), once this commits."""
    families = statements.values("family")
    shown = Statement.objects.filter(
        Q(pk__in=statements.values("pk")) | Q(family__in=families)
    )
    tags = [statement_tag(pk) for pk in shown.values_list("pk", flat=True)]
    pagecache.invalidate_on_commit(*tags, STATEMENT_LIST)
