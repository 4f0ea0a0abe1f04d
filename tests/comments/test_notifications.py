import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.db.models import F
from django.urls import reverse

from communique.comments import notifications
from communique.comments.models import Comment, ModeratorNotification
from communique.comments.notifications import notify_moderators
from tests.factories import CommentFactory, EditorFactory, ModeratorFactory, UserFactory
from tests.mail_backends import TransactionNoting

pytestmark = pytest.mark.django_db


def pending(**fields):
    return CommentFactory(status="pending", **fields)


def time_passes(minutes):
    """Move every recorded moment back, as if ``minutes`` had gone by."""
    delta = dt.timedelta(minutes=minutes)
    ModeratorNotification.objects.update(last_sent_at=F("last_sent_at") - delta)
    Comment.objects.update(created=F("created") - delta)


def test_one_mail_lists_every_waiting_comment(moderator, statement, settings):
    pending(statement=statement, author_name="Kaveh", body_source="Kaveh's words.")
    pending(statement=statement, author_name="Leyla", body_source="Leyla's words.")
    CommentFactory(statement=statement, author_name="Published Person")
    assert notify_moderators() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [moderator.email]
    assert message.subject == (
        f"[{settings.COMMUNIQUE_SITE_NAME}] Comments are waiting for moderation"
    )
    assert "moderation" in message.subject
    assert f"Hello {moderator.username}," in message.body
    for text in ("Kaveh", "Kaveh's words.", "Leyla", "Leyla's words."):
        assert text in message.body
    assert '"On the harbour"' in message.body
    assert "Published Person" not in message.body
    queue_url = settings.COMMUNIQUE_SITE_URL.rstrip("/") + reverse(
        "comments:moderation"
    )
    assert queue_url in message.body
    assert "&#x27;" not in message.body


def test_one_comment_has_a_singular_subject(moderator, settings):
    pending()
    notify_moderators()
    assert mail.outbox[0].subject == (
        f"[{settings.COMMUNIQUE_SITE_NAME}] A comment is waiting for moderation"
    )


def test_no_second_mail_within_the_window(moderator):
    pending()
    pending()
    assert notify_moderators() == 1
    assert notify_moderators() == 0
    pending()
    assert notify_moderators() == 0
    assert len(mail.outbox) == 1


def test_after_the_window_a_new_mail_lists_only_newer_comments(moderator, settings):
    settings.COMMUNIQUE_COMMENTS_NOTIFY_MINUTES = 10
    pending(author_name="Kaveh")
    pending(author_name="Leyla")
    notify_moderators()
    time_passes(minutes=11)
    pending(author_name="Mahsa")
    assert notify_moderators() == 1
    assert len(mail.outbox) == 2
    second = mail.outbox[1].body
    assert "Mahsa" in second
    assert "Kaveh" not in second
    assert "Leyla" not in second


def test_comments_held_back_by_the_window_come_in_the_next_mail(moderator):
    pending(author_name="Kaveh")
    notify_moderators()
    pending(author_name="Leyla")
    assert notify_moderators() == 0
    time_passes(minutes=11)
    pending(author_name="Mahsa")
    notify_moderators()
    second = mail.outbox[1].body
    assert "Leyla" in second
    assert "Mahsa" in second
    assert "Kaveh" not in second


@pytest.mark.parametrize(
    ("window", "minutes", "sent"), [(10, 9, 0), (10, 11, 1), (3, 4, 1)]
)
def test_window_comes_from_the_settings(moderator, settings, window, minutes, sent):
    settings.COMMUNIQUE_COMMENTS_NOTIFY_MINUTES = window
    pending()
    notify_moderators()
    time_passes(minutes=minutes)
    pending()
    assert notify_moderators() == sent


def test_nothing_waiting_sends_nothing_and_records_nothing(moderator):
    CommentFactory(status="published")
    CommentFactory(status="spam")
    CommentFactory(status="deleted")
    assert notify_moderators() == 0
    assert mail.outbox == []
    assert not ModeratorNotification.objects.exists()


def test_long_lists_are_cut_short(moderator):
    for n in range(notifications.MAX_LISTED + 1):
        pending(author_name=f"Reader number {n:02d}")
    notify_moderators()
    body = mail.outbox[0].body
    assert body.count("Reader number") == notifications.MAX_LISTED
    assert "Reader number 00" in body
    assert f"Reader number {notifications.MAX_LISTED:02d}" not in body
    assert "…and more." in body


