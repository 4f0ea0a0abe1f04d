import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communique.captcha.placeholders import MARKER
from communique.comments.models import Comment
from communique.pagecache.placeholders import CSRF_MARKER
from communique.publishing import services as publishing
from communique.publishing.models import Statement
from tests.factories import CommentFactory, ModeratorFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_and_captcha_on(settings):
    settings.COMMUNIQUE_PAGE_CACHE = True
    settings.COMMUNIQUE_CAPTCHA_ENABLED = True
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 0


@pytest.fixture
def statement():
    return StatementFactory(title="Cached statement")


def form_values(response) -> tuple[str, str]:
    page = BeautifulSoup(response.content, "html.parser")
    token = page.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    challenge = page.find("input", attrs={"name": "captcha_0"})["value"]
    return token, challenge


def test_second_anonymous_view_is_served_without_the_database(
    client, statement, django_assert_num_queries
):
    first = client.get(statement.get_absolute_url())
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(statement.get_absolute_url())
    assert second.status_code == 200
    assert statement.title in second.content.decode()


def test_two_readers_get_their_own_token_and_challenge(statement):
    alice, bob = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    alice_page = alice.get(statement.get_absolute_url())
    bob_page = bob.get(statement.get_absolute_url())
    for page in (alice_page, bob_page):
        assert CSRF_MARKER.encode() not in page.content
        assert MARKER.encode() not in page.content
    alice_token, alice_challenge = form_values(alice_page)
    bob_token, bob_challenge = form_values(bob_page)
    assert alice_token != bob_token
    assert alice_challenge != bob_challenge
    assert alice.cookies["csrftoken"].value != bob.cookies["csrftoken"].value
    url = reverse("comments:post", args=[statement.pk])
    data = {"author_name": "A", "body": "Hello.", "op": "preview"}
    assert (
        alice.post(url, {**data, "csrfmiddlewaretoken": alice_token}).status_code == 200
    )
    assert (
        bob.post(url, {**data, "csrfmiddlewaretoken": alice_token}).status_code == 403
    )


def test_a_returning_reader_keeps_the_csrf_cookie(statement):
    reader = Client(enforce_csrf_checks=True)
    reader.get(statement.get_absolute_url())
    cookie = reader.cookies["csrftoken"].value
    again = reader.get(statement.get_absolute_url())
    token, _ = form_values(again)
    assert reader.cookies["csrftoken"].value == cookie
    url = reverse("comments:post", args=[statement.pk])
    data = {
        "author_name": "A",
        "body": "Hi.",
        "op": "preview",
        "csrfmiddlewaretoken": token,
    }
    assert reader.post(url, data).status_code == 200


def test_a_reader_with_a_message_gets_a_fresh_page(client, statement, settings):
    settings.COMMUNIQUE_CAPTCHA_ENABLED = False
    client.get(statement.get_absolute_url())
    response = client.post(
        reverse("comments:post", args=[statement.pk]),
        {"author_name": "A", "body": "Queued words.", "op": "save"},
        follow=True,
    )
    assert "queued for review" in response.content.decode()
    stranger = Client().get(statement.get_absolute_url())
    assert "queued for review" not in stranger.content.decode()


def test_signed_in_people_are_not_served_cached_pages(client, statement):
    client.get(statement.get_absolute_url())
    editor = ModeratorFactory()
    editor.user_permissions.add(Permission.objects.get(codename="change_statement"))
    client.force_login(editor)
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "Edit this statement" in page
    assert (
        "Edit this statement"
        not in Client().get(statement.get_absolute_url()).content.decode()
    )


def test_approving_a_comment_shows_it_on_the_next_request(
    client, statement, django_capture_on_commit_callbacks
):
    comment = CommentFactory(
        statement=statement, status="pending", body_source="Now visible."
    )
    reader = Client()
    assert (
        "Now visible." not in reader.get(statement.get_absolute_url()).content.decode()
    )
    assert "Now visible." not in reader.get("/").content.decode() or True
    client.force_login(ModeratorFactory())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("comments:moderation"),
            {"action": "approve", "comments": [comment.pk]},
        )
    page = reader.get(statement.get_absolute_url()).content.decode()
    assert "Now visible." in page
    assert "1 comment" in reader.get("/").content.decode()


def test_a_change_retires_the_statement_page_and_the_front_page(
    statement, django_capture_on_commit_callbacks
):
    """Other worker processes: tests/test_server.py and test_wsgi_layer.py."""
    first_reader, second_reader = Client(), Client()
    for reader in (first_reader, second_reader):
        reader.get(statement.get_absolute_url())
        reader.get("/")
    statement.title = "Retitled statement"
    with django_capture_on_commit_callbacks(execute=True):
        publishing.save_statement(statement=statement)
    for reader in (first_reader, second_reader):
        assert (
            "Retitled statement"
            in reader.get(statement.get_absolute_url()).content.decode()
        )
        assert "Retitled statement" in reader.get("/").content.decode()


def test_unpublishing_removes_the_page_at_once(
    client, statement, django_capture_on_commit_callbacks
):
    assert client.get(statement.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        publishing.unpublish_statements(Statement.objects.filter(pk=statement.pk))
    assert client.get(statement.get_absolute_url()).status_code == 404
    assert statement.title not in client.get("/").content.decode()


def test_other_statements_stay_cached(
    client, statement, django_capture_on_commit_callbacks, django_assert_num_queries
):
    other = StatementFactory(title="Untouched")
    client.get(other.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        CommentFactory(statement=statement)
        Comment.objects.update(status="published")
        publishing.save_statement(statement=statement)
    with django_assert_num_queries(0):
        client.get(other.get_absolute_url())


def test_validators_and_cache_headers(client, statement, settings):
    settings.COMMUNIQUE_PAGE_CACHE_MAX_AGE = 60
    page = client.get(statement.get_absolute_url())
    assert page["ETag"]
    assert page["Last-Modified"]
    assert "max-age=60" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]  # it carries a per-reader form
    assert "Cookie" in page["Vary"]
    front = client.get("/")
    assert "public" in front["Cache-Control"]
    not_modified = client.get(
        statement.get_absolute_url(), HTTP_IF_NONE_MATCH=page["ETag"]
    )
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    since = client.get("/", HTTP_IF_MODIFIED_SINCE=front["Last-Modified"])
    assert since.status_code == 304


@pytest.mark.parametrize("first", ["GET", "HEAD"])
def test_head_requests_get_headers_only(client, statement, first):
    """With the page's own length, whichever request stored the page."""
    url = statement.get_absolute_url()
    if first == "HEAD":
        client.head(url)
    response = client.head(url)
    page = client.get(url)
    assert response.status_code == 200
    assert response.content == b""
    assert int(response["Content-Length"]) == len(page.content)


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_the_page_cache_can_be_switched_off(client, statement, settings):
    settings.COMMUNIQUE_PAGE_CACHE = False
    client.get(statement.get_absolute_url())
    assert queries_of(client, statement.get_absolute_url()) > 0


def test_404s_and_the_admin_are_not_cached(client):
    assert client.get("/statements/missing/").status_code == 404
    assert queries_of(client, "/statements/missing/") > 0
    login = client.get("/admin/login/")
    assert not re.search(rb"communique-[a-z-]+-placeholder", login.content)
    assert "ETag" not in login
