"""Mail to moderators about comments waiting for them, at most one per window."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import ngettext

from communique.comments.controls import one_line
from communique.syndication import absolute_url

logger = logging.getLogger(__name__)
MAX_LISTED = 20


def moderators():
    """Active users with an e-mail address who may moderate comments."""
    permission = Permission.objects.get(
        content_type__app_label="comments", codename="moderate_comments"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions=permission)
            | Q(groups__permissions=permission)
        )
        .distinct()
    )


def notify_moderators() -> int:
    """Mail each moderator whose quiet window has passed. Returns mails sent.

    A mail lists the comments that arrived since that moderator's last mail;
    comments arriving within the window wait for the next one, and are in the
    moderation queue meanwhile.
    """
    window = dt.timedelta(minutes=settings.COMMUNIQUE_COMMENTS_NOTIFY_MINUTES)
    now = timezone.now()
    sent = 0
    for moderator in moderators():
        claimed = _claim(moderator, now, window)
        if claimed is None:
            continue
        waiting, previous = claimed
        if _send(moderator, waiting):
            sent += 1
        else:  # tried again with the next comment or `communique notify`
            _release(moderator, now, previous)
    return sent


def _claim(
    moderator, now: dt.datetime, window: dt.timedelta
) -> tuple[list, dt.datetime | None] | None:
    """Take the mail due to ``moderator`` at ``now``, if any: the comments it
    lists, and when the mail before it went.

    Only the claim is a transaction. The mail is sent after it commits, so a
    slow mail server holds no lock: on SQLite, a write transaction left open
    while mailing would hold back every comment being posted.
    """
    from communique.comments.models import Comment, ModeratorNotification

    with transaction.atomic():
        record = (
            ModeratorNotification.objects.select_for_update()
            .filter(moderator=moderator)
            .first()
        )
        previous = record.last_sent_at if record is not None else None
        if previous is not None and now - previous < window:
            return None
        waiting = Comment.objects.pending().select_related("statement")
        if previous is not None:
            waiting = waiting.filter(created__gt=previous)
        waiting = list(waiting.order_by("created")[: MAX_LISTED + 1])
        if not waiting:
            return None
        ModeratorNotification.objects.update_or_create(
            moderator=moderator, defaults={"last_sent_at": now}
        )
    return waiting, previous


def _release(moderator, claimed_at: dt.datetime, previous: dt.datetime | None) -> None:
    """Give back a claim whose mail failed, unless a newer one replaced it."""
    from communique.comments.models import ModeratorNotification

    claim = ModeratorNotification.objects.filter(
        moderator=moderator, last_sent_at=claimed_at
    )
    if previous is None:
        claim.delete()
    else:
        claim.update(last_sent_at=previous)


def _send(moderator, waiting: list) -> bool:
    # In the site's language, not that of the reader whose comment set it off.
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _compose(moderator, waiting)
    try:
        send_mail(
            # No reader's value is in the subject; one_line keeps a header
            # one line whatever the site's name or a translation holds.
            one_line(f"[{settings.COMMUNIQUE_SITE_NAME}] {subject}"),
            body,
            None,
            [moderator.email],
        )
    except OSError:
        logger.exception("Could not mail moderator %s", moderator.pk)
        return False
    return True


def _compose(moderator, waiting: list) -> tuple[str, str]:
    """The subject and body of the mail listing ``waiting`` to ``moderator``."""
    subject = ngettext(
        "A comment is waiting for moderation",
        "Comments are waiting for moderation",
        len(waiting),
    )
    queue_url = absolute_url(reverse("comments:moderation"))
    listed = waiting[:MAX_LISTED]
    for comment in listed:
        # The queue showing that one comment, whatever its tab and page.
        comment.moderation_url = f"{queue_url}?{urlencode({'comment': comment.pk})}"
    body = render_to_string(
        "comments/moderator_mail.txt",
        {
            "moderator": moderator,
            "comments": listed,
            "more": len(waiting) > MAX_LISTED,
            "queue_url": queue_url,
            "site_name": settings.COMMUNIQUE_SITE_NAME,
        },
    )
    return subject, body
