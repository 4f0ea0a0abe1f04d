"""Writes to comments, one function per use case."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from communique import pagecache, textformats
from communique.antispam import rules
from communique.antispam import services as antispam
from communique.captcha import pressure
from communique.comments import holds, notifications, policy
from communique.comments.models import (
    Comment,
    ModerationAction,
    path_segment,
    subject_from,
)
from communique.comments.signals import comment_text_saved
from communique.pagecache.tags import STATEMENT_LIST, statement_tag

if TYPE_CHECKING:
    from communique.accounts.models import User
    from communique.publishing.models import Statement

TRASH_KEPT = dt.timedelta(days=30)
Status = Comment.Status
Action = ModerationAction.Action


class CommentsClosed(Exception):
    """The statement does not take comments (any more)."""


@dataclass(frozen=True)
class Draft:
    """What a commenter typed, already validated by the form."""

    author_name: str
    body: str
    email: str = ""
    homepage: str = ""
    subject: str = ""


def accepts_comments(statement: Statement) -> bool:
    return statement.is_public and statement.commenting == statement.Commenting.OPEN


def shows_comments(statement: Statement) -> bool:
    """Readers may see the statement's comments: it is public, and its comments
    are not hidden."""
    return statement.is_public and statement.commenting != statement.Commenting.HIDDEN


def initial_status(
    user: User | None, *, statement: Statement | None = None, fingerprint: str = ""
) -> str:
    """Pending or published, before the spam rules (``policy``); without a
    statement, as the site's default would have it."""
    if statement is not None:
        waits = policy.waits_for_approval(
            statement=statement, user=user, fingerprint=fingerprint
        )
        return Status.PENDING if waits else Status.PUBLISHED
    if user is not None and user.has_perm("comments.skip_approval"):
        return Status.PUBLISHED
    if settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL:
        return Status.PENDING
    return Status.PUBLISHED


def reply_target(parent: Comment | None) -> Comment | None:
    """Where a reply to ``parent`` attaches: at most the deepest allowed level."""
    while parent is not None and parent.depth >= settings.COMMUNIQUE_COMMENTS_MAX_DEPTH:
        parent = parent.parent
    return parent


def build_comment(
    *,
    statement: Statement,
    parent: Comment | None,
    draft: Draft,
    user: User | None,
    language: str = "",
) -> Comment:
    """An unsaved comment, rendered: what Preview shows and Save stores."""
    parent = reply_target(parent)
    comment = Comment(
        statement=statement,
        parent=parent,
        depth=parent.depth + 1 if parent else 1,
        author_name=draft.author_name,
        email=draft.email,
        homepage=draft.homepage,
        subject=draft.subject or subject_from(draft.body),
        body_source=draft.body,
        user=user,
        language=language,
        status=initial_status(user),
        created=timezone.now(),  # shown by Preview; saving sets it again
    )
    comment.render_body()
    return comment


class Refused(Exception):
    """A spam rule turned the comment away; ``verdict`` says why."""

    def __init__(self, verdict: rules.Verdict) -> None:
        super().__init__(verdict.reason)
        self.verdict = verdict


def _is_duplicate(
    fingerprint: str, body_digest: str, *, excluding: int | None = None
) -> bool:
    """The client posted this text, in any spelling that folds alike, lately.

    One indexed lookup: (fingerprint, created) narrows to the client's recent
    comments, the digest of the folded body picks the same text among them.
    ``excluding``: a comment being edited, which is no duplicate of itself.
    """
    since = rules.duplicate_window()
    if since is None or not fingerprint or not body_digest:
        return False
    recent = Comment.objects.filter(
        fingerprint=fingerprint, body_digest=body_digest, created__gte=since
    )
    if excluding is not None:
        recent = recent.exclude(pk=excluding)
    return recent.exists()


def _verdict(
    comment: Comment, *, fingerprint: str, honeypot_filled: bool = False
) -> rules.Verdict:
    """The spam rules' verdict on a built comment; Refused when they refuse."""
    verdict = rules.judge(
        rules.Submission(
            fingerprint=fingerprint,
            author_name=comment.author_name,
            email=comment.email,
            homepage=comment.homepage,
            body=comment.body_source,
            link_count=textformats.count_links(comment.body_source),
            honeypot_filled=honeypot_filled,
            is_duplicate=_is_duplicate(
                fingerprint, comment.body_digest, excluding=comment.pk
            ),
        )
    )
    if verdict.action in (rules.Action.REFUSE, rules.Action.SPAM):
        antispam.count_refusal(verdict.reason)
        # Spam and refusals spiking make the proof of work harder, as wrong
        # CAPTCHA answers do.
        pressure.note_refusal()
    if verdict.action is rules.Action.REFUSE:
        raise Refused(verdict)
    return verdict


def _is_first_from(fingerprint: str) -> bool:
    """The client has no comment stored yet."""
    return bool(fingerprint) and not (
        Comment.objects.filter(fingerprint=fingerprint).exists()
    )


def _status_after(verdict: rules.Verdict, status: str) -> str:
    """The status a built comment gets from the spam rules' verdict."""
    if verdict.action is rules.Action.SPAM:
        return Status.SPAM
    if verdict.action is rules.Action.HOLD:
        return Status.PENDING
    return status


