import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from communique.comments.models import Comment, CommentRevision, ModerationAction
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

SAVED = "Your changes have been saved."


def edit_url(comment):
    return reverse("comments:edit", args=[comment.pk])


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def age(comment, minutes):
    Comment.objects.filter(pk=comment.pk).update(
        created=timezone.now() - dt.timedelta(minutes=minutes)
    )


@pytest.fixture(autouse=True)
def _edits_apply_at_once(settings):
    """These tests are about editing itself; test_screened_edits.py covers the
    edits held for review, as edits are when new comments need approval."""
    settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = False


@pytest.fixture
def author(db):
    return UserFactory(username="roya", email="roya@example.org")


@pytest.fixture
def comment(statement, author):
    return CommentFactory(
        statement=statement,
        user=author,
        author_name="roya",
        body_source="Original words.",
        subject="Own subject",
    )


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


def test_author_gets_the_form_with_the_current_text(author_client, comment):
    response = author_client.get(edit_url(comment))
    assert response.status_code == 200
    page = soup_of(response)
    assert page.find("h1").get_text() == "Edit comment"
    assert "On the harbour" in page.find("main").get_text()
    assert page.find("input", attrs={"name": "subject"})["value"] == "Own subject"
    assert page.find("textarea", attrs={"name": "body"}).get_text().strip() == (
        "Original words."
    )
    assert page.find("textarea")["maxlength"] == "8000"
    assert page.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None


