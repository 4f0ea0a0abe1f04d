"""Why a comment was held: the reasons stored when it is posted, and the
queue saying them."""

import pytest
from django.urls import reverse
from django.utils import translation

from communique.antispam.models import BlockedTerm
from communique.comments import holds, services
from tests.factories import CommentFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db

LINKS = "See https://a.example, https://b.example and https://c.example."


def post(statement, body, *, fingerprint="client-1"):
    return services.post_comment(
        statement=statement,
        parent=None,
        draft=services.Draft(author_name="Reza", body=body),
        user=None,
        fingerprint=fingerprint,
    )


@pytest.fixture
def approval_off(settings):
    settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = False


def test_first_comment_held_for_approval_says_both(statement):
    comment = post(statement, "A plain remark.")
    assert comment.status == "pending"
    assert comment.held_because == ["approval", "first_comment"]


def test_later_comments_of_the_client_are_not_its_first(statement):
    post(statement, "A plain remark.")
    comment = post(statement, "Another remark.")
    assert comment.held_because == ["approval"]


def test_too_many_links_is_stored_first(statement, approval_off):
    comment = post(statement, LINKS)
    assert comment.status == "pending"
    assert comment.held_because == ["links", "first_comment"]


def test_a_blocked_term_is_stored(statement, approval_off):
    post(statement, "Warm-up.")  # published: approval is off
    BlockedTerm.objects.create(term="casino", action=BlockedTerm.Action.HOLD)
    comment = post(statement, "Visit the CASINO.")
    assert comment.status == "pending"
    assert comment.held_because == ["blocked_term"]


def test_published_and_spam_comments_keep_no_reason(statement, approval_off):
    assert post(statement, "Fine.").held_because == []
    BlockedTerm.objects.create(term="pills", action=BlockedTerm.Action.SPAM)
    spam = post(statement, "Cheap pills.", fingerprint="client-2")
    assert spam.status == "spam"
    assert spam.held_because == []


def test_the_reasons_are_stored_in_the_database(statement):
    comment = post(statement, LINKS)
    comment.refresh_from_db()
    assert comment.held_because == ["links", "approval", "first_comment"]


@pytest.mark.parametrize(
    ("code", "english"),
    [
        ("links", "more than 2 links"),
        ("blocked_term", "a blocked term"),
        ("approval", "every comment waits for approval"),
        ("first_comment", "the client's first comment"),
        ("something_new", "something_new"),
    ],
)
def test_labels(code, english):
    with translation.override("en"):
        assert holds.label(code) == english


def test_the_link_label_follows_the_setting(settings):
    settings.COMMUNIQUE_ANTISPAM_LINKS_TO_HOLD = 1
    with translation.override("en"):
        assert holds.label("links") == "more than 1 link"


def test_the_queue_says_why_each_comment_is_held(client, moderator, statement):
    held = CommentFactory(
        statement=statement, status="pending", held_because=["links", "first_comment"]
    )
    quiet = CommentFactory(statement=statement, status="pending")
    client.force_login(moderator)
    page = soup_of(client.get(reverse("comments:moderation")))
    reason = page.find(id=f"comment-{held.pk}").select_one(".held-because")
    assert reason.get_text(" ", strip=True) == (
        "Held because: more than 2 links; the client's first comment"
    )
    assert page.find(id=f"comment-{quiet.pk}").select_one(".held-because") is None


def test_an_approved_comment_no_longer_says_it_is_held(client, moderator, statement):
    comment = CommentFactory(
        statement=statement, status="published", held_because=["approval"]
    )
    client.force_login(moderator)
    page = soup_of(client.get(reverse("comments:moderation") + "?status=all"))
    assert page.find(id=f"comment-{comment.pk}").select_one(".held-because") is None
