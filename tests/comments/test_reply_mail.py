"""Mail about replies: only to confirmed addresses, only replies readers can
see, at most one mail per conversation an hour, with one-click unsubscribe."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from communique.comments import replies, reply_mail, services
from communique.comments.models import Comment, ReplySubscription
from communique.comments.reply_mail import notify_subscribers
from communique.publishing.models import Statement
from tests.factories import CommentFactory
from tests.helpers import FormClient

pytestmark = pytest.mark.django_db

ADDRESS = "nasrin@example.org"


@pytest.fixture
def own(statement):
    """The subscriber's comment."""
    return CommentFactory(statement=statement, email=ADDRESS, author_name="Nasrin")


@pytest.fixture
def subscription(own):
    subscription = replies.subscribe(comment=own, email=ADDRESS)
    replies.confirm(subscription)
    subscription.refresh_from_db()
    return subscription


def reply_to(parent, **fields):
    return CommentFactory(statement=parent.statement, parent=parent, **fields)


def an_hour_passes():
    hour = dt.timedelta(hours=1, seconds=1)
    ReplySubscription.objects.update(
        last_mailed_at=F("last_mailed_at") - hour, created=F("created") - hour
    )
    Comment.objects.update(created=F("created") - hour)


def test_a_published_reply_is_mailed_with_unsubscribe_headers(
    own, subscription, settings
):
    reply = reply_to(own, author_name="Kaveh", body_source="I see it otherwise.")
    assert notify_subscribers() == 1
    (message,) = mail.outbox
    assert message.to == [ADDRESS]
    assert message.subject == (
        f"[{settings.COMMUNIQUE_SITE_NAME}] New replies on “On the harbour”"
    )
    assert "Kaveh" in message.body
    assert "I see it otherwise." in message.body
    site = settings.COMMUNIQUE_SITE_URL.rstrip("/")
    assert site + reply.get_absolute_url() in message.body
    unsubscribe = replies.unsubscribe_url(subscription)
    assert unsubscribe in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    sent = message.message()
    assert sent["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_header_link_unsubscribes_with_one_post(own, subscription, settings):
    reply_to(own)
    notify_subscribers()
    header = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = header.removeprefix(settings.COMMUNIQUE_SITE_URL.rstrip("/"))
    response = FormClient(enforce_csrf_checks=True).post(
        path, {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not ReplySubscription.objects.exists()
    reply_to(own)
    an_hour_passes()
    assert notify_subscribers() == 0


def test_an_unconfirmed_address_gets_nothing(own):
    replies.subscribe(comment=own, email=ADDRESS)
    reply_to(own)
    an_hour_passes()
    assert notify_subscribers() == 0
    assert mail.outbox == []


def test_replies_waiting_for_a_moderator_are_not_mailed_until_approved(
    own, subscription, moderator
):
    held = reply_to(own, status="pending", body_source="Held for now.")
    reply_to(own, status="spam", body_source="Spam words.")
    assert notify_subscribers() == 0
    services.approve_comments(Comment.objects.filter(pk=held.pk), moderator=moderator)
    assert notify_subscribers() == 1
    assert "Held for now." in mail.outbox[0].body
    assert "Spam words." not in mail.outbox[0].body


def test_one_mail_an_hour_per_thread_folds_the_replies(own, subscription):
    reply_to(own, body_source="First reply.")
    assert notify_subscribers() == 1
    reply_to(own, body_source="Second reply.")
    reply_to(own, body_source="Third reply.")
    assert notify_subscribers() == 0
    assert len(mail.outbox) == 1
    an_hour_passes()
    assert notify_subscribers() == 1
    second = mail.outbox[1].body
    assert "Second reply." in second
    assert "Third reply." in second
    assert "First reply." not in second
    an_hour_passes()
    assert notify_subscribers() == 0


def test_a_late_approval_of_an_older_reply_is_mailed_still(
    own, subscription, moderator
):
    held = reply_to(own, status="pending", body_source="Older, held.")
    reply_to(own, body_source="Newer, published.")
    notify_subscribers()
    services.approve_comments(Comment.objects.filter(pk=held.pk), moderator=moderator)
    an_hour_passes()
    assert notify_subscribers() == 1
    assert "Older, held." in mail.outbox[1].body
    assert "Newer, published." not in mail.outbox[1].body


def test_each_thread_has_its_own_hour(statement, own, subscription):
    other = CommentFactory(statement=statement, email=ADDRESS)
    second = replies.subscribe(comment=other, email=ADDRESS)
    replies.confirm(second)
    reply_to(own)
    reply_to(other)
    assert notify_subscribers() == 2


def test_own_replies_and_older_comments_are_not_mailed(statement, own):
    reply_to(own, body_source="Before subscribing.")
    an_hour_passes()
    subscription = replies.subscribe(comment=own, email=ADDRESS)
    replies.confirm(subscription)
    reply_to(own, email=ADDRESS.upper(), body_source="My own answer.")
    CommentFactory(statement=statement, body_source="Another thread.")
    assert notify_subscribers() == 0


def test_hidden_comments_are_not_mailed(own, subscription):
    reply_to(own)
    Statement.objects.update(commenting=Statement.Commenting.HIDDEN)
    assert notify_subscribers() == 0


def test_a_failed_mail_is_tried_again(own, subscription, monkeypatch):
    reply_to(own, body_source="Waiting reply.")

    def refuse(self, *args, **kwargs):
        raise OSError("mail server away")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMessage.send", refuse)
        assert notify_subscribers() == 0
    subscription.refresh_from_db()
    assert subscription.last_mailed_at is None
    assert notify_subscribers() == 1
    assert "Waiting reply." in mail.outbox[0].body


def test_two_runs_at_once_send_one_mail(own, subscription):
    reply_to(own)
    stale = ReplySubscription.objects.get()
    assert notify_subscribers() == 1
    # A second process that read the row before the first claimed it.
    assert reply_mail._claim(stale, timezone.now()) == []


def test_the_mail_is_in_the_subscribers_language(own):
    subscription = replies.subscribe(comment=own, email=ADDRESS, language="fa")
    replies.confirm(subscription)
    reply_to(own)
    notify_subscribers()
    assert "On the harbour" in mail.outbox[0].subject
    # Dates at least are written as Persian readers write them.
    assert re.search(r"[\u0600-\u06ff]", mail.outbox[0].body)


def test_the_confirmation_link_in_the_mail_confirms(
    client, own, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        replies.subscribe(comment=own, email=ADDRESS)
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.removeprefix(settings.COMMUNIQUE_SITE_URL.rstrip("/"))
    assert path.startswith(reverse("comments:replies_confirm", args=["x"])[:-2])
    assert client.post(path).status_code == 200
    assert ReplySubscription.objects.get().confirmed_at is not None
