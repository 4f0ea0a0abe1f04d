"""Asking to be mailed about replies: the checkbox, double opt-in, tokens,
and unsubscribing."""

import datetime as dt
import io
import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from communique.comments import replies
from communique.comments.models import Comment, ReplySubscription
from tests.factories import CommentFactory, UserFactory
from tests.helpers import comment_form_data, comment_post_url, soup_of

pytestmark = pytest.mark.django_db

ADDRESS = "nasrin@example.org"


def post_asking_for_replies(client, statement, capture, **overrides):
    data = comment_form_data(notify_replies="on", **overrides)
    with capture(execute=True):
        return client.post(comment_post_url(statement), data)


def link_in(message, name):
    """The path of the link to ``name`` (a URL name) in a mail."""
    prefix = reverse(name, args=["TOKEN"]).removesuffix("TOKEN/")
    match = re.search(re.escape(prefix) + r"[^\s/]+/", message.body)
    assert match, message.body
    return match.group(0)


@pytest.fixture
def subscription(statement):
    comment = CommentFactory(statement=statement, email=ADDRESS)
    return replies.subscribe(comment=comment, email=ADDRESS)


def test_the_form_has_the_checkbox_after_the_address(client, statement):
    form = soup_of(client.get(statement.get_absolute_url())).find(id="comment-form")
    box = form.find("input", attrs={"name": "notify_replies"})
    assert box["type"] == "checkbox"
    assert not box.has_attr("checked")
    label = form.find("label", attrs={"for": box["id"]})
    assert label.get_text() == "E-mail me when someone replies"
    names = [field["name"] for field in form.select(".field input")]
    assert names.index("notify_replies") == names.index("email") + 1


def test_ticking_the_box_mails_a_confirmation_only(
    client, statement, django_capture_on_commit_callbacks
):
    response = post_asking_for_replies(
        client, statement, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    subscription = ReplySubscription.objects.get()
    assert subscription.email == ADDRESS
    assert subscription.thread_id == comment.pk
    assert subscription.confirmed_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ADDRESS]
    assert "Confirm" in message.subject
    assert "On the harbour" in message.body
    assert link_in(message, "comments:replies_confirm")
    page = client.get(response["Location"]).text
    assert "open the link in the mail we sent you" in page


def test_the_address_is_never_on_the_public_page(
    client, statement, django_capture_on_commit_callbacks, settings
):
    settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = False
    post_asking_for_replies(client, statement, django_capture_on_commit_callbacks)
    assert Comment.objects.get().status == "published"
    assert ADDRESS not in client.get(statement.get_absolute_url()).text
    assert ADDRESS not in link_in(mail.outbox[0], "comments:replies_confirm")


