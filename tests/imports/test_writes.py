"""Storing imported items: idempotent, updating what changed, private data out."""

import datetime as dt

import pytest
from django.utils import timezone

from communique.comments.models import Comment
from communique.imports.models import ImportedItem, OldAddress
from communique.imports.report import ImportReport, Outcome
from communique.imports.writes import (
    CommentData,
    ImportRun,
    StatementData,
    import_comment,
    import_statement,
)
from communique.publishing.models import Statement
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db

WHEN = timezone.make_aware(dt.datetime(2022, 1, 5, 10, 30))


def _run() -> ImportRun:
    return ImportRun(source="test", report=ImportReport())


def _statement_data(**changes) -> StatementData:
    fields = {
        "external_id": "45",
        "title": "On the strike",
        "body_html": "<p>We stand with them.</p><script>alert(1)</script>",
        "date": dt.date(2022, 1, 5),
        "signature": "The Council",
        "slug": "on-the-strike",
        "topics": ("Labour",),
        "old_addresses": ("/?p=45", "https://old.example.org/2022/01/on-the-strike/"),
    }
    return StatementData(**(fields | changes))


def _comment_data(**changes) -> CommentData:
    fields = {
        "external_id": "c1",
        "author_name": "Ramin",
        "body": "Solidarity.",
        "created": WHEN,
        "status": Comment.Status.PUBLISHED,
        "ip": "203.0.113.9",
        "email": "ramin@example.org",
    }
    return CommentData(**(fields | changes))


def test_a_statement_is_created_sanitised_with_its_topics_and_old_addresses():
    run = _run()
    statement = import_statement(run, _statement_data(), label="post 45")

    assert statement.status == Statement.Status.PUBLISHED
    assert "<script" not in statement.body_html
    assert "We stand with them." in statement.body_html
    assert [t.name for t in statement.topics.all()] == ["Labour"]
    assert set(OldAddress.objects.values_list("address", flat=True)) == {
        "/?p=45",
        "/2022/01/on-the-strike",
    }
    assert [line.outcome for line in run.report.lines] == [Outcome.CREATED]


def test_importing_again_changes_nothing():
    import_statement(_run(), _statement_data(), label="post 45")
    before = Statement.objects.values().get()
    run = _run()

    import_statement(run, _statement_data(), label="post 45")

    assert Statement.objects.values().get() == before
    assert [line.outcome for line in run.report.lines] == [Outcome.UNCHANGED]


def test_a_changed_source_updates_the_statement_and_keeps_a_revision():
    statement = import_statement(_run(), _statement_data(), label="post 45")
    run = _run()

    import_statement(run, _statement_data(title="On the strike, again"), label="p")

    statement.refresh_from_db()
    assert statement.title == "On the strike, again"
    assert statement.revisions.count() == 1
    assert run.report.lines[-1].outcome is Outcome.UPDATED


def test_a_statement_deleted_here_is_not_brought_back():
    statement = import_statement(_run(), _statement_data(), label="post 45")
    statement.delete()
    run = _run()

    assert import_statement(run, _statement_data(), label="post 45") is None
    assert not Statement.objects.exists()
    assert run.report.lines[-1].outcome is Outcome.SKIPPED


def test_a_taken_slug_gets_another_and_the_report_says_so():
    StatementFactory(slug="on-the-strike", language="en")
    run = _run()

    statement = import_statement(run, _statement_data(), label="post 45")

    assert statement.slug != "on-the-strike"
    assert "on-the-strike" in run.report.render_line(run.report.problems[0])


def test_an_untitled_post_is_named_after_its_first_words():
    run = _run()
    statement = import_statement(run, _statement_data(title="  "), label="post 45")

    assert statement.title.startswith("We stand with them")
    assert run.report.problems


def test_comments_keep_their_thread_date_and_status_but_not_the_ip():
    run = _run()
    statement = import_statement(run, _statement_data(), label="post 45")
    first = import_comment(run, _comment_data(), statement=statement, label="c1")
    reply = import_comment(
        run,
        _comment_data(external_id="c2", parent_id="c1", ip="not an ip"),
        statement=statement,
        label="c2",
    )

    first.refresh_from_db()
    reply.refresh_from_db()
    assert reply.parent == first
    assert reply.path.startswith(first.path + "/")
    assert first.created == WHEN
    assert first.fingerprint and "203.0.113" not in first.fingerprint
    assert reply.fingerprint == ""


def test_a_name_typed_as_an_email_address_keeps_only_its_first_part():
    run = _run()
    statement = import_statement(run, _statement_data(), label="post 45")
    comment = import_comment(
        run,
        _comment_data(author_name="someone@example.org"),
        statement=statement,
        label="c1",
    )

    assert comment.author_name == "someone"


def test_a_reply_to_a_missing_comment_is_kept_as_a_comment_and_reported():
    run = _run()
    statement = import_statement(run, _statement_data(), label="post 45")
    comment = import_comment(
        run, _comment_data(parent_id="gone"), statement=statement, label="c1"
    )

    assert comment.parent is None
    assert "gone" in run.report.render_line(run.report.problems[0])


def test_comments_imported_twice_are_left_alone():
    statement = import_statement(_run(), _statement_data(), label="post 45")
    import_comment(_run(), _comment_data(), statement=statement, label="c1")
    run = _run()

    import_comment(run, _comment_data(), statement=statement, label="c1")

    assert Comment.objects.count() == 1
    assert ImportedItem.objects.filter(kind="comment").count() == 1
    assert run.report.lines[-1].outcome is Outcome.UNCHANGED


def test_a_comment_without_text_is_skipped():
    run = _run()
    statement = import_statement(run, _statement_data(), label="post 45")

    skipped = import_comment(
        run, _comment_data(body=" \n"), statement=statement, label="c"
    )

    assert skipped is None
    assert run.report.lines[-1].outcome is Outcome.SKIPPED