def test_each_moderator_gets_an_own_mail(moderator):
    other = ModeratorFactory()
    pending()
    assert notify_moderators() == 2
    assert sorted(message.to for message in mail.outbox) == sorted(
        [[moderator.email], [other.email]]
    )


@pytest.mark.parametrize("fields", [{"email": ""}, {"is_active": False}])
def test_moderators_without_address_or_account_get_nothing(fields):
    ModeratorFactory(**fields)
    pending()
    assert notify_moderators() == 0
    assert mail.outbox == []
    assert not ModeratorNotification.objects.exists()


def test_superuser_with_an_address_is_a_moderator():
    UserFactory(is_superuser=True, email="root@example.org")
    pending()
    assert notify_moderators() == 1
    assert mail.outbox[0].to == ["root@example.org"]


def test_user_given_the_permission_directly_is_a_moderator():
    user = UserFactory(email="direct@example.org")
    user.user_permissions.add(Permission.objects.get(codename="moderate_comments"))
    pending()
    notify_moderators()
    assert [message.to for message in mail.outbox] == [["direct@example.org"]]


@pytest.mark.parametrize("role", ["editor", "reader", "superuser without address"])
def test_others_get_nothing(role):
    if role == "editor":
        EditorFactory(email="editor@example.org")
    elif role == "reader":
        UserFactory(email="reader@example.org")
    else:
        UserFactory(is_superuser=True, email="")
    pending()
    assert notify_moderators() == 0
    assert mail.outbox == []


def refuse_mail(*args, **kwargs):
    raise ConnectionRefusedError("no mail server")


def test_a_failed_mail_is_logged_and_not_counted(moderator, monkeypatch, caplog):
    pending()
    monkeypatch.setattr(notifications, "send_mail", refuse_mail)
    assert notify_moderators() == 0
    assert f"Could not mail moderator {moderator.pk}" in caplog.text


def test_a_failed_mail_is_tried_again(moderator, monkeypatch):
    pending(author_name="Kaveh")
    with monkeypatch.context() as patch:
        patch.setattr(notifications, "send_mail", refuse_mail)
        notify_moderators()
    notify_moderators()
    assert len(mail.outbox) == 1
    assert "Kaveh" in mail.outbox[0].body


def test_a_failed_mail_keeps_the_window_of_the_mail_before(moderator, monkeypatch):
    pending(author_name="Kaveh")
    notify_moderators()
    time_passes(60)
    pending(author_name="Leyla")
    with monkeypatch.context() as patch:
        patch.setattr(notifications, "send_mail", refuse_mail)
        notify_moderators()
    assert notify_moderators() == 1
    assert "Leyla" in mail.outbox[1].body
    assert "Kaveh" not in mail.outbox[1].body


def test_mail_is_sent_with_no_transaction_of_its_own_open(moderator, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.TransactionNoting"
    TransactionNoting.open_transactions.clear()
    pending()
    around = len(connection.atomic_blocks)  # the test's own
    assert notify_moderators() == 1
    assert TransactionNoting.open_transactions == [around]


def post_anonymously(client, statement, name):
    data = {"author_name": name, "body": f"Words of {name}.", "op": "save"}
    response = client.post(reverse("comments:post", args=[statement.pk]), data)
    assert response.status_code == 302


def test_two_comments_posted_within_a_minute_make_one_mail(
    client, statement, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post_anonymously(client, statement, "Kaveh")
        post_anonymously(client, statement, "Leyla")
    assert len(callbacks) == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [moderator.email]


def test_comments_posted_one_after_the_other_make_one_mail(
    client, statement, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_anonymously(client, statement, "Kaveh")
    with django_capture_on_commit_callbacks(execute=True):
        post_anonymously(client, statement, "Leyla")
    assert len(mail.outbox) == 1
    assert "Kaveh" in mail.outbox[0].body
    assert "Leyla" not in mail.outbox[0].body


def test_published_comments_mail_nobody(
    client, statement, moderator, settings, django_capture_on_commit_callbacks
):
    settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = False
    with django_capture_on_commit_callbacks(execute=True):
        post_anonymously(client, statement, "Kaveh")
    assert mail.outbox == []
