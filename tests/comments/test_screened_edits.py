"""Commenters' edits pass the spam rules; held edits wait in the queue while
readers keep seeing the approved text."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from communique.antispam.fingerprints import fingerprint
from communique.antispam.models import BlockedTerm
from communique.comments import edits
from communique.comments.models import (
    Comment,
    CommentRevision,
    ModerationAction,
    PendingEdit,
)
from tests.factories import CommentFactory, UserFactory
from tests.helpers import FormClient, soup_of

pytestmark = pytest.mark.django_db

APPROVED = "Approved words."
HELD = (
    "Your edit waits for review by a moderator. Until it is approved, readers see "
    "the earlier text."
)
SAVED = "Your changes have been saved."
MANY_LINKS = "See https://one.example/ https://two.example/ https://three.example/"


def edit_url(comment):
    return reverse("comments:edit", args=[comment.pk])


def decide_url(edit):
    return reverse("comments:moderate_edit", args=[edit.pk])


@pytest.fixture
def author(db):
    return UserFactory(username="roya", email="roya@example.org")


@pytest.fixture
def trusted_author(db):
    user = UserFactory(username="kaveh")
    user.user_permissions.add(Permission.objects.get(codename="skip_approval"))
    return user


@pytest.fixture
def comment(statement, author):
    return CommentFactory(
        statement=statement, user=author, author_name="roya", body_source=APPROVED
    )


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def moderator_client(moderator):
    client = FormClient()
    client.force_login(moderator)
    return client


def reader_sees(statement, comment):
    """The comment's text as an anonymous reader gets it (cached pages too)."""
    page = soup_of(Client().get(statement.get_absolute_url()))
    return page.find(id=f"comment-{comment.pk}").find(class_="comment-body").get_text()


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Held for approval, as a new comment by the same commenter would be


def test_edit_of_an_approved_comment_waits_when_comments_need_approval(
    author_client, author, comment, statement
):
    assert APPROVED in reader_sees(statement, comment)  # now in the page cache
    response = author_client.post(
        edit_url(comment), {"subject": "", "body": "Changed words."}
    )
    assert response.status_code == 302
    assert (
        response["Location"] == f"{statement.get_absolute_url()}#comment-{comment.pk}"
    )
    assert messages_of(response) == [HELD]
    comment.refresh_from_db()
    assert comment.body_source == APPROVED
    assert comment.edited is None
    assert not CommentRevision.objects.exists()
    held = PendingEdit.objects.get()
    assert (held.comment, held.editor, held.reason) == (comment, author, "approval")
    assert held.body_source == "Changed words."
    assert APPROVED in reader_sees(statement, comment)


def test_edit_applies_at_once_when_comments_need_no_approval(
    author_client, comment, statement, settings
):
    settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = False
    response = author_client.post(
        edit_url(comment), {"subject": "", "body": "Changed words."}
    )
    assert messages_of(response) == [SAVED]
    assert Comment.objects.get(pk=comment.pk).body_source == "Changed words."
    assert not PendingEdit.objects.exists()


def test_trusted_commenter_edits_at_once(client, trusted_author, statement):
    comment = CommentFactory(statement=statement, user=trusted_author)
    client.force_login(trusted_author)
    response = client.post(edit_url(comment), {"subject": "", "body": "Fixed typo."})
    assert messages_of(response) == [SAVED]
    assert Comment.objects.get(pk=comment.pk).body_source == "Fixed typo."


def test_edit_of_a_pending_comment_applies_and_it_stays_pending(
    author_client, author, statement
):
    waiting = CommentFactory(statement=statement, user=author, status="pending")
    author_client.post(edit_url(waiting), {"subject": "", "body": "Second try."})
    waiting.refresh_from_db()
    assert waiting.body_source == "Second try."
    assert waiting.status == Comment.Status.PENDING
    assert not PendingEdit.objects.exists()


# The spam rules


@pytest.fixture
def no_approval(settings):
    settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = False


@pytest.mark.usefixtures("no_approval")
@pytest.mark.parametrize(
    ("body", "term", "reason"),
    [
        (MANY_LINKS, None, "links"),
        (
            "Win the lottery today.",
            ("lottery", BlockedTerm.Action.HOLD),
            "blocked_term",
        ),
        (
            "Win the lottery today.",
            ("lottery", BlockedTerm.Action.SPAM),
            "blocked_term",
        ),
        (" ".join(f"https://s{n}.example/" for n in range(11)), None, "too_many_links"),
    ],
)
def test_edit_a_rule_would_hold_or_mark_as_spam_is_held(
    author_client, comment, statement, body, term, reason
):
    if term:
        BlockedTerm.objects.create(term=term[0], action=term[1])
    response = author_client.post(edit_url(comment), {"subject": "", "body": body})
    assert messages_of(response) == [HELD]
    assert PendingEdit.objects.get().reason == reason
    comment.refresh_from_db()
    assert comment.body_source == APPROVED
    assert comment.status == Comment.Status.PUBLISHED
    assert APPROVED in reader_sees(statement, comment)


