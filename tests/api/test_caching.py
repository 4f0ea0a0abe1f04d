"""The read endpoints' answers are pages of the page cache: public, with an
ETag, answered with 304, and retired when what they show changes."""

import json

import pytest

from communique.comments import services
from communique.comments.models import Comment
from communique.publishing import services as publishing
from communique.publishing.models import Topic
from tests.api.conftest import api_url
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _guards_off(no_captcha, post_at_once):
    """Posting here is about what the cache shows next."""


@pytest.mark.parametrize(
    "path",
    ["statements/", "statements/{pk}/", "statements/{pk}/comments/", "topics/"],
)
def test_answers_are_public_with_an_etag_and_304(client, api_statement, path):
    url = api_url(path.format(pk=api_statement.pk))
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"].startswith("public, max-age=")
    assert "Accept-Encoding" in first["Vary"]
    assert not first.cookies
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    changed = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200
    assert changed.content == first.content


def test_answers_name_what_they_show(client, api_statement):
    one = client.get(api_url(f"statements/{api_statement.pk}/"))
    assert one["Surrogate-Key"] == f"site statement:{api_statement.pk}"
    listed = client.get(api_url("statements/"))
    assert listed["Surrogate-Key"] == "site statement-list"


@pytest.mark.parametrize(
    "path",
    ["statements/999/", "statements/?page=x", "challenge/"],
)
def test_refusals_and_challenges_are_never_kept(client, api_statement, path):
    response = client.get(api_url(path))
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_topic_and_a_language_are_answers_of_their_own(client, api_statement):
    other = StatementFactory(language="fa")
    other.topics.add(Topic.objects.create(name="Ports", slug="ports"))

    def ids(**query):
        listed = client.get(api_url("statements/"), query).json()["results"]
        return [item["id"] for item in listed]

    assert ids(topic="harbours") == [api_statement.pk]
    assert ids(topic="ports") == [other.pk]
    assert ids(lang="fa") == [other.pk]
    assert ids(lang="en") == [api_statement.pk]


def test_an_approved_comment_shows_in_the_comments(
    client, api_statement, moderator, django_capture_on_commit_callbacks
):
    url = api_url(f"statements/{api_statement.pk}/comments/")
    before = client.get(url)
    etag = before["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            url,
            json.dumps({"author_name": "Shirin", "body": "A new comment."}),
            content_type="application/json",
        )
    assert posted.status_code == 201
    assert posted.json()["status"] == "pending"
    waiting = client.get(url, headers={"If-None-Match": etag})
    assert waiting.status_code == 304  # nothing readers see has changed
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_comments(
            Comment.objects.filter(pk=posted.json()["id"]), moderator=moderator
        )
    after = client.get(url, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert "A new comment." in after.json()["results"][-1]["body_html"]
    one = client.get(api_url(f"statements/{api_statement.pk}/")).json()
    assert one["comment_count"] == 4


def test_an_edited_statement_is_shown_edited(
    client, api_statement, django_capture_on_commit_callbacks
):
    url = api_url(f"statements/{api_statement.pk}/")
    assert client.get(url).json()["title"] == "On the harbour"
    api_statement.title = "On the harbour, again"
    with django_capture_on_commit_callbacks(execute=True):
        publishing.save_statement(statement=api_statement)
    assert client.get(url).json()["title"] == "On the harbour, again"
    listed = client.get(api_url("statements/")).json()["results"]
    assert listed[0]["title"] == "On the harbour, again"


def test_head_answers_as_get_does(client, api_statement):
    url = api_url(f"statements/{api_statement.pk}/")
    head = client.head(url)  # before the answer is kept, and after
    assert head.status_code == 200
    assert head.content == b""
    get = client.get(url)
    assert client.head(url)["ETag"] == get["ETag"] == head["ETag"]
