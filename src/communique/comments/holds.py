"""Why a comment was held for a moderator: the reasons stored on it when it
was posted (``Comment.held_because``), and how the queue words them.

A reason is a short code: a spam rule's reason for a hold
(``antispam.rules``), "approval" when the site holds every comment, and
"first_comment" when the client had posted nothing before. Codes, not
sentences, are stored, so that the queue says them in the moderator's
language and with the site's current settings.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communique.antispam import rules
from communique.antispam import services as antispam

APPROVAL = "approval"
FIRST_COMMENT = "first_comment"


def reasons(
    *, verdict: rules.Verdict, before: str, after: str, first_comment: bool
) -> list[str]:
    """The codes to store on a comment whose status was ``before`` the spam
    rules' ``verdict`` and is ``after`` it: none unless it waits for a
    moderator."""
    if after != "pending":
        return []
    found = []
    if verdict.action is rules.Action.HOLD and verdict.reason:
        found.append(verdict.reason)
    if before == "pending":
        found.append(APPROVAL)
    if first_comment:
        found.append(FIRST_COMMENT)
    return found


def label(code: str) -> str:
    """One reason, as the moderation queue says it."""
    if code == "links":
        limit = settings.COMMUNIQUE_ANTISPAM_LINKS_TO_HOLD
        return ngettext(
            "more than %(count)d link", "more than %(count)d links", limit
        ) % {"count": limit}
    if code == "blocked_term":
        return _("a blocked term")
    if code == APPROVAL:
        return _("every comment waits for approval")
    if code == FIRST_COMMENT:
        return _("the client's first comment")
    return str(antispam.REASON_LABELS.get(code, code))


def labels(codes: list[str]) -> list[str]:
    return [label(code) for code in codes]
