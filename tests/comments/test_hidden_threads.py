"""A comment's own pages (reply, permalink) show nothing of a statement whose
comments are hidden, or that readers cannot see."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communique.comments.models import Comment
from communique.publishing.models import Statement
from tests.factories import CommentFactory, UserFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db

SAID = "Words under the statement."


def reply_url(comment):
    return reverse("comments:reply", args=[comment.pk])


def permalink_url(comment):
    return reverse("comments:permalink", args=[comment.pk])


def reply_data(parent, **overrides):
    data = {
        "author_name": "Nasrin",
        "email": "nasrin@example.org",
        "subject": "",
        "body": "My reply, kept.",
        "parent": str(parent.pk),
        "op": "save",
    }
    data.update(overrides)
    return data


@pytest.fixture
def comment(statement):
    return CommentFactory(statement=statement, body_source=SAID)


def make(statement, **fields):
    Statement.objects.filter(pk=statement.pk).update(**fields)


UNSEEN = [
    pytest.param({"commenting": "hidden"}, id="comments-hidden"),
    pytest.param({"status": "draft"}, id="draft"),
    pytest.param({"trashed_at": timezone.now()}, id="trashed"),
    pytest.param(
        {"published_at": timezone.now() + dt.timedelta(days=1)}, id="scheduled"
    ),
]


def test_reply_page_and_permalink_work_while_comments_are_shown(client, comment):
    assert client.get(reply_url(comment)).status_code == 200
    assert client.get(permalink_url(comment)).status_code == 302


def test_closed_comments_still_have_their_pages(client, statement, comment):
    make(statement, commenting="closed")
    response = client.get(reply_url(comment))
    assert response.status_code == 200
    assert SAID in response.content.decode()
    assert client.get(permalink_url(comment)).status_code == 302


@pytest.mark.parametrize("change", UNSEEN)
def test_reply_page_is_404(client, statement, comment, change):
    make(statement, **change)
    response = client.get(reply_url(comment))
    assert response.status_code == 404
    assert SAID not in response.content.decode()


@pytest.mark.parametrize("change", UNSEEN)
def test_permalink_is_404(client, statement, comment, change):
    make(statement, **change)
    assert client.get(permalink_url(comment)).status_code == 404


def test_reply_posted_under_hidden_comments_is_404_and_keeps_the_text(
    client, statement, comment
):
    make(statement, commenting="hidden")
    response = client.post(
        reverse("comments:post", args=[statement.pk]), reply_data(comment)
    )
    assert response.status_code == 404
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode()
    assert SAID not in text
    page = soup_of(response)
    assert (
        "were closed while you were writing"
        in page.find(class_="form-errors").get_text()
    )
    assert page.find("textarea", attrs={"name": "body"}).get_text().strip() == (
        "My reply, kept."
    )
    assert page.find(id=f"comment-{comment.pk}") is None
    assert Comment.objects.count() == 1


def test_reply_preview_under_hidden_comments_is_404(client, statement, comment):
    make(statement, commenting="hidden")
    response = client.post(
        reverse("comments:post", args=[statement.pk]),
        reply_data(comment, op="preview"),
    )
    assert response.status_code == 404
    assert SAID not in response.content.decode()


@pytest.mark.parametrize("change", UNSEEN[1:])
def test_reply_posted_to_an_unseen_statement_is_404(client, statement, comment, change):
    make(statement, **change)
    response = client.post(
        reverse("comments:post", args=[statement.pk]), reply_data(comment)
    )
    assert response.status_code == 404
    assert SAID not in response.content.decode()


@pytest.mark.parametrize("change", UNSEEN)
def test_authors_cannot_open_the_edit_page_of_an_unseen_comment(
    client, statement, change
):
    author = UserFactory()
    comment = CommentFactory(statement=statement, user=author)
    client.force_login(author)
    assert client.get(reverse("comments:edit", args=[comment.pk])).status_code == 200
    make(statement, **change)
    assert client.get(reverse("comments:edit", args=[comment.pk])).status_code == 404
    response = client.post(
        reverse("comments:edit", args=[comment.pk]), {"subject": "", "body": "New."}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("change", UNSEEN)
def test_moderators_still_edit_them(client, moderator, statement, comment, change):
    make(statement, **change)
    client.force_login(moderator)
    assert client.get(reverse("comments:edit", args=[comment.pk])).status_code == 200
