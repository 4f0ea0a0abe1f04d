import io

import pytest
from django.core.management import CommandError, call_command

from communique import textformats
from communique.comments.models import Comment
from communique.publishing.models import Statement
from tests.factories import CommentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_generate_makes_statements_and_threaded_comments(client):
    call_command(
        "generate", "--statements", "5", "--comments", "60", stdout=io.StringIO()
    )
    assert Statement.objects.published().count() == 5
    comments = list(Comment.objects.published())
    assert len(comments) == 60
    by_pk = {comment.pk: comment for comment in comments}
    for comment in comments:
        if comment.parent_id:
            parent = by_pk[comment.parent_id]
            assert comment.path.startswith(parent.path + "/")
            assert comment.thread_id == parent.thread_id
            assert comment.depth == parent.depth + 1
        else:
            assert comment.thread_id == comment.pk
        # What the duplicate rule compares is there as for posted comments.
        assert comment.body_digest == textformats.digest_for_matching(
            comment.body_source
        )
    statement = Statement.objects.first()
    assert statement.family == statement.slug
    assert client.get(statement.get_absolute_url()).status_code == 200


def test_generated_rows_take_the_models_defaults():
    call_command(
        "generate", "--statements", "2", "--comments", "4", stdout=io.StringIO()
    )
    made = Statement.objects.create(title="Made", slug="made", body_source="Text.")
    for field in ("body_format", "language", "commenting", "trashed_at"):
        values = set(
            Statement.objects.exclude(pk=made.pk).values_list(field, flat=True)
        )
        assert values == {getattr(made, field)}, field
    for statement in Statement.objects.exclude(pk=made.pk):
        assert statement.created is not None
        assert statement.published_at.date() == statement.date
    for comment in Comment.objects.all():
        assert comment.created is not None
        assert (comment.edited, comment.email, comment.user_id) == (None, "", None)
        assert comment.body_html.startswith("<p>")


def test_the_site_numbers_new_rows_after_generated_ones(statement):
    """Generated rows are given their ids; the database's own numbering must
    go on after them (PostgreSQL's sequences do not follow on their own)."""
    call_command(
        "generate", "--statements", "3", "--comments", "10", stdout=io.StringIO()
    )
    generated = Comment.objects.count()
    CommentFactory(statement=Statement.objects.first())
    StatementFactory()
    assert Comment.objects.count() == generated + 1


def test_generate_adds_comments_to_one_statement():
    statement = StatementFactory()
    call_command(
        "generate",
        "--statement",
        statement.slug,
        "--comments",
        "7",
        stdout=io.StringIO(),
    )
    assert Comment.objects.filter(statement=statement).count() == 7


def test_generate_refuses_an_unknown_statement():
    with pytest.raises(CommandError):
        call_command("generate", "--statement", "nowhere", "--comments", "3")


def test_notify_command_mails_waiting_comments(moderator, statement):
    from django.core import mail

    from tests.factories import CommentFactory

    CommentFactory(statement=statement, status="pending", author_name="Roya")
    out = io.StringIO()
    call_command("notify", stdout=out)
    assert "1 mail(s) sent." in out.getvalue()
    assert "Roya" in mail.outbox[0].body
