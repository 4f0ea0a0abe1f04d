import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from communique.comments.models import Comment
from communique.publishing.models import Statement
from tests.factories import CommentFactory, UserFactory
from tests.helpers import comment_form_data
from tests.helpers import comment_post_url as post_url

pytestmark = pytest.mark.django_db

QUEUED = (
    "Your comment has been queued for review by site administrators and will be "
    "published after approval."
)


def form_data(**overrides):
    """The form with a link in its text."""
    body = "We agree.\n\nSee https://example.org/more."
    return comment_form_data(**({"body": body} | overrides))


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_statement_page_offers_the_comment_form(client, statement):
    page = soup_of(client.get(statement.get_absolute_url()))
    form_section = page.find(id="comment-form")
    assert form_section.find("h2").get_text() == "Add new comment"
    labels = [
        label.get_text()
        for label in form_section.find_all("label")
        if not label.find_parent(attrs={"hidden": True})
    ]
    assert labels == [
        "Your name",
        "E-mail",
        "E-mail me when someone replies",
        "Homepage",
        "Subject",
        "Comment",
    ]
    tips = [li.get_text() for li in form_section.select(".text-format li")]
    assert tips == [
        "No HTML tags allowed.",
        "Web page addresses and email addresses turn into links automatically.",
        "Lines and paragraphs break automatically.",
    ]
    buttons = [button.get_text() for button in form_section.find_all("button")]
    assert buttons == ["Preview", "Save"]
    comments = page.find(id="comments")
    assert comments.sourceline < form_section.sourceline


def test_anonymous_comment_waits_for_approval(client, statement):
    response = client.post(post_url(statement), form_data())
    assert response.status_code == 302
    assert response["Location"] == statement.get_absolute_url()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.author_name == "Nasrin"
    assert comment.subject == "We agree. See https://example.org/more."
    assert '<a href="https://example.org/more"' in comment.body_html
    assert [str(m) for m in get_messages(response.wsgi_request)] == [QUEUED]
    page = client.get(statement.get_absolute_url()).content.decode()
    assert QUEUED in page
    assert "We agree." not in page


def test_comment_of_trusted_user_is_published_and_jumped_to(client, statement):
    moderator = UserFactory()
    moderator.user_permissions.add(Permission.objects.get(codename="skip_approval"))
    client.force_login(moderator)
    response = client.post(post_url(statement), form_data())
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PUBLISHED
    assert comment.author_name == moderator.username
    assert (
        response["Location"] == f"{statement.get_absolute_url()}#comment-{comment.pk}"
    )
    page = client.get(response["Location"])
    assert "Your comment has been posted." in page.content.decode()
    article = soup_of(page).find("article", id=f"comment-{comment.pk}")
    assert "comment" in article["class"]
    assert article.find(class_="comment-author").get_text() == moderator.username
    assert article.find("time")["datetime"]
    body = article.find("div", class_="comment-body")
    assert body["dir"] == "auto"
    assert body.find("a")["href"] == "https://example.org/more"


def test_published_when_approval_is_not_required(client, statement, settings):
    settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = False
    client.post(post_url(statement), form_data())
    assert Comment.objects.get().status == Comment.Status.PUBLISHED


def test_preview_shows_the_comment_and_saves_nothing(client, statement):
    response = client.post(
        post_url(statement), form_data(op="preview", body="<b>bold</b> & www.x.org")
    )
    assert response.status_code == 200
    assert not Comment.objects.exists()
    page = soup_of(response)
    preview = page.select_one(".comment-preview article.comment")
    body = preview.find(class_="comment-body")
    assert body.decode_contents().startswith("<p>&lt;b&gt;bold&lt;/b&gt; &amp; <a")
    assert page.find("textarea", attrs={"name": "body"}).get_text().strip() == (
        "<b>bold</b> & www.x.org"
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"author_name": ""}, "author_name", "This field is required."),
        ({"body": "   "}, "body", "This field is required."),
        ({"body": "x" * 8001}, "body", "at most 8000 characters"),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"homepage": "javascript:alert(1)"}, "homepage", "Enter a valid URL."),
        ({"homepage": "ftp://example.org"}, "homepage", "Enter a valid URL."),
        ({"author_name": "n" * 61}, "author_name", "at most 60 characters"),
        ({"body": "nul \x00 byte"}, "body", "Null characters are not allowed."),
    ],
)
def test_errors_keep_everything_typed(client, statement, overrides, field, message):
    data = form_data(**overrides)
    response = client.post(post_url(statement), data)
    assert response.status_code == 400
    assert not Comment.objects.exists()
    page = soup_of(response)
    error = page.find(id=f"id_{field}_error")
    assert message in error.get_text()
    widget = page.find(attrs={"name": field})
    assert widget["aria-invalid"] == "true"
    assert f"id_{field}_error" in widget["aria-describedby"]
    for name in ("author_name", "email", "subject"):
        if name != field:
            assert (
                page.find("input", attrs={"name": name}).get("value", "") == data[name]
            )
    if field != "body":
        assert page.find("textarea").get_text().strip() == data["body"].strip()


def test_email_can_be_required(client, statement, settings):
    settings.COMMUNIQUE_COMMENTS_REQUIRE_EMAIL = True
    response = client.post(post_url(statement), form_data(email=""))
    assert response.status_code == 400
    assert "This field is required." in soup_of(response).find(id="id_email_error").text


