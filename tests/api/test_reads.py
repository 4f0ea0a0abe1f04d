"""The read endpoints: what they list and show, what they never show, and how
many queries a list costs."""

import datetime as dt

import pytest
from django.utils import timezone

from communique.comments.models import Comment
from communique.publishing.models import Statement, Topic
from tests.api.conftest import api_url
from tests.factories import CommentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def get_json(client, path: str, status: int = 200, **query):
    response = client.get(api_url(path), query)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_statements_newest_first_and_published_only(client):
    now = timezone.now()
    old = StatementFactory(published_at=now - dt.timedelta(days=2))
    new = StatementFactory(published_at=now - dt.timedelta(days=1))
    StatementFactory(status=Statement.Status.DRAFT)
    StatementFactory(published_at=now + dt.timedelta(days=1))  # scheduled
    StatementFactory(trashed_at=now)
    listed = get_json(client, "statements/")
    assert [item["id"] for item in listed["results"]] == [new.pk, old.pk]
    assert listed["count"] == 2
    assert (listed["page"], listed["pages"]) == (1, 1)
    assert listed["next"] is listed["previous"] is None


def test_a_statement_in_the_list(client, api_statement):
    CommentFactory(statement=api_statement, status=Comment.Status.PENDING)
    (item,) = get_json(client, "statements/")["results"]
    assert item == {
        "id": api_statement.pk,
        "title": "On the harbour",
        "slug": "on-the-harbour",
        "language": "en",
        "signature": api_statement.signature,
        "date": "2025-03-01",
        "published_at": item["published_at"],
        "updated": item["updated"],
        "excerpt": "First paragraph of the statement. Second paragraph.",
        "url": "http://testserver/statements/on-the-harbour/",
        "topics": [
            {
                "name": "Harbours",
                "slug": "harbours",
                "url": "http://testserver/topics/harbours/",
            }
        ],
        "comment_count": 3,
    }


def test_statements_of_a_language_and_a_topic(client, api_statement):
    persian = StatementFactory(language="fa", slug="bayaniye")
    by_language = get_json(client, "statements/", lang="fa")["results"]
    assert [item["id"] for item in by_language] == [persian.pk]
    assert by_language[0]["url"] == "http://testserver/fa/statements/bayaniye/"
    by_topic = get_json(client, "statements/", topic="harbours")["results"]
    assert [item["id"] for item in by_topic] == [api_statement.pk]
    assert get_json(client, "statements/", topic="harbours", lang="fa", status=404)
    refused = get_json(client, "statements/", topic="nothing", status=404)
    assert refused["detail"] == "There is no such topic."


def test_statements_come_in_pages(client):
    StatementFactory.create_batch(21)
    first = get_json(client, "statements/")
    assert (first["count"], first["pages"], len(first["results"])) == (21, 2, 20)
    assert first["next"] == "http://testserver/api/v1/statements/?page=2"
    second = get_json(client, "statements/", page=2)
    assert len(second["results"]) == 1
    assert second["previous"] == "http://testserver/api/v1/statements/"
    refused = get_json(client, "statements/", page=3, status=404)
    assert refused["detail"] == "There is no page 3 of statements."


def test_a_list_costs_a_few_queries_however_long(client, django_assert_max_num_queries):
    topic = Topic.objects.create(name="Ports", slug="ports")
    for statement in StatementFactory.create_batch(20):
        statement.topics.add(topic)
        CommentFactory(statement=statement)
    with django_assert_max_num_queries(6):
        listed = get_json(client, "statements/", topic="ports")
    assert len(listed["results"]) == 20
    assert all(item["comment_count"] == 1 for item in listed["results"])


def test_one_statement(client, api_statement):
    translation = StatementFactory(
        language="fa", slug="bandar", translation_of=api_statement
    )
    StatementFactory(
        language="de", slug="hafen", translation_of=api_statement, status="draft"
    )
    shown = get_json(client, f"statements/{api_statement.pk}/")
    assert shown["body_html"] == (
        "<p>First paragraph of the statement.</p>\n<p>Second paragraph.</p>\n"
    )
    assert shown["translations"] == [
        {
            "id": translation.pk,
            "language": "fa",
            "title": translation.title,
            "url": "http://testserver/fa/statements/bandar/",
        }
    ]
    assert shown["topics"][0]["slug"] == "harbours"
    assert shown["comment_count"] == 3
    assert shown["comments_shown"] is shown["comments_open"] is True


@pytest.mark.parametrize(
    ("commenting", "shown", "open_"),
    [("open", True, True), ("closed", True, False), ("hidden", False, False)],
)
def test_whether_a_statement_shows_and_takes_comments(client, commenting, shown, open_):
    statement = StatementFactory()
    CommentFactory(statement=statement)
    Statement.objects.filter(pk=statement.pk).update(commenting=commenting)
    found = get_json(client, f"statements/{statement.pk}/")
    assert (found["comments_shown"], found["comments_open"]) == (shown, open_)
    assert found["comment_count"] == (1 if shown else 0)


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Statement.Status.DRAFT},
        {"published_at": timezone.now() + dt.timedelta(days=1)},
        {"trashed_at": timezone.now()},
    ],
    ids=["draft", "scheduled", "trashed"],
)
def test_statements_readers_cannot_see_are_not_found(client, changes):
    hidden = StatementFactory(**changes)
    for path in (f"statements/{hidden.pk}/", f"statements/{hidden.pk}/comments/"):
        refused = get_json(client, path, status=404)
        assert refused["detail"] == "There is no published statement with this id."


