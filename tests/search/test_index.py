"""The index follows every write: edits, imports, rebuilds, bulk inserts,
deletions; and the trash, publishing and moderation through the read
vocabulary."""

import io

import pytest
from django.core.management import call_command

from communique.comments import edits as comment_edits
from communique.comments import services as comment_services
from communique.comments.models import Comment
from communique.publishing import services
from communique.publishing.importer import import_statement_file
from communique.publishing.models import Statement
from communique.search.models import CommentText, StatementText
from tests.factories import CommentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_an_edit_is_found_by_its_new_words_only(found):
    statement = StatementFactory(title="Old title", body_source="old words")
    statement.title = "New title"
    statement.body_source = "fresh words"
    services.save_statement(statement=statement)
    assert found("fresh") == ["New title"]
    assert found("old") == []


def test_trash_and_restore(found, django_capture_on_commit_callbacks):
    statement = StatementFactory(title="Quayside")
    services.trash_statements(Statement.objects.filter(pk=statement.pk))
    assert found("quayside") == []
    with django_capture_on_commit_callbacks(execute=True):  # the cached page
        services.restore_statements(Statement.objects.filter(pk=statement.pk))
    assert found("quayside") == ["Quayside"]


def test_unpublish_and_publish(found, django_capture_on_commit_callbacks):
    statement = StatementFactory(title="Quayside")
    services.unpublish_statements(Statement.objects.filter(pk=statement.pk))
    assert found("quayside") == []
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_statements(Statement.objects.filter(pk=statement.pk))
    assert found("quayside") == ["Quayside"]


def test_deleting_for_good_removes_the_row(found):
    statement = StatementFactory(title="Quayside")
    CommentFactory(statement=statement, body_source="a comment")
    Statement.objects.filter(pk=statement.pk).delete()
    assert not StatementText.objects.exists()
    assert not CommentText.objects.exists()
    assert found("quayside") == []


def test_an_imported_statement_is_found(found, tmp_path):
    path = tmp_path / "imported.md"
    path.write_text(
        "---\ntitle: Imported\nslug: imported\nlanguage: en\n"
        "date: 2024-05-01\nsignature: Port Workers\n---\n\nAbout the lighthouse.\n",
        encoding="utf-8",
    )
    import_statement_file(path)
    assert found("lighthouse") == ["Imported"]
    assert found("port workers") == ["Imported"]


def test_rebuild_html_indexes_the_new_rendering(found):
    StatementFactory(title="Rendered", body_source="the word anchorage")
    # As after a change to a text format: stored HTML that no longer says it.
    Statement.objects.update(body_html="<p>stale</p>")
    StatementText.objects.update(body="stale", vector=None)
    assert found("anchorage") == []
    call_command("rebuild_html", stdout=io.StringIO())
    assert found("anchorage") == ["Rendered"]


def test_rebuild_search_index_writes_everything_again(found):
    statement = StatementFactory(title="Breakwater")
    CommentFactory(statement=statement, body_source="about the breakwater")
    StatementText.objects.all().delete()
    CommentText.objects.all().delete()
    assert found("breakwater") == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "1 statements and 1 comments" in out.getvalue()
    assert found("breakwater") == ["Breakwater"]
    assert found("breakwater", "comments") == ["Breakwater"]


def test_generated_statements_and_comments_are_found(found):
    call_command("generate", statements=12, comments=30, seed=3, stdout=io.StringIO())
    assert StatementText.objects.count() == 12
    assert CommentText.objects.count() == 30
    assert found("committee")  # every signature is the Synthetic Committee


def test_an_edited_comment_is_found_by_its_new_words(found, moderator):
    comment = CommentFactory(body_source="first version")
    comment_edits.edit_comment(
        comment=comment, subject="", body="second wording", editor=moderator
    )
    assert len(found("wording", "comments")) == 1
    assert found("first", "comments") == []


def test_moderation_decides_which_comments_are_found(
    found, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(body_source="pending words", status="pending")
    assert found("pending", "comments") == []
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.approve_comments(
            Comment.objects.filter(pk=comment.pk), moderator=moderator
        )
    assert len(found("pending", "comments")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.delete_comments(
            Comment.objects.filter(pk=comment.pk), moderator=moderator
        )
    assert found("pending", "comments") == []