def post_comment(
    *,
    statement: Statement,
    parent: Comment | None,
    draft: Draft,
    user: User | None,
    fingerprint: str,
    language: str = "",
    honeypot_filled: bool = False,
    screened: bool = True,
) -> Comment:
    """Store a new comment, published, pending or as spam, as the rules decide.

    Raises CommentsClosed, or Refused when a spam rule turns it away.
    ``screened=False`` skips the spam rules (demo content, imports).

    ``statement`` should be fresh from the database: whether it takes comments
    is judged on it. Everything but the two writes happens before the
    transaction, so that the write lock (all of SQLite's) is held briefly.
    """
    if not accepts_comments(statement):
        raise CommentsClosed
    comment = build_comment(
        statement=statement, parent=parent, draft=draft, user=user, language=language
    )
    comment.status = initial_status(user, statement=statement, fingerprint=fingerprint)
    if screened:
        before = comment.status
        verdict = _verdict(
            comment, fingerprint=fingerprint, honeypot_filled=honeypot_filled
        )
        comment.status = _status_after(verdict, before)
        comment.held_because = holds.reasons(
            verdict=verdict,
            before=before,
            after=comment.status,
            first_comment=comment.status == Status.PENDING
            and _is_first_from(fingerprint),
        )
    comment.fingerprint = fingerprint
    with transaction.atomic():
        save_in_thread(comment)
        if comment.status == Status.PENDING:
            # Robust: the comment is stored; a failing mail is logged, not
            # raised to the view that would answer the commenter with it.
            transaction.on_commit(notifications.notify_moderators, robust=True)
        elif comment.status == Status.PUBLISHED:
            _invalidate_pages_of([statement.pk])
    return comment


def save_in_thread(comment: Comment) -> Comment:
    """Store a new comment under its parent: its thread and path follow from
    its id, which saving gives it. Callers hold the transaction."""
    comment.save()
    comment.thread = comment.parent.thread if comment.parent else comment
    prefix = f"{comment.parent.path}/" if comment.parent else ""
    comment.path = prefix + path_segment(comment.pk)
    Comment.objects.filter(pk=comment.pk).update(
        thread=comment.thread, path=comment.path
    )
    comment_text_saved.send(sender=Comment, comments=[comment])
    return comment


def _invalidate_pages_of(statement_pks: Iterable[int]) -> None:
    """Retire the cached pages that show these statements' comments and counts."""
    tags = [statement_tag(pk) for pk in statement_pks]
    if tags:
        pagecache.invalidate_on_commit(*tags, STATEMENT_LIST)


def _change_status(
    comments: Iterable[Comment],
    *,
    moderator: User,
    action: str,
    to_status: str | None = None,
) -> int:
    """Move comments to a status, recording one action per comment changed."""
    records, changed, statements, batch = [], 0, set(), uuid.uuid4()
    with transaction.atomic():
        for comment in comments:
            target = to_status or _status_before_deletion(comment)
            if comment.status == target:
                continue
            records.append(
                ModerationAction(
                    comment=comment,
                    moderator=moderator,
                    action=action,
                    from_status=comment.status,
                    to_status=target,
                    batch=batch,
                )
            )
            Comment.objects.filter(pk=comment.pk).update(status=target)
            statements.add(comment.statement_id)
            changed += 1
        ModerationAction.objects.bulk_create(records)
        policy.learn_from(records)
        _invalidate_pages_of(statements)
    return changed


def _status_before_deletion(comment: Comment) -> str:
    last_delete = (
        comment.moderation_actions.filter(action=Action.DELETE)
        .order_by("-created", "-pk")
        .first()
    )
    return last_delete.from_status if last_delete else Status.PENDING


def approve_comments(comments: QuerySet[Comment], *, moderator: User) -> int:
    return _change_status(
        comments.exclude(status=Status.DELETED),
        moderator=moderator,
        action=Action.APPROVE,
        to_status=Status.PUBLISHED,
    )


def mark_spam(comments: QuerySet[Comment], *, moderator: User) -> int:
    return _change_status(
        comments, moderator=moderator, action=Action.SPAM, to_status=Status.SPAM
    )


def delete_comments(comments: QuerySet[Comment], *, moderator: User) -> int:
    """Move comments to the deleted state, from which they can be restored for
    30 days; older deleted comments are removed for good at the same time."""
    changed = _change_status(
        comments, moderator=moderator, action=Action.DELETE, to_status=Status.DELETED
    )
    empty_trash()
    return changed


def empty_trash(*, older_than: dt.timedelta = TRASH_KEPT) -> int:
    """Remove for good the comments deleted more than ``older_than`` ago."""
    recent = ModerationAction.objects.filter(
        action=Action.DELETE, created__gte=timezone.now() - older_than
    ).values("comment_id")
    _, per_model = (
        Comment.objects.filter(
            status=Status.DELETED, moderation_actions__action=Action.DELETE
        )
        .exclude(pk__in=recent)
        .delete()
    )
    return per_model.get(Comment._meta.label, 0)


def undelete_comments(comments: QuerySet[Comment], *, moderator: User) -> int:
    """Restore deleted comments to the status they had before."""
    return _change_status(
        comments.filter(status=Status.DELETED),
        moderator=moderator,
        action=Action.UNDELETE,
    )
