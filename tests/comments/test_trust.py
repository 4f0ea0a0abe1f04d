"""Trust earned by approvals, and moderation before or after publishing."""

import pytest
from django.urls import reverse

from communique.antispam.models import BlockedTerm, TrustedClient
from communique.comments import edits, services
from communique.comments.models import Comment
from communique.publishing.models import Statement
from tests.factories import CommentFactory, StatementFactory
from tests.helpers import comment_form_data, comment_post_url

pytestmark = pytest.mark.django_db

CLIENT = "fingerprint-of-one-client"
Moderation = Statement.Moderation


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.COMMUNIQUE_ANTISPAM_RATE_LIMITS = False


@pytest.fixture
def trust_after_two(settings):
    settings.COMMUNIQUE_TRUST_AFTER_APPROVALS = 2
    settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = True


def post(statement, *, fingerprint=CLIENT, body="A thought of mine.", user=None):
    return services.post_comment(
        statement=statement,
        parent=None,
        draft=services.Draft(author_name="Parisa", body=body),
        user=user,
        fingerprint=fingerprint,
    )


def approve(*comments, moderator):
    pks = [comment.pk for comment in comments]
    services.approve_comments(Comment.objects.filter(pk__in=pks), moderator=moderator)


def spam(*comments, moderator):
    pks = [comment.pk for comment in comments]
    services.mark_spam(Comment.objects.filter(pk__in=pks), moderator=moderator)


def test_a_client_is_trusted_after_n_approvals(statement, moderator, trust_after_two):
    first = post(statement, body="First.")
    assert first.status == "pending"
    approve(first, moderator=moderator)
    second = post(statement, body="Second.")
    assert second.status == "pending"
    approve(second, moderator=moderator)
    third = post(statement, body="Third.")
    assert third.status == "published"
    assert post(statement, fingerprint="another-client").status == "pending"


def test_comments_published_at_once_count_no_approval(
    statement, moderator, trust_after_two
):
    first = post(statement, body="First.")
    approve(first, moderator=moderator)
    # Approving what is published already changes nothing and counts nothing.
    approve(first, moderator=moderator)
    assert post(statement, body="Second.").status == "pending"


def test_one_approval_of_several_comments_counts_each(
    statement, moderator, trust_after_two
):
    approve(
        post(statement, body="One."), post(statement, body="Two."), moderator=moderator
    )
    assert TrustedClient.objects.get(fingerprint=CLIENT).approvals == 2
    assert post(statement, body="Three.").status == "published"


def test_spam_loses_trust_and_counting_starts_again(
    statement, moderator, trust_after_two
):
    approve(
        post(statement, body="One."), post(statement, body="Two."), moderator=moderator
    )
    trusted = post(statement, body="Buy now.")
    assert trusted.status == "published"
    spam(trusted, moderator=moderator)
    assert not TrustedClient.objects.filter(fingerprint=CLIENT).exists()
    after = post(statement, body="Sorry.")
    assert after.status == "pending"
    approve(after, moderator=moderator)
    assert post(statement, body="Again.").status == "pending"


def test_trust_is_off_by_default(statement, moderator, settings):
    assert settings.COMMUNIQUE_TRUST_AFTER_APPROVALS == 0
    for n in range(3):
        approve(post(statement, body=f"Comment {n}."), moderator=moderator)
    assert not TrustedClient.objects.exists()
    assert post(statement, body="Next.").status == "pending"


def test_spam_rules_still_hold_a_trusted_clients_comment(
    statement, moderator, trust_after_two, settings
):
    approve(
        post(statement, body="One."), post(statement, body="Two."), moderator=moderator
    )
    BlockedTerm.objects.create(term="casino", action=BlockedTerm.Action.HOLD)
    assert post(statement, body="The casino next door.").status == "pending"
    links = " ".join(f"https://example.org/{n}" for n in range(3))
    assert post(statement, body=f"See {links}").status == "pending"
    BlockedTerm.objects.create(term="pills", action=BlockedTerm.Action.SPAM)
    assert post(statement, body="Cheap pills.").status == "spam"


@pytest.mark.parametrize(
    ("site_requires_approval", "moderation", "status"),
    [
        (True, Moderation.SITE_DEFAULT, "pending"),
        (False, Moderation.SITE_DEFAULT, "published"),
        (True, Moderation.AFTER, "published"),
        (False, Moderation.AFTER, "published"),
        (True, Moderation.BEFORE, "pending"),
        (False, Moderation.BEFORE, "pending"),
    ],
)
def test_each_statement_moderates_before_or_after_publishing(
    settings, site_requires_approval, moderation, status
):
    settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = site_requires_approval
    statement = StatementFactory(moderation=moderation)
    assert post(statement).status == status


def test_spam_rules_still_hold_on_a_statement_moderated_after_publishing():
    statement = StatementFactory(moderation=Moderation.AFTER)
    BlockedTerm.objects.create(term="casino", action=BlockedTerm.Action.HOLD)
    assert post(statement, body="The casino next door.").status == "pending"


def test_post_moderated_comment_is_on_the_page_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = True
    statement = StatementFactory(moderation=Moderation.AFTER)
    client.get(statement.get_absolute_url())  # cached without the comment
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            comment_post_url(statement), comment_form_data(body="Seen at once.")
        )
    assert response.status_code == 302
    assert Comment.objects.get().status == "published"
    assert "Seen at once." in client.get(statement.get_absolute_url()).text


def test_trusted_client_posting_through_the_form(
    client, statement, moderator, trust_after_two
):
    for n in range(2):
        client.post(comment_post_url(statement), comment_form_data(body=f"No. {n}"))
    approve(*Comment.objects.all(), moderator=moderator)
    client.post(comment_post_url(statement), comment_form_data(body="Trusted now."))
    assert Comment.objects.get(body_source="Trusted now.").status == "published"


def test_queue_buttons_count_towards_trust(client, moderator, trust_after_two):
    comment = CommentFactory(status="pending", fingerprint=CLIENT)
    client.force_login(moderator)
    response = client.post(
        reverse("comments:moderation"),
        {"action": "approve", "comments": [comment.pk]},
    )
    assert response.status_code == 302
    assert TrustedClient.objects.get(fingerprint=CLIENT).approvals == 1


def test_admin_form_offers_the_moderation_choices(client, settings):
    from tests.factories import UserFactory

    settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = False
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    statement = StatementFactory()
    url = reverse("admin:publishing_statement_change", args=[statement.pk])
    page = client.get(url).text
    assert "Site default: After publishing" in page
    assert "Before publishing" in page


def test_an_authors_edit_applies_at_once_after_publishing_moderation(settings):
    from tests.factories import UserFactory

    settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = True
    author = UserFactory(username="roya")
    for moderation, held in ((Moderation.AFTER, False), (Moderation.BEFORE, True)):
        statement = StatementFactory(moderation=moderation)
        comment = CommentFactory(statement=statement, user=author)
        waiting = edits.submit_edit(
            comment=comment,
            subject="",
            body="Changed words.",
            editor=author,
            fingerprint=CLIENT,
        )
        assert (waiting is not None) is held
