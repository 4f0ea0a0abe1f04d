"""Readers asking to be mailed when someone replies: subscribing, confirming
and unsubscribing (the mails of replies themselves: ``reply_mail``).

The lifecycle. A reader ticks "E-mail me when someone replies" with an
address: ``subscribe`` keeps the address for the comment's thread (one row
per address and thread) and mails a link to confirm it (double opt-in). The
link carries a signed token that expires after ``CONFIRM_DAYS``; following it
shows a button, and pressing that (a POST: mail scanners fetch links, they
do not press buttons) confirms. Only confirmed addresses get mail. Every
mail carries a signed unsubscribe link, which does not expire; a POST to it,
from the page's button or from the mail program (RFC 8058 one-click, without
login or CSRF token: the signature is the proof), deletes the subscription
and removes the address from the subscriber's comments in that thread.
Unconfirmed rows older than ``CONFIRM_DAYS`` are deleted by
``communique notify``.

A token names the subscription and a keyed digest of its address, never the
address itself: the address is not in any link, log or browser history, and
a token cannot act on a later row that reuses the id for another address.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from communique.comments.controls import one_line
from communique.comments.models import Comment, ReplySubscription

logger = logging.getLogger(__name__)
CONFIRM_DAYS = 7
CONFIRM_SALT = "communique.comments.replies.confirm"
UNSUBSCRIBE_SALT = "communique.comments.replies.unsubscribe"


class BadToken(Exception):
    """A link that was altered, cut short, or never ours."""


class ExpiredToken(BadToken):
    """A confirmation link older than ``CONFIRM_DAYS``."""


class Gone(Exception):
    """A valid link to a subscription that no longer exists."""


def _address_digest(email: str) -> str:
    return salted_hmac(
        "communique.comments.replies.address", email.lower()
    ).hexdigest()[:16]


def confirm_token(subscription: ReplySubscription) -> str:
    payload = [subscription.pk, _address_digest(subscription.email)]
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=False)


def unsubscribe_token(subscription: ReplySubscription) -> str:
    payload = [subscription.pk, _address_digest(subscription.email)]
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(payload)


def _site_url(path: str) -> str:
    return settings.COMMUNIQUE_SITE_URL.rstrip("/") + path


def confirm_url(subscription: ReplySubscription) -> str:
    return _site_url(
        reverse("comments:replies_confirm", args=[confirm_token(subscription)])
    )


def unsubscribe_url(subscription: ReplySubscription) -> str:
    token = unsubscribe_token(subscription)
    return _site_url(reverse("comments:replies_unsubscribe", args=[token]))


def _subscription_of(payload: object) -> ReplySubscription:
    if not (isinstance(payload, list) and len(payload) == 2):
        raise BadToken
    pk, digest = payload
    if not isinstance(pk, int) or not isinstance(digest, str):
        raise BadToken
    subscription = ReplySubscription.objects.filter(pk=pk).first()
    if subscription is None or not constant_time_compare(
        digest, _address_digest(subscription.email)
    ):
        raise Gone
    return subscription


def subscription_to_confirm(token: str) -> ReplySubscription:
    """The subscription a confirmation link names. Raises ExpiredToken,
    BadToken or Gone."""
    max_age = dt.timedelta(days=CONFIRM_DAYS)
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired as expired:
        raise ExpiredToken from expired
    except signing.BadSignature as bad:
        raise BadToken from bad
    return _subscription_of(payload)


def subscription_to_end(token: str) -> ReplySubscription:
    """The subscription an unsubscribe link names. Raises BadToken or Gone."""
    try:
        payload = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError) as bad:
        raise BadToken from bad
    return _subscription_of(payload)


def subscribe(*, comment: Comment, email: str, language: str = "") -> ReplySubscription:
    """Keep ``email`` for replies in ``comment``'s thread, and mail it a link
    to confirm unless it is confirmed already. Call once the comment is saved
    (its thread is set)."""
    thread_id = comment.thread_id or comment.pk
    with transaction.atomic():
        subscription = ReplySubscription.objects.filter(
            thread_id=thread_id, email__iexact=email
        ).first()
        if subscription is None:
            subscription = ReplySubscription.objects.create(
                thread_id=thread_id, email=email, language=language
            )
        if subscription.confirmed_at is None:
            pk = subscription.pk
            transaction.on_commit(lambda: send_confirmation(pk), robust=True)
    return subscription


def send_confirmation(pk: int) -> bool:
    """Mail the confirmation link; a failure is logged (the reader posts
    again, or the subscription expires)."""
    subscription = (
        ReplySubscription.objects.filter(pk=pk, confirmed_at__isnull=True)
        .select_related("thread__statement")
        .first()
    )
    if subscription is None:
        return False
    with translation.override(subscription.language or settings.LANGUAGE_CODE):
        subject = one_line(
            f"[{settings.COMMUNIQUE_SITE_NAME}] "
            + _("Confirm that you want to be told of replies")
        )
        body = render_to_string(
            "comments/reply_confirm_mail.txt",
            {
                "title": subscription.thread.statement.title,
                "confirm_url": confirm_url(subscription),
                "days": CONFIRM_DAYS,
                "site_name": settings.COMMUNIQUE_SITE_NAME,
            },
        )
    try:
        EmailMessage(subject, body, None, [subscription.email]).send()
    except OSError:
        logger.exception("Could not mail the confirmation of subscription %s", pk)
        return False
    return True


def confirm(subscription: ReplySubscription) -> None:
    ReplySubscription.objects.filter(
        pk=subscription.pk, confirmed_at__isnull=True
    ).update(confirmed_at=timezone.now())


def unsubscribe(subscription: ReplySubscription) -> None:
    """Forget the subscription and its address, in the thread's comments too."""
    with transaction.atomic():
        Comment.objects.filter(
            thread_id=subscription.thread_id, email__iexact=subscription.email
        ).update(email="")
        subscription.delete()


def forget_unconfirmed() -> int:
    """Delete the subscriptions nobody confirmed in time; how many."""
    since = timezone.now() - dt.timedelta(days=CONFIRM_DAYS)
    _, per_model = ReplySubscription.objects.filter(
        confirmed_at__isnull=True, created__lt=since
    ).delete()
    return per_model.get(ReplySubscription._meta.label, 0)
