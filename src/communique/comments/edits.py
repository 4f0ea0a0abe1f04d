"""Edits of comments: who may edit, a moderator's edit applied at once, a
commenter's screened like a new comment and held for review when a rule or
the site's moderation says so, and moderators' decisions on held edits."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from communique.antispam import rules
from communique.comments.models import (
    Comment,
    CommentRevision,
    ModerationAction,
    PendingEdit,
    subject_from,
)
from communique.comments.services import (
    Action,
    Status,
    _invalidate_pages_of,
    _verdict,
    initial_status,
)
from communique.comments.signals import comment_text_saved

if TYPE_CHECKING:
    from communique.accounts.models import User


def can_edit(comment: Comment, user: User) -> bool:
    """Moderators edit any comment; authors their own, for a while."""
    if not user.is_authenticated:
        return False
    if user.has_perm("comments.moderate_comments"):
        return True
    if comment.user_id != user.pk or comment.status == Status.DELETED:
        return False
    window = dt.timedelta(minutes=settings.COMMUNIQUE_COMMENTS_EDIT_MINUTES)
    return timezone.now() - comment.created <= window


def is_trusted_editor(editor: User) -> bool:
    """A moderator's edit is applied as it stands: moderators are who would
    review it. Everyone else's edit is screened like a new comment."""
    return editor.has_perm("comments.moderate_comments")


def _apply_edit(
    comment: Comment, *, subject: str, body: str, written_by: User | None
) -> None:
    """Give ``comment`` a new text, keeping the old one as a revision. Call
    inside a transaction."""
    CommentRevision.objects.create(
        comment=comment,
        subject=comment.subject,
        body_source=comment.body_source,
        replaced_by=written_by,
    )
    comment.subject = subject or subject_from(body)
    comment.body_source = body
    comment.render_body()
    comment.edited = timezone.now()
    comment.save(
        update_fields=["subject", "body_source", *Comment.DERIVED_FIELDS, "edited"]
    )
    comment_text_saved.send(sender=Comment, comments=[comment])
    _invalidate_pages_of([comment.statement_id])


def edit_comment(*, comment: Comment, subject: str, body: str, editor: User) -> Comment:
    """Change a comment's text at once, keeping what it said before.

    No spam rule looks at it: this is for moderators' edits and scripts.
    Commenters' edits go through ``submit_edit``. An edit waiting for review
    is dropped: the newer text wins.
    """
    with transaction.atomic():
        _apply_edit(comment, subject=subject, body=body, written_by=editor)
        PendingEdit.objects.filter(comment=comment).delete()
        if editor.pk != comment.user_id:
            ModerationAction.objects.create(
                comment=comment,
                moderator=editor,
                action=Action.EDIT,
                from_status=comment.status,
                to_status=comment.status,
            )
    return comment


def _hold_reason(comment: Comment, editor: User, verdict: rules.Verdict) -> str:
    """Why an edit of a published comment waits for a moderator; "" if not."""
    if verdict.action in (rules.Action.HOLD, rules.Action.SPAM):
        return verdict.reason or verdict.action.value
    if initial_status(editor, statement=comment.statement) == Status.PENDING:
        return "approval"
    return ""


def submit_edit(
    *,
    comment: Comment,
    subject: str,
    body: str,
    editor: User,
    fingerprint: str,
) -> PendingEdit | None:
    """A commenter's (or a moderator's) edit: applied, or held for review.

    A moderator's edit is applied at once (``edit_comment``). Anyone else's
    passes the spam rules as a new comment would, from the same client and
    counted against the same rate limits; it is no duplicate of itself.
    Raises Refused when a rule refuses it. An edit of a published comment
    that a rule would hold or mark as spam, or whose author's new comments
    wait for approval, is held: readers keep seeing the approved text, and
    the held edit (returned) waits in the moderation queue, replacing any
    earlier one. Edits of comments readers do not see (pending, spam) are
    applied, since a moderator reads them before anyone else does.
    """
    if is_trusted_editor(editor):
        edit_comment(comment=comment, subject=subject, body=body, editor=editor)
        return None
    proposed = Comment(
        pk=comment.pk,
        statement_id=comment.statement_id,
        author_name=comment.author_name,
        email=comment.email,
        homepage=comment.homepage,
        subject=subject or subject_from(body),
        body_source=body,
    )
    proposed.render_body()
    verdict = _verdict(proposed, fingerprint=fingerprint)
    reason = _hold_reason(comment, editor, verdict) if comment.is_published else ""
    if not reason:
        edit_comment(comment=comment, subject=subject, body=body, editor=editor)
        return None
    with transaction.atomic():
        held, _ = PendingEdit.objects.update_or_create(
            comment=comment,
            defaults={
                "subject": subject,
                "body_source": body,
                "body_html": proposed.body_html,
                "editor": editor,
                "reason": reason,
                "proposed_at": timezone.now(),
            },
        )
    return held


def approve_edit(edit: PendingEdit, *, moderator: User) -> bool:
    """Publish a held edit; the approved text it replaces is kept as a
    revision. False when another moderator decided on it first."""
    with transaction.atomic():
        taken, _ = PendingEdit.objects.filter(pk=edit.pk).delete()
        if not taken:
            return False
        comment = edit.comment
        _apply_edit(
            comment, subject=edit.subject, body=edit.body_source, written_by=edit.editor
        )
        _record_edit_decision(comment, moderator=moderator, action=Action.APPROVE_EDIT)
    return True


def reject_edit(edit: PendingEdit, *, moderator: User) -> bool:
    """Drop a held edit; the comment keeps its approved text. False when
    another moderator decided on it first."""
    with transaction.atomic():
        taken, _ = PendingEdit.objects.filter(pk=edit.pk).delete()
        if not taken:
            return False
        _record_edit_decision(
            edit.comment, moderator=moderator, action=Action.REJECT_EDIT
        )
    return True


def _record_edit_decision(comment: Comment, *, moderator: User, action: str) -> None:
    ModerationAction.objects.create(
        comment=comment,
        moderator=moderator,
        action=action,
        from_status=comment.status,
        to_status=comment.status,
    )
