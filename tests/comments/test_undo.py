"""Undoing a moderator's last action: the service and its POST endpoint."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from communique.comments import edits, services, undo
from communique.comments.models import Comment, ModerationAction
from tests.factories import CommentFactory, ModeratorFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db
UNDO_URL = reverse("comments:moderation_undo")


def statuses(*comments):
    return [Comment.objects.get(pk=comment.pk).status for comment in comments]


def of(*comments):
    return Comment.objects.filter(pk__in=[comment.pk for comment in comments])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_undo_puts_back_every_comment_of_the_last_bulk_action(moderator):
    first = CommentFactory(status="pending")
    second = CommentFactory(status="spam")
    services.approve_comments(of(first, second), moderator=moderator)
    assert undo.undo_last_action(moderator=moderator) == ("approve", 2)
    assert statuses(first, second) == ["pending", "spam"]


def test_undo_is_recorded_in_the_log(moderator):
    comment = CommentFactory(status="pending")
    services.mark_spam(of(comment), moderator=moderator)
    undo.undo_last_action(moderator=moderator)
    last = ModerationAction.objects.order_by("-pk").first()
    assert (last.action, last.moderator, last.from_status, last.to_status) == (
        "undo",
        moderator,
        "spam",
        "pending",
    )


def test_undo_twice_goes_one_action_further_back(moderator):
    comment = CommentFactory(status="pending")
    services.approve_comments(of(comment), moderator=moderator)
    services.delete_comments(of(comment), moderator=moderator)
    assert undo.undo_last_action(moderator=moderator) == ("delete", 1)
    assert statuses(comment) == ["published"]
    assert undo.undo_last_action(moderator=moderator) == ("approve", 1)
    assert statuses(comment) == ["pending"]
    assert undo.undo_last_action(moderator=moderator) is None


def test_undo_takes_only_this_moderators_actions(moderator):
    other = ModeratorFactory()
    mine = CommentFactory(status="pending")
    theirs = CommentFactory(status="pending")
    services.approve_comments(of(mine), moderator=moderator)
    services.mark_spam(of(theirs), moderator=other)
    assert undo.undo_last_action(moderator=moderator) == ("approve", 1)
    assert statuses(mine, theirs) == ["pending", "spam"]


def test_a_comment_changed_since_is_left_alone(moderator):
    other = ModeratorFactory()
    comment = CommentFactory(status="pending")
    services.approve_comments(of(comment), moderator=moderator)
    services.mark_spam(of(comment), moderator=other)
    assert undo.undo_last_action(moderator=moderator) == ("approve", 0)
    assert statuses(comment) == ["spam"]
    # and that action counts as undone: nothing older is left
    assert undo.undo_last_action(moderator=moderator) is None


def test_edits_are_not_undone(moderator):
    comment = CommentFactory(status="pending")
    edits.edit_comment(comment=comment, subject="", body="New.", editor=moderator)
    assert undo.undo_last_action(moderator=moderator) is None


def test_nothing_to_undo(moderator):
    assert undo.undo_last_action(moderator=moderator) is None


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def test_the_endpoint_undoes_and_says_what(moderator_client):
    first, second = CommentFactory.create_batch(2, status="pending")
    moderator_client.post(
        reverse("comments:moderation"),
        {"action": "approve", "comments": [first.pk, second.pk]},
    )
    response = moderator_client.post(UNDO_URL + "?status=pending")
    assert response.status_code == 302
    assert response["Location"] == reverse("comments:moderation") + "?status=pending"
    assert messages_of(response)[-1] == "Approval undone for 2 comments."
    assert statuses(first, second) == ["pending", "pending"]


def test_the_endpoint_with_nothing_to_undo_warns(moderator_client):
    response = moderator_client.post(UNDO_URL)
    assert response.status_code == 302
    assert messages_of(response) == ["You have no action to undo."]


def test_the_queue_offers_undo_only_when_there_is_something(moderator_client):
    comment = CommentFactory(status="pending")
    queue = reverse("comments:moderation")
    assert soup_of(moderator_client.get(queue)).find(id="undo-form") is None
    moderator_client.post(
        reverse("comments:moderate_one", args=[comment.pk]), {"action": "delete"}
    )
    form = soup_of(moderator_client.get(queue)).find(id="undo-form")
    assert form["method"] == "post"
    assert form["action"] == UNDO_URL


def test_the_endpoint_is_post_only(moderator_client):
    assert moderator_client.get(UNDO_URL).status_code == 405


def test_the_endpoint_needs_the_permission(client, editor):
    client.force_login(editor)
    assert client.post(UNDO_URL).status_code == 403


def test_the_endpoint_requires_the_csrf_token(moderator):
    comment = CommentFactory(status="pending")
    services.approve_comments(of(comment), moderator=moderator)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator)
    assert strict.post(UNDO_URL).status_code == 403
    assert statuses(comment) == ["published"]


def test_undoing_an_approval_takes_the_comment_off_the_page(
    client, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(status="pending", body_source="Soon gone again.")
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_comments(of(comment), moderator=moderator)
    page = comment.statement.get_absolute_url()
    assert "Soon gone again." in client.get(page).content.decode()  # and cached
    with django_capture_on_commit_callbacks(execute=True):
        undo.undo_last_action(moderator=moderator)
    assert "Soon gone again." not in client.get(page).content.decode()


def test_the_log_shows_the_undo(moderator_client, moderator):
    comment = CommentFactory(status="pending")
    services.approve_comments(of(comment), moderator=moderator)
    moderator_client.post(UNDO_URL)
    rows = soup_of(moderator_client.get(reverse("comments:moderation_log"))).select(
        ".moderation-log tbody tr"
    )
    newest = [cell.get_text(" ", strip=True) for cell in rows[0].find_all("td")]
    assert newest[2] == "Undone"
    assert newest[4] == "Published → Pending"
