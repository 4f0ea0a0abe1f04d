"""Undoing a moderator's last action: the comments that one click or one bulk
form changed go back to the status each had before.

The actions that one call of a status-changing service records share a batch
(``ModerationAction.batch``). Undoing a batch records an "undo" action per
comment under the same batch, which is how a batch is known to be undone; the
next undo takes the batch before it. A comment that someone changed again
since is left as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Exists, OuterRef

from communique.comments.models import Comment, ModerationAction
from communique.comments.services import _invalidate_pages_of

if TYPE_CHECKING:
    from communique.accounts.models import User

Action = ModerationAction.Action
UNDOABLE = (Action.APPROVE, Action.SPAM, Action.DELETE, Action.UNDELETE)


def last_undoable(moderator: User) -> ModerationAction | None:
    """The newest status change by ``moderator`` not undone yet."""
    undone = ModerationAction.objects.filter(
        action=Action.UNDO, batch=OuterRef("batch")
    )
    return (
        ModerationAction.objects.filter(
            moderator=moderator, action__in=UNDOABLE, batch__isnull=False
        )
        .exclude(Exists(undone))
        .select_related("comment")
        .order_by("-created", "-pk")
        .first()
    )


def undo_last_action(*, moderator: User) -> tuple[str, int] | None:
    """Put back the comments of ``moderator``'s last status change.

    Returns the action undone and the number of comments put back, or None
    when there is nothing to undo.
    """
    with transaction.atomic():
        last = last_undoable(moderator)
        if last is None:
            return None
        done = list(
            ModerationAction.objects.filter(
                batch=last.batch, action__in=UNDOABLE
            ).select_related("comment")
        )
        records, statements, put_back = [], set(), 0
        for action in done:
            # Only a comment still as the action left it goes back; the
            # update's condition holds under concurrent undos too.
            back = Comment.objects.filter(
                pk=action.comment_id, status=action.to_status
            ).update(status=action.from_status)
            if back:
                put_back += 1
                statements.add(action.comment.statement_id)
                records.append(
                    ModerationAction(
                        comment_id=action.comment_id,
                        moderator=moderator,
                        action=Action.UNDO,
                        from_status=action.to_status,
                        to_status=action.from_status,
                        batch=last.batch,
                    )
                )
        if not records:  # all changed since: the batch still counts as undone
            records.append(
                ModerationAction(
                    comment_id=last.comment_id,
                    moderator=moderator,
                    action=Action.UNDO,
                    from_status=last.comment.status,
                    to_status=last.comment.status,
                    batch=last.batch,
                )
            )
        ModerationAction.objects.bulk_create(records)
        _invalidate_pages_of(statements)
    return last.action, put_back