@pytest.mark.usefixtures("no_approval")
def test_blocked_name_holds_the_edit_too(author_client, comment):
    BlockedTerm.objects.create(term="roya", action=BlockedTerm.Action.HOLD)
    author_client.post(edit_url(comment), {"subject": "", "body": "Innocent."})
    assert PendingEdit.objects.get().reason == "blocked_term"


@pytest.mark.usefixtures("no_approval")
def test_edits_count_against_the_rate_limit(author_client, comment, settings):
    settings.COMMUNIQUE_ANTISPAM_COMMENTS_PER_MINUTE = 2
    for n in range(2):
        response = author_client.post(
            edit_url(comment), {"subject": "", "body": f"Edit {n}."}
        )
        assert response.status_code == 302
    response = author_client.post(edit_url(comment), {"subject": "", "body": "Third."})
    assert response.status_code == 429
    page = soup_of(response)
    assert "faster than this site allows" in page.find(class_="form-errors").get_text()
    assert page.find("textarea").get_text().strip() == "Third."
    assert Comment.objects.get(pk=comment.pk).body_source == "Edit 1."


@pytest.mark.usefixtures("no_approval")
def test_an_edit_is_no_duplicate_of_itself(author_client, comment):
    """The comment's own digest is the edit's when only the subject changes."""
    response = author_client.post(
        edit_url(comment), {"subject": "A subject now", "body": APPROVED}
    )
    assert messages_of(response) == [SAVED]
    assert Comment.objects.get(pk=comment.pk).subject == "A subject now"


@pytest.mark.usefixtures("no_approval")
def test_an_edit_copying_another_recent_comment_is_a_duplicate(
    author_client, author, comment, statement
):
    CommentFactory(
        statement=statement,
        user=author,
        body_source="Said once.",
        fingerprint=fingerprint("127.0.0.1"),  # the test client's address
    )
    response = author_client.post(
        edit_url(comment), {"subject": "", "body": "Said once."}
    )
    assert response.status_code == 409
    assert "already posted" in soup_of(response).find(class_="form-errors").get_text()
    assert Comment.objects.get(pk=comment.pk).body_source == APPROVED


@pytest.mark.usefixtures("no_approval")
def test_moderators_edits_are_trusted(moderator_client, comment, statement):
    BlockedTerm.objects.create(term="lottery", action=BlockedTerm.Action.SPAM)
    response = moderator_client.post(
        edit_url(comment), {"subject": "", "body": "Quoting the lottery spam."}
    )
    assert messages_of(response) == [SAVED]
    assert Comment.objects.get(pk=comment.pk).body_source == "Quoting the lottery spam."
    assert not PendingEdit.objects.exists()


# The author again


def test_a_second_edit_replaces_the_held_one_and_the_form_shows_it(
    author_client, comment
):
    author_client.post(edit_url(comment), {"subject": "First", "body": "One."})
    page = soup_of(author_client.get(edit_url(comment)))
    assert page.find(class_="edit-held").get_text() == (
        "Your earlier edit waits for review by a moderator; saving replaces it."
    )
    assert page.find("input", attrs={"name": "subject"})["value"] == "First"
    assert page.find("textarea").get_text().strip() == "One."
    author_client.post(edit_url(comment), {"subject": "", "body": "Two."})
    held = PendingEdit.objects.get()
    assert (held.subject, held.body_source) == ("", "Two.")


def test_the_moderators_form_shows_the_approved_text(
    author_client, moderator_client, comment
):
    author_client.post(edit_url(comment), {"subject": "", "body": "Proposed."})
    page = soup_of(moderator_client.get(edit_url(comment)))
    assert page.find("textarea").get_text().strip() == APPROVED
    assert page.find(class_="edit-held") is None


def test_a_moderators_edit_drops_the_held_one(author_client, moderator_client, comment):
    author_client.post(edit_url(comment), {"subject": "", "body": "Proposed."})
    moderator_client.post(edit_url(comment), {"subject": "", "body": "[removed]"})
    assert not PendingEdit.objects.exists()
    assert Comment.objects.get(pk=comment.pk).body_source == "[removed]"