def test_author_saves_changes_and_the_old_text_is_kept(
    author_client, author, comment, statement
):
    response = author_client.post(
        edit_url(comment),
        {"subject": "Better subject", "body": "Corrected at www.example.org."},
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"{statement.get_absolute_url()}#comment-{comment.pk}"
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [SAVED]
    comment.refresh_from_db()
    assert comment.subject == "Better subject"
    assert comment.body_source == "Corrected at www.example.org."
    assert '<a href="http://www.example.org"' in comment.body_html
    assert "Original" not in comment.body_html
    assert timezone.now() - comment.edited < dt.timedelta(minutes=1)
    assert comment.status == Comment.Status.PUBLISHED
    revision = CommentRevision.objects.get()
    assert revision.comment == comment
    assert revision.subject == "Own subject"
    assert revision.body_source == "Original words."
    assert revision.replaced_by == author
    assert not ModerationAction.objects.exists()


def test_statement_page_shows_the_edited_comment(author_client, comment, statement):
    response = author_client.post(
        edit_url(comment), {"subject": "", "body": "New words."}, follow=True
    )
    assert SAVED in soup_of(response).find(class_="messages").get_text()
    article = soup_of(author_client.get(statement.get_absolute_url())).find(
        id=f"comment-{comment.pk}"
    )
    assert article.find(class_="comment-edited").get_text() == "edited"
    assert article.find(class_="comment-body").get_text().strip() == "New words."
    assert article.find(class_="comment-subject") is None


def edit_links(client, statement, comment):
    page = soup_of(client.get(statement.get_absolute_url()))
    article = page.find(id=f"comment-{comment.pk}")
    return [a["href"] for a in article.find_all("a", string="Edit")]


def test_statement_page_links_authors_to_the_edit_page_while_they_may(
    author_client, comment, statement
):
    assert edit_links(author_client, statement, comment) == [edit_url(comment)]
    age(comment, 31)
    assert edit_links(author_client, statement, comment) == []


def test_statement_page_offers_no_edit_link_to_others(client, comment, statement):
    assert edit_links(client, statement, comment) == []
    client.force_login(UserFactory())
    assert edit_links(client, statement, comment) == []


def test_unedited_comment_is_not_marked_edited(client, comment, statement):
    article = soup_of(client.get(statement.get_absolute_url())).find(
        id=f"comment-{comment.pk}"
    )
    assert article.find(class_="comment-edited") is None


def test_each_edit_keeps_a_revision(author_client, comment):
    for body in ("Second words.", "Third words."):
        author_client.post(edit_url(comment), {"subject": "", "body": body})
    assert [r.body_source for r in comment.revisions.all()] == [
        "Second words.",
        "Original words.",
    ]


def test_editing_the_body_does_not_keep_an_outdated_subject(
    author_client, author, statement
):
    """A subject taken from the first words follows the words when they change."""
    comment = CommentFactory(
        statement=statement, user=author, body_source="We agree with the board."
    )
    form = soup_of(author_client.get(edit_url(comment)))
    subject = form.find("input", attrs={"name": "subject"}).get("value", "")
    author_client.post(
        edit_url(comment), {"subject": subject, "body": "We disagree with the board."}
    )
    article = soup_of(author_client.get(statement.get_absolute_url())).find(
        id=f"comment-{comment.pk}"
    )
    assert article.find(class_="comment-subject") is None
    comment.refresh_from_db()
    assert comment.subject == "We disagree with the board."


def test_author_of_a_pending_comment_returns_to_the_statement(
    author_client, author, statement
):
    comment = CommentFactory(statement=statement, user=author, status="pending")
    response = author_client.post(edit_url(comment), {"subject": "", "body": "Fixed."})
    assert response["Location"] == statement.get_absolute_url()
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING


@pytest.mark.parametrize(
    ("window", "minutes_ago", "allowed"),
    [
        (30, 29, True),
        (30, 31, False),
        (30, 60 * 24, False),
        (5, 4, True),
        (5, 6, False),
        (0, 1, False),
    ],
)
def test_authors_edit_only_within_the_window(
    author_client, comment, settings, window, minutes_ago, allowed
):
    settings.COMMUNIQUE_COMMENTS_EDIT_MINUTES = window
    age(comment, minutes_ago)
    assert author_client.get(edit_url(comment)).status_code == (200 if allowed else 403)
    response = author_client.post(edit_url(comment), {"subject": "", "body": "Late."})
    assert response.status_code == (302 if allowed else 403)
    comment.refresh_from_db()
    assert (comment.body_source == "Late.") is allowed
    assert CommentRevision.objects.exists() is allowed


def test_refusal_explains_itself(author_client, comment):
    age(comment, 31)
    response = author_client.get(edit_url(comment))
    assert response.status_code == 403
    assert soup_of(response).find("h1").get_text() == "Not allowed"


def test_authors_cannot_edit_deleted_comments(author_client, comment):
    Comment.objects.filter(pk=comment.pk).update(status="deleted")
    assert author_client.get(edit_url(comment)).status_code == 403


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_users_cannot_edit(client, comment, editor, method):
    client.force_login(UserFactory())
    data = {"subject": "", "body": "Hijacked."} if method == "post" else None
    assert getattr(client, method)(edit_url(comment), data).status_code == 403
    client.force_login(editor)
    assert getattr(client, method)(edit_url(comment), data).status_code == 403
    assert Comment.objects.get(pk=comment.pk).body_source == "Original words."


def test_signed_in_user_cannot_edit_an_anonymous_comment(author_client, statement):
    anonymous = CommentFactory(statement=statement, user=None)
    assert author_client.get(edit_url(anonymous)).status_code == 403


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_log_in(client, comment, method):
    data = {"subject": "", "body": "Anonymous."} if method == "post" else None
    response = getattr(client, method)(edit_url(comment), data)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={edit_url(comment)}"
    assert Comment.objects.get(pk=comment.pk).body_source == "Original words."


def test_unknown_comment_is_404(author_client):
    assert author_client.get(reverse("comments:edit", args=[99999])).status_code == 404


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_edit_refuses_other_methods(author_client, comment, method):
    assert getattr(author_client, method)(edit_url(comment)).status_code == 405


@pytest.mark.parametrize("status", ["published", "pending", "spam", "deleted"])
def test_moderator_edits_any_comment_at_any_time(client, moderator, statement, status):
    comment = CommentFactory(
        statement=statement, status=status, body_source="Rude words here."
    )
    age(comment, 60 * 24 * 365)
    client.force_login(moderator)
    assert client.get(edit_url(comment)).status_code == 200
    response = client.post(edit_url(comment), {"subject": "", "body": "[removed]"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body_source == "[removed]"
    assert comment.status == status
    revision = comment.revisions.get()
    assert revision.body_source == "Rude words here."
    assert revision.replaced_by == moderator
    action = ModerationAction.objects.get()
    assert action.comment == comment
    assert action.moderator == moderator
    assert action.action == ModerationAction.Action.EDIT
    assert action.from_status == action.to_status == status


def test_moderator_editing_own_comment_records_no_moderation(client, moderator):
    comment = CommentFactory(user=moderator)
    client.force_login(moderator)
    client.post(edit_url(comment), {"subject": "", "body": "My own fix."})
    assert Comment.objects.get(pk=comment.pk).body_source == "My own fix."
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "This field is required."),
        ("   \n  ", "This field is required."),
        ("x" * 8001, "at most 8000 characters"),
        ("nul \x00 byte", "Null characters are not allowed."),
    ],
)
def test_invalid_body_shows_the_form_again_with_the_text(
    author_client, comment, body, message
):
    response = author_client.post(
        edit_url(comment), {"subject": "Kept subject", "body": body}
    )
    assert response.status_code == 400
    page = soup_of(response)
    assert message in page.find(id="id_body_error").get_text()
    assert page.find("input", attrs={"name": "subject"})["value"] == "Kept subject"
    if "\x00" not in body:
        assert page.find("textarea").get_text().strip() == body.strip()
    comment.refresh_from_db()
    assert comment.body_source == "Original words."
    assert comment.edited is None
    assert not CommentRevision.objects.exists()


def test_subject_too_long_is_refused(author_client, comment):
    response = author_client.post(
        edit_url(comment), {"subject": "s" * 121, "body": "Fine."}
    )
    assert response.status_code == 400
    assert (
        "at most 120 characters"
        in soup_of(response).find(id="id_subject_error").get_text()
    )
    assert Comment.objects.get(pk=comment.pk).body_source == "Original words."


def test_edit_respects_the_length_setting(author_client, comment, settings):
    settings.COMMUNIQUE_COMMENTS_MAX_LENGTH = 100
    response = author_client.post(edit_url(comment), {"subject": "", "body": "y" * 101})
    assert response.status_code == 400
    assert soup_of(response).find("textarea")["maxlength"] == "100"
