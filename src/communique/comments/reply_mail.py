"""Mail to confirmed subscribers about replies in their threads, at most one
per thread and address per ``INTERVAL`` (``communique notify`` sends them).

A reply is mailed when readers can see it: published at once or approved by
a moderator, under a statement that shows its comments. Replies that arrive
within the interval wait and come together in the next mail. Each reply is
mailed once to each subscription (``ReplySubscription.mailed``), however
late it was approved; the subscriber's own comments and those older than the
subscription are not mailed.

Several servers may run ``communique notify`` at once: a mail is claimed by
moving ``last_mailed_at`` from the value read to now, which one of them
alone can do; the mail is sent after the claim commits, and a failed mail
gives its claim back.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communique.comments import replies
from communique.comments.controls import one_line
from communique.comments.models import Comment, ReplySubscription

logger = logging.getLogger(__name__)
INTERVAL = dt.timedelta(hours=1)
MAX_LISTED = 20


def due_replies(subscription: ReplySubscription) -> list[Comment]:
    """The replies readers can see in the subscription's thread that it has
    not been mailed yet, oldest first."""
    return list(
        Comment.objects.shown_to_readers()
        .filter(thread_id=subscription.thread_id, created__gt=subscription.created)
        .exclude(email__iexact=subscription.email)
        .exclude(pk__in=subscription.mailed.values("pk"))
        .order_by("created", "pk")[:MAX_LISTED]
    )


def notify_subscribers(*, now: dt.datetime | None = None) -> int:
    """Send each mail that is due; returns how many were sent."""
    now = now or timezone.now()
    waiting = ReplySubscription.objects.filter(confirmed_at__isnull=False).filter(
        Q(last_mailed_at__isnull=True) | Q(last_mailed_at__lte=now - INTERVAL)
    )
    sent = 0
    for subscription in waiting.select_related("thread__statement"):
        claimed = _claim(subscription, now)
        if claimed and _send(subscription, claimed):
            sent += 1
        elif claimed:
            _release(subscription, now, claimed)
    return sent


def _claim(subscription: ReplySubscription, now: dt.datetime) -> list[Comment]:
    """The replies of the mail due now, claimed; [] when none is due or
    another process claimed it."""
    previous = subscription.last_mailed_at
    with transaction.atomic():
        due = due_replies(subscription)
        if not due:
            return []
        won = (
            ReplySubscription.objects.filter(
                pk=subscription.pk, last_mailed_at=previous
            )
            if previous is not None
            else ReplySubscription.objects.filter(
                pk=subscription.pk, last_mailed_at__isnull=True
            )
        )
        if not won.update(last_mailed_at=now):
            return []
        subscription.mailed.add(*due)
    return due


def _release(
    subscription: ReplySubscription, claimed_at: dt.datetime, due: list[Comment]
) -> None:
    with transaction.atomic():
        ReplySubscription.objects.filter(
            pk=subscription.pk, last_mailed_at=claimed_at
        ).update(last_mailed_at=subscription.last_mailed_at)
        subscription.mailed.remove(*due)


def _send(subscription: ReplySubscription, due: list[Comment]) -> bool:
    unsubscribe_url = replies.unsubscribe_url(subscription)
    statement = subscription.thread.statement
    with translation.override(subscription.language or settings.LANGUAGE_CODE):
        subject = one_line(
            f"[{settings.COMMUNIQUE_SITE_NAME}] "
            + _("New replies on “%(title)s”") % {"title": statement.title}
        )
        body = render_to_string(
            "comments/reply_mail.txt",
            {
                "replies": [(reply, _address(reply)) for reply in due],
                "title": statement.title,
                "unsubscribe_url": unsubscribe_url,
                "site_name": settings.COMMUNIQUE_SITE_NAME,
            },
        )
    message = EmailMessage(
        subject,
        body,
        None,
        [subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    try:
        message.send()
    except OSError:
        logger.exception("Could not mail subscription %s", subscription.pk)
        return False
    return True


def _address(reply: Comment) -> str:
    return settings.COMMUNIQUE_SITE_URL.rstrip("/") + reply.get_absolute_url()