def test_comments_closed_meanwhile_keeps_the_text(client, statement):
    Statement.objects.filter(pk=statement.pk).update(commenting="closed")
    response = client.post(post_url(statement), form_data(body="Kept text."))
    assert response.status_code == 400
    page = soup_of(response)
    assert "were closed while you were writing" in page.find(class_="form-errors").text
    assert page.find("textarea").get_text().strip() == "Kept text."
    assert not Comment.objects.exists()


def test_closed_statement_shows_comments_but_no_form(client, statement):
    comment = CommentFactory(statement=statement)
    Statement.objects.filter(pk=statement.pk).update(commenting="closed")
    page = soup_of(client.get(statement.get_absolute_url()))
    assert page.find(id=f"comment-{comment.pk}") is not None
    assert page.find(class_="comments-closed").get_text() == "Comments are closed."
    assert page.find("form", attrs={"method": "post"}) is None
    assert page.find("a", string="Reply") is None


def test_hidden_statement_shows_no_comments(client, statement):
    CommentFactory(statement=statement, body_source="Should not show.")
    Statement.objects.filter(pk=statement.pk).update(commenting="hidden")
    response = client.get(statement.get_absolute_url())
    assert "Should not show." not in response.content.decode()
    assert soup_of(response).find(id="comments") is None
    assert client.post(post_url(statement), form_data()).status_code == 400


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
def test_post_endpoint_refuses_other_methods(client, statement, method):
    assert getattr(client, method)(post_url(statement)).status_code == 405


def test_unknown_or_unpublished_statement_is_404(client, statement):
    assert (
        client.post(reverse("comments:post", args=[99999]), form_data()).status_code
        == 404
    )
    Statement.objects.filter(pk=statement.pk).update(status="draft")
    assert client.post(post_url(statement), form_data()).status_code == 404


def test_reply_page_shows_parent_and_posts_a_reply(client, statement):
    parent = CommentFactory(statement=statement, author_name="Parvin")
    reply_url = reverse("comments:reply", args=[parent.pk])
    page = soup_of(client.get(reply_url))
    assert page.find("h1").get_text() == "Reply to Parvin"
    assert page.find(id=f"comment-{parent.pk}") is not None
    assert page.find("input", attrs={"name": "parent"})["value"] == str(parent.pk)
    client.post(post_url(statement), form_data(parent=parent.pk))
    reply = Comment.objects.exclude(pk=parent.pk).get()
    assert reply.parent == parent
    assert reply.thread == parent
    assert reply.depth == 2
    assert reply.path == f"{parent.path}/{reply.pk:010d}"


def test_reply_errors_show_the_reply_page_again(client, statement):
    parent = CommentFactory(statement=statement, author_name="Parvin")
    response = client.post(post_url(statement), form_data(parent=parent.pk, body=""))
    assert response.status_code == 400
    assert soup_of(response).find("h1").get_text() == "Reply to Parvin"


@pytest.mark.parametrize("status", ["pending", "spam", "deleted"])
def test_reply_to_unpublished_comment_is_refused(client, statement, status):
    parent = CommentFactory(statement=statement, status=status)
    assert client.get(reverse("comments:reply", args=[parent.pk])).status_code == 404
    response = client.post(post_url(statement), form_data(parent=parent.pk))
    assert response.status_code == 400
    assert "no longer available" in soup_of(response).find(class_="form-errors").text
    assert Comment.objects.count() == 1


def test_reply_to_comment_of_another_statement_is_refused(client, statement):
    elsewhere = CommentFactory()
    response = client.post(post_url(statement), form_data(parent=elsewhere.pk))
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_deep_replies_attach_at_the_deepest_level(client, statement, settings):
    settings.COMMUNIQUE_COMMENTS_MAX_DEPTH = 3
    settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = False
    first = CommentFactory(statement=statement)
    second = CommentFactory(statement=statement, parent=first)
    third = CommentFactory(statement=statement, parent=second)
    client.post(post_url(statement), form_data(parent=third.pk))
    fourth = Comment.objects.latest("pk")
    assert fourth.depth == 3
    assert fourth.parent == second


def test_raw_ip_is_never_stored(client, statement):
    client.post(post_url(statement), form_data(), REMOTE_ADDR="203.0.113.9")
    comment = Comment.objects.get()
    assert comment.fingerprint
    assert "203.0.113" not in comment.fingerprint
    for field in Comment._meta.concrete_fields:
        assert "203.0.113.9" not in str(getattr(comment, field.attname))


def test_email_is_never_shown_publicly(client, statement):
    CommentFactory(statement=statement, email="secret-reader@example.org")
    assert (
        "secret-reader" not in client.get(statement.get_absolute_url()).content.decode()
    )


def test_pending_comment_mails_the_moderators(
    client, statement, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(statement), form_data(author_name="Kaveh"))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [moderator.email]
    assert "Kaveh" in mail.outbox[0].body
    assert reverse("comments:moderation") in mail.outbox[0].body


def test_comment_dates_are_in_time_elements(client, statement):
    comment = CommentFactory(statement=statement)
    Comment.objects.filter(pk=comment.pk).update(
        created=timezone.make_aware(dt.datetime(2025, 2, 3, 4, 5))
    )
    article = soup_of(client.get(statement.get_absolute_url())).find(
        id=f"comment-{comment.pk}"
    )
    assert article.find("time")["datetime"].startswith("2025-02-03T04:05")