def test_topics_per_language_with_their_counts(client, api_statement):
    persian = Topic.objects.create(name="بندر", slug="bandar", language="fa")
    StatementFactory(language="fa").topics.add(persian)
    Topic.objects.create(name="Unused", slug="unused")
    everything = get_json(client, "topics/")["results"]
    assert {(t["slug"], t["statement_count"]) for t in everything} == {
        ("harbours", 1),
        ("bandar", 1),
    }
    (only,) = get_json(client, "topics/", lang="fa")["results"]
    assert only == {
        "name": "بندر",
        "slug": "bandar",
        "language": "fa",
        "url": "http://testserver/fa/topics/bandar/",
        "statement_count": 1,
    }


def test_comments_in_threads(client, api_statement):
    nasrin, omid, leila = Comment.objects.order_by("pk")
    CommentFactory(statement=api_statement, status=Comment.Status.PENDING)
    CommentFactory(statement=api_statement, status=Comment.Status.SPAM)
    listed = get_json(client, f"statements/{api_statement.pk}/comments/")
    assert listed["count"] == 2  # threads
    results = listed["results"]
    assert [c["id"] for c in results] == [nasrin.pk, omid.pk, leila.pk]
    assert [(c["parent_id"], c["depth"]) for c in results] == [
        (None, 1),
        (nasrin.pk, 2),
        (None, 1),
    ]
    assert results[0]["author_name"] == "Nasrin"
    assert results[0]["permalink"] == f"http://testserver/comments/{nasrin.pk}/"
    assert results[0]["body_html"] == nasrin.body_html
    newest = get_json(client, f"statements/{api_statement.pk}/comments/?order=newest")
    assert [c["id"] for c in newest["results"]] == [leila.pk, nasrin.pk, omid.pk]


def test_comments_never_say_who_wrote_them_beyond_their_name(client, api_statement):
    Comment.objects.update(email="nasrin@example.org", fingerprint="f" * 32)
    response = client.get(api_url(f"statements/{api_statement.pk}/comments/"))
    text = response.content.decode()
    assert "example.org" not in text and "f" * 32 not in text
    fields = set(response.json()["results"][0])
    assert fields == {
        "id",
        "parent_id",
        "depth",
        "author_name",
        "subject",
        "created",
        "edited",
        "body_html",
        "permalink",
    }


def test_a_reply_to_a_comment_not_shown_is_not_shown(client, api_statement):
    nasrin = Comment.objects.get(author_name="Nasrin")
    Comment.objects.filter(pk=nasrin.pk).update(status=Comment.Status.PENDING)
    listed = get_json(client, f"statements/{api_statement.pk}/comments/")
    assert [c["author_name"] for c in listed["results"]] == ["Leila"]


def test_hidden_comments_are_not_found(client, api_statement):
    Statement.objects.filter(pk=api_statement.pk).update(commenting="hidden")
    refused = get_json(client, f"statements/{api_statement.pk}/comments/", 404)
    assert refused["detail"] == "The comments of this statement are not shown."


def test_comments_come_in_pages_of_threads(
    client, settings, django_assert_max_num_queries
):
    settings.COMMUNIQUE_COMMENTS_PER_PAGE = 5
    statement = StatementFactory()
    for _ in range(7):
        parent = CommentFactory(statement=statement)
        CommentFactory(statement=statement, parent=parent)
    with django_assert_max_num_queries(5):
        first = get_json(client, f"statements/{statement.pk}/comments/")
    assert (first["count"], first["pages"], len(first["results"])) == (7, 2, 10)
    second = get_json(client, f"statements/{statement.pk}/comments/", page=2)
    assert len(second["results"]) == 4
    assert second["previous"].endswith(f"/api/v1/statements/{statement.pk}/comments/")
    get_json(client, f"statements/{statement.pk}/comments/", page=3, status=404)


@pytest.mark.parametrize("path", ["statements/", "topics/"])
def test_a_language_without_statements_is_no_list(client, api_statement, path):
    refused = get_json(client, path, status=404, lang="xx")
    assert refused["detail"] == "There are no statements in this language."
    assert "no-store" in client.get(api_url(path), {"lang": "xx"})["Cache-Control"]


def test_the_openapi_document_is_version_3_1_and_names_every_endpoint(client):
    document = get_json(client, "openapi.json")

    assert document["openapi"].startswith("3.1")
    assert {
        "/api/v1/statements/",
        "/api/v1/topics/",
        "/api/v1/challenge/",
    } <= set(document["paths"])
    assert "post" in document["paths"]["/api/v1/statements/{statement_id}/comments/"]
