"""Whether a new comment waits for a moderator, and what moderators' decisions
teach the trust rule (``antispam.trust``).

A comment is published at once when its author may skip approval, when its
statement is moderated after publishing (``Statement.moderation``, else the
site's ``COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL``), or when its client earned
trust. Either way the spam rules come after this and may still hold it
(``services.post_comment``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from communique.antispam import trust
from communique.comments.models import Comment, ModerationAction

if TYPE_CHECKING:
    from communique.accounts.models import User
    from communique.publishing.models import Statement


def waits_for_approval(
    *, statement: Statement, user: User | None, fingerprint: str
) -> bool:
    if user is not None and user.has_perm("comments.skip_approval"):
        return False
    if not statement.moderates_before_publishing:
        return False
    return not trust.is_trusted(fingerprint)


def learn_from(decisions: Iterable[ModerationAction]) -> None:
    """Count moderators' approvals towards their clients' trust; a comment
    marked as spam loses its client's. Call inside the decisions' transaction."""
    approved, spam = [], []
    for decision in decisions:
        if (
            decision.to_status == Comment.Status.PUBLISHED
            and decision.action == ModerationAction.Action.APPROVE
        ):
            approved.append(decision.comment.fingerprint)
        elif decision.to_status == Comment.Status.SPAM:
            spam.append(decision.comment.fingerprint)
    trust.lose_trust(spam)
    trust.count_approvals(f for f in approved if f not in set(spam))