def test_without_the_box_nothing_is_kept_or_mailed(
    client, statement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(comment_post_url(statement), comment_form_data())
    assert not ReplySubscription.objects.exists()
    assert mail.outbox == []


def test_the_box_without_an_address_is_refused_with_the_text_kept(client, statement):
    data = comment_form_data(notify_replies="on", email="", body="Kept words.")
    response = client.post(comment_post_url(statement), data)
    assert response.status_code == 400
    page = soup_of(response)
    assert "Give your e-mail address to be told of replies." in page.text
    assert page.find("input", attrs={"name": "notify_replies"}).has_attr("checked")
    assert "Kept words." in page.find("textarea").text
    assert not Comment.objects.exists()


def test_a_signed_in_reader_is_mailed_at_the_accounts_address(
    client, statement, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(email="account@example.org"))
    data = comment_form_data(notify_replies="on", author_name=None, email=None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(comment_post_url(statement), data)
    assert ReplySubscription.objects.get().email == "account@example.org"
    assert mail.outbox[0].to == ["account@example.org"]


def test_spam_gets_no_subscription_and_no_mail(
    client, statement, django_capture_on_commit_callbacks
):
    data = comment_form_data(notify_replies="on", url="http://spam.example")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(comment_post_url(statement), data)
    assert Comment.objects.get().status == "spam"
    assert not ReplySubscription.objects.exists()
    assert mail.outbox == []


def test_asking_twice_in_one_thread_keeps_one_subscription(statement):
    first = CommentFactory(statement=statement, email=ADDRESS)
    reply = CommentFactory(statement=statement, parent=first, email=ADDRESS)
    replies.subscribe(comment=first, email=ADDRESS)
    replies.subscribe(comment=reply, email=ADDRESS.upper())
    assert ReplySubscription.objects.count() == 1


def test_confirming_takes_a_press_of_the_button(client, subscription):
    url = reverse(
        "comments:replies_confirm", args=[replies.confirm_token(subscription)]
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert not response.cookies
    assert (
        soup_of(response).select_one("main button").get_text() == "Confirm my address"
    )
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    response = client.post(url)
    assert response.status_code == 200
    assert "your address is confirmed" in response.text
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def tampered(token):
    """The token with one character of its signature changed."""
    last = "A" if token[-1] != "A" else "B"
    return token[:-1] + last


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_confirmation_link_is_refused(client, subscription, method):
    token = tampered(replies.confirm_token(subscription))
    response = getattr(client, method)(
        reverse("comments:replies_confirm", args=[token])
    )
    assert response.status_code == 400
    assert "This link is not valid." in response.text
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        signing.dumps([1, "x"], salt="another.purpose"),
        signing.dumps("not a list", salt=replies.CONFIRM_SALT),
    ],
)
def test_foreign_tokens_are_refused(client, subscription, token):
    response = client.post(reverse("comments:replies_confirm", args=[token]))
    assert response.status_code == 400


def test_an_unsubscribe_token_does_not_confirm(client, subscription):
    token = replies.unsubscribe_token(subscription)
    response = client.post(reverse("comments:replies_confirm", args=[token]))
    assert response.status_code == 400


def test_an_expired_confirmation_link_is_refused(client, subscription, monkeypatch):
    token = replies.confirm_token(subscription)
    later = dt.datetime.now().timestamp() + (replies.CONFIRM_DAYS + 1) * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.post(reverse("comments:replies_confirm", args=[token]))
    assert response.status_code == 410
    assert "expired" in response.text
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_a_link_to_a_subscription_gone_says_so(client, subscription):
    token = replies.confirm_token(subscription)
    subscription.delete()
    response = client.post(reverse("comments:replies_confirm", args=[token]))
    assert response.status_code == 404
    assert "does not exist any more" in response.text


def test_a_token_does_not_serve_a_later_row_with_the_same_id(client, subscription):
    token = replies.unsubscribe_token(subscription)
    pk = subscription.pk
    subscription.delete()
    ReplySubscription.objects.create(
        pk=pk, thread=subscription.thread, email="someone.else@example.org"
    )
    response = client.post(reverse("comments:replies_unsubscribe", args=[token]))
    assert response.status_code == 404
    assert ReplySubscription.objects.filter(pk=pk).exists()


def test_unsubscribing_removes_the_address(client, subscription):
    subscription.confirmed_at = subscription.created
    subscription.save()
    url = reverse(
        "comments:replies_unsubscribe", args=[replies.unsubscribe_token(subscription)]
    )
    page = client.get(url)
    assert page.status_code == 200
    assert soup_of(page).select_one("main button").get_text() == "Unsubscribe"
    assert ReplySubscription.objects.exists()
    response = client.post(url)
    assert response.status_code == 200
    assert "your address has been removed" in response.text
    assert not ReplySubscription.objects.exists()
    assert not Comment.objects.filter(email__iexact=ADDRESS).exists()


def test_one_click_unsubscribe_needs_no_login_or_csrf_token(subscription):
    """RFC 8058: the mail program posts from elsewhere, with nothing but the
    link and its fixed body."""
    from tests.helpers import FormClient

    client = FormClient(enforce_csrf_checks=True)
    url = reverse(
        "comments:replies_unsubscribe", args=[replies.unsubscribe_token(subscription)]
    )
    response = client.post(
        url,
        {"List-Unsubscribe": "One-Click"},
        headers={"Origin": "https://mail.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 200
    assert not ReplySubscription.objects.exists()


def test_a_tampered_unsubscribe_link_is_refused(client, subscription):
    token = tampered(replies.unsubscribe_token(subscription))
    response = client.post(reverse("comments:replies_unsubscribe", args=[token]))
    assert response.status_code == 400
    assert ReplySubscription.objects.exists()


def test_notify_forgets_subscriptions_nobody_confirmed(subscription):
    from django.core.management import call_command

    ReplySubscription.objects.update(
        created=subscription.created - dt.timedelta(days=replies.CONFIRM_DAYS + 1)
    )
    call_command("notify", stdout=io.StringIO())
    assert not ReplySubscription.objects.exists()