# The moderation queue


@pytest.fixture
def held(author_client, comment):
    author_client.post(
        edit_url(comment), {"subject": "Better", "body": "Proposed words."}
    )
    return PendingEdit.objects.get()


def test_queue_shows_both_texts(moderator_client, held, comment):
    response = moderator_client.get(reverse("comments:moderation"))
    item = soup_of(response).find(id=f"edit-{held.pk}")
    assert item.find(class_="comment-author").get_text() == "roya"
    assert "this commenter's comments wait for approval" in item.get_text()
    published = item.find(class_="edit-published")
    proposed = item.find(class_="edit-proposed")
    assert published.find(class_="comment-body").get_text().strip() == APPROVED
    assert proposed.find(class_="comment-body").get_text().strip() == (
        "Proposed words."
    )
    assert proposed.find(class_="comment-subject").get_text() == "Better"
    assert item.find("form")["action"] == decide_url(held)


def test_other_tabs_do_not_list_edits(moderator_client, held):
    response = moderator_client.get(reverse("comments:moderation") + "?status=all")
    assert soup_of(response).find(id=f"edit-{held.pk}") is None


def test_approving_publishes_the_edit_and_keeps_the_old_text(
    moderator_client,
    moderator,
    author,
    held,
    comment,
    statement,
    django_capture_on_commit_callbacks,
):
    assert APPROVED in reader_sees(statement, comment)  # cached
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(decide_url(held), {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"] == reverse("comments:moderation")
    assert messages_of(response) == ["The edit is published."]
    comment.refresh_from_db()
    assert (comment.subject, comment.body_source) == ("Better", "Proposed words.")
    assert comment.edited is not None
    revision = CommentRevision.objects.get()
    assert revision.body_source == APPROVED
    assert revision.replaced_by == author
    action = ModerationAction.objects.get()
    assert (action.action, action.moderator) == ("approve_edit", moderator)
    assert not PendingEdit.objects.exists()
    assert "Proposed words." in reader_sees(statement, comment)


def test_rejecting_drops_the_edit(moderator_client, moderator, held, comment):
    response = moderator_client.post(decide_url(held), {"decision": "reject"})
    assert messages_of(response) == ["The edit is rejected; the comment is unchanged."]
    comment.refresh_from_db()
    assert comment.body_source == APPROVED
    assert comment.edited is None
    assert not CommentRevision.objects.exists()
    assert not PendingEdit.objects.exists()
    assert ModerationAction.objects.get().action == "reject_edit"
    log = soup_of(moderator_client.get(reverse("comments:moderation_log")))
    assert "Edit rejected" in log.find("tbody").get_text()


def test_an_edit_is_decided_once(moderator, held, comment):
    assert edits.approve_edit(held, moderator=moderator) is True
    assert edits.reject_edit(held, moderator=moderator) is False
    assert edits.approve_edit(held, moderator=moderator) is False
    assert CommentRevision.objects.count() == 1


def test_deciding_an_edit_already_decided_is_404(moderator_client, held):
    moderator_client.post(decide_url(held), {"decision": "reject"})
    response = moderator_client.post(decide_url(held), {"decision": "approve"})
    assert response.status_code == 404


@pytest.mark.parametrize("data", [{}, {"decision": "publish"}])
def test_deciding_needs_a_known_decision(moderator_client, held, data):
    assert moderator_client.post(decide_url(held), data).status_code == 400
    assert PendingEdit.objects.exists()


def test_only_moderators_decide(author_client, held):
    assert author_client.post(
        decide_url(held), {"decision": "approve"}
    ).status_code == (403)
    assert PendingEdit.objects.exists()


def test_deciding_is_post_only(moderator_client, held):
    assert moderator_client.get(decide_url(held)).status_code == 405


def test_queue_queries_do_not_grow_with_the_edits(
    moderator_client, statement, django_assert_max_num_queries
):
    def hold_edits(count):
        for n in range(count):
            writer = UserFactory()
            comment = CommentFactory(statement=statement, user=writer)
            edits.submit_edit(
                comment=comment,
                subject="",
                body=f"Proposed {n}.",
                editor=writer,
                fingerprint=f"client-{n}",
            )

    hold_edits(2)
    with django_assert_max_num_queries(12) as few:
        moderator_client.get(reverse("comments:moderation"))
    hold_edits(8)
    with django_assert_max_num_queries(12) as many:
        response = moderator_client.get(reverse("comments:moderation"))
    assert len(soup_of(response).select(".pending-edit")) == 10
    assert len(many) == len(few)
