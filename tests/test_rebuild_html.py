import io

import pytest
from django.core.management import call_command

from communique.comments.models import Comment
from communique.publishing.models import Statement
from tests.factories import CommentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_rebuild_html_renders_stored_html_again(client):
    statement = StatementFactory(body_source="*Emphasis*")
    comment = CommentFactory(statement=statement, body_source="See www.example.org")
    Statement.objects.update(body_html="<p>stale</p>")
    Comment.objects.update(body_html="<p>stale</p>")
    assert "stale" in client.get(statement.get_absolute_url()).content.decode()
    call_command("rebuild_html", stdout=io.StringIO())
    statement.refresh_from_db()
    comment.refresh_from_db()
    assert statement.body_html == "<p><em>Emphasis</em></p>\n"
    assert 'href="http://www.example.org"' in comment.body_html
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "stale" not in page


def test_the_excerpt_is_stored_with_the_body_and_rebuilt_with_it(client):
    statement = StatementFactory(body_source="**Bold** words " + "more " * 60)
    assert statement.excerpt.startswith("Bold words more")
    assert statement.excerpt.endswith("…")
    Statement.objects.update(excerpt="stale excerpt")
    assert "stale excerpt" in client.get("/").content.decode()
    call_command("rebuild_html", stdout=io.StringIO())
    statement.refresh_from_db()
    assert statement.excerpt.startswith("Bold words more")
    assert "stale excerpt" not in client.get("/").content.decode()
