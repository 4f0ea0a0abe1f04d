import pytest

from communique.publishing.models import Topic
from tests.factories import CommentFactory, StatementFactory


@pytest.fixture
def api_statement(db):
    """A published statement about a topic, with two threads, one with a reply."""
    topic = Topic.objects.create(name="Harbours", slug="harbours", language="en")
    statement = StatementFactory(title="On the harbour", slug="on-the-harbour")
    statement.topics.add(topic)
    first = CommentFactory(statement=statement, author_name="Nasrin")
    CommentFactory(statement=statement, parent=first, author_name="Omid")
    CommentFactory(statement=statement, author_name="Leila")
    return statement


def api_url(path: str = "") -> str:
    return "/api/v1/" + path
