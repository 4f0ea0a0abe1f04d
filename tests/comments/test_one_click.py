"""Each comment's own Approve, Spam and Delete buttons, "select all" without
scripts, and confirmations that say what was done to how many."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation

from communique.comments.models import Comment, ModerationAction
from communique.comments.views.moderation import _done_message
from tests.factories import CommentFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db


def one_url(comment, query=""):
    url = reverse("comments:moderate_one", args=[comment.pk])
    return f"{url}?{query}" if query else url


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def status_of(comment):
    return Comment.objects.get(pk=comment.pk).status


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.mark.parametrize(
    ("status", "buttons"),
    [
        ("pending", ["approve", "spam", "delete"]),
        ("published", ["spam", "delete"]),
        ("spam", ["approve", "delete"]),
        ("deleted", ["undelete"]),
    ],
)
def test_each_comment_has_its_own_form(moderator_client, status, buttons):
    comment = CommentFactory(status=status)
    page = soup_of(moderator_client.get(reverse("comments:moderation") + "?status=all"))
    form = page.find(id=f"comment-{comment.pk}").select_one("form.one-click")
    assert form["method"] == "post"
    assert form["action"] == one_url(comment, "status=all")
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})
    assert [button["value"] for button in form.find_all("button")] == buttons


@pytest.mark.parametrize(
    ("action", "before", "after", "message"),
    [
        ("approve", "pending", "published", "1 comment approved."),
        ("spam", "pending", "spam", "1 comment marked as spam."),
        ("delete", "pending", "deleted", "1 comment deleted."),
        ("undelete", "deleted", "pending", "1 comment restored."),
    ],
)
def test_one_click_acts_on_that_comment_only(
    moderator_client, moderator, action, before, after, message
):
    comment = CommentFactory(status=before)
    other = CommentFactory(status=before)
    response = moderator_client.post(one_url(comment), {"action": action})
    assert response.status_code == 302
    assert response["Location"] == reverse("comments:moderation")
    assert messages_of(response) == [message]
    assert (status_of(comment), status_of(other)) == (after, before)
    recorded = ModerationAction.objects.get()
    assert (recorded.comment_id, recorded.moderator_id) == (comment.pk, moderator.pk)


def test_one_click_goes_back_to_the_same_tab_and_page(moderator_client):
    comment = CommentFactory(status="pending")
    response = moderator_client.post(
        one_url(comment, "status=pending&q=rent&page=2&evil=1"), {"action": "spam"}
    )
    assert response["Location"] == (
        reverse("comments:moderation") + "?status=pending&q=rent&page=2"
    )


def test_one_click_that_changes_nothing_says_zero(moderator_client):
    comment = CommentFactory(status="published")
    response = moderator_client.post(one_url(comment), {"action": "approve"})
    assert messages_of(response) == ["0 comments approved."]


@pytest.mark.parametrize("action", ["", "publish", "APPROVE", None])
def test_one_click_with_an_unknown_action_is_a_bad_request(moderator_client, action):
    comment = CommentFactory(status="pending")
    data = {} if action is None else {"action": action}
    assert moderator_client.post(one_url(comment), data).status_code == 400
    assert status_of(comment) == "pending"


def test_one_click_on_a_missing_comment_is_not_found(moderator_client):
    url = reverse("comments:moderate_one", args=[999999])
    assert moderator_client.post(url, {"action": "approve"}).status_code == 404


def test_one_click_is_post_only(moderator_client):
    comment = CommentFactory(status="pending")
    assert moderator_client.get(one_url(comment)).status_code == 405


def test_one_click_needs_the_permission(client, editor):
    comment = CommentFactory(status="pending")
    client.force_login(editor)
    assert client.post(one_url(comment), {"action": "approve"}).status_code == 403
    assert status_of(comment) == "pending"


def test_one_click_requires_the_csrf_token(moderator):
    comment = CommentFactory(status="pending")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator)
    assert strict.post(one_url(comment), {"action": "approve"}).status_code == 403
    assert status_of(comment) == "pending"


def test_select_all_without_scripts_ticks_every_box(moderator_client):
    CommentFactory.create_batch(3, status="pending")
    url = reverse("comments:moderation")
    plain = soup_of(moderator_client.get(url))
    link = plain.select_one("#bulk-form a.select-all")
    assert link["href"] == "?select=all"
    assert not plain.select("input[name=comments][checked]")
    ticked = soup_of(moderator_client.get(url + link["href"]))
    boxes = ticked.select("input[name=comments]")
    assert len(boxes) == 3
    assert all(box.has_attr("checked") for box in boxes)
    assert all(box["form"] == "bulk-form" for box in boxes)
    assert ticked.select_one("a.select-all").get_text() == "Select none"


def test_ticked_boxes_belong_to_the_bulk_form(moderator_client):
    first, second = CommentFactory.create_batch(2, status="pending")
    response = moderator_client.post(
        reverse("comments:moderation"),
        {"action": "spam", "comments": [first.pk, second.pk]},
    )
    assert messages_of(response) == ["2 comments marked as spam."]


@pytest.mark.parametrize(
    ("action", "count", "english"),
    [
        ("approve", 1, "1 comment approved."),
        ("approve", 2, "2 comments approved."),
        ("spam", 3, "3 comments marked as spam."),
        ("delete", 1, "1 comment deleted."),
        ("undelete", 5, "5 comments restored."),
    ],
)
def test_done_messages_are_pluralised(action, count, english):
    with translation.override("en"):
        assert _done_message(action, count) == english


def test_a_mail_link_shows_that_one_comment(moderator_client):
    wanted = CommentFactory(status="pending")
    CommentFactory(status="pending")
    response = moderator_client.get(
        reverse("comments:moderation") + f"?comment={wanted.pk}"
    )
    items = soup_of(response).select(".moderation-list > .moderation-item")
    assert [item["id"] for item in items] == [f"comment-{wanted.pk}"]


@pytest.mark.parametrize("junk", ["x", "-1", "\u00b2", "9" * 30])
def test_a_bad_comment_filter_is_ignored(moderator_client, junk):
    CommentFactory(status="pending")
    response = moderator_client.get(reverse("comments:moderation") + f"?comment={junk}")
    assert response.status_code == 200
