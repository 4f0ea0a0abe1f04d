import gzip

import brotli
import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communique.comments.models import Comment
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


def test_second_anonymous_view_is_served_without_the_database(
    client, statement, django_assert_num_queries
):
    first = client.get(statement.get_absolute_url())
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(statement.get_absolute_url())
    assert second.status_code == 200
    assert statement.title in second.content.decode()


@pytest.mark.parametrize("path", ["/", "/archive/", "statement", "reply"])
def test_every_reader_gets_the_same_bytes_and_no_cookie(statement, path, settings):
    settings.COMMUNIQUE_PAGE_CACHE_MAX_AGE = 45
    if path == "statement":
        path = statement.get_absolute_url()
    elif path == "reply":
        comment = CommentFactory(statement=statement)
        path = reverse("comments:reply", args=[comment.pk])
    alice, bob = Client(), Client()
    first, second = alice.get(path), bob.get(path)
    assert first.status_code == 200
    assert first.content == second.content
    assert not first.cookies and not second.cookies
    assert "Set-Cookie" not in first.headers
    directives = {
        part.strip() for part in first["Cache-Control"].split(",") if part.strip()
    }
    assert directives == {
        "public",
        "max-age=45",
        "stale-while-revalidate=60",
        "stale-if-error=86400",
    }
    assert "Cookie" not in first.get("Vary", "")
    assert b"csrfmiddlewaretoken" not in first.content


def test_cache_headers_name_the_pages_tags(client, statement):
    page = client.get(statement.get_absolute_url())
    assert page["Surrogate-Key"].split() == ["site", f"statement:{statement.pk}"]
    assert page["Cache-Tag"] == f"site,statement:{statement.pk}"
    front = client.get("/")
    assert front["Surrogate-Key"].split() == ["site", "statement-list"]


def test_tracking_parameters_share_one_entry(
    client, statement, django_assert_num_queries
):
    url = statement.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        for query in ("?utm_source=x", "?utm_source=x&random=1234", "?fbclid=z"):
            assert client.get(url + query).status_code == 200


def test_the_parameters_a_page_reads_have_their_own_entries(statement):
    url = statement.get_absolute_url()
    assert Client().get(url + "?page=1").status_code == 200
    assert Client().get(url + "?page=9").status_code == 404


def test_host_names_are_normalised(statement, django_assert_num_queries, settings):
    settings.ALLOWED_HOSTS = ["news.example"]
    url = statement.get_absolute_url()
    Client().get(url, HTTP_HOST="news.example")
    with django_assert_num_queries(0):
        for host in ("NEWS.example", "news.example.", "news.example:80"):
            assert Client().get(url, HTTP_HOST=host).status_code == 200


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
    assert "public" in page["Cache-Control"]
    assert page["Vary"] == "Accept-Encoding"
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


def queries_of(client, url, **environ) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **environ)
    return len(queries)


def test_the_page_cache_can_be_switched_off(client, statement, settings):
    settings.COMMUNIQUE_PAGE_CACHE = False
    client.get(statement.get_absolute_url())
    assert queries_of(client, statement.get_absolute_url()) > 0


def test_404s_and_the_admin_are_not_cached(client):
    assert client.get("/statements/missing/").status_code == 404
    assert queries_of(client, "/statements/missing/") > 0
    login = client.get("/admin/login/")
    assert "ETag" not in login
    assert "public" not in login.get("Cache-Control", "")


def test_pages_are_sent_compressed_to_those_who_accept_it(client, statement):
    plain = client.get(statement.get_absolute_url())
    packed = client.get(
        statement.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, deflate"
    )
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert int(packed["Content-Length"]) == len(packed.content)
    assert packed["ETag"] != plain["ETag"]
    assert "Content-Encoding" not in plain
    again = client.get(
        statement.get_absolute_url(),
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=packed["ETag"],
    )
    assert again.status_code == 304


def test_signed_in_pages_are_private(client, statement, moderator):
    client.force_login(moderator)
    page = client.get(statement.get_absolute_url())
    assert "private" in page["Cache-Control"]
    assert "Surrogate-Key" not in page


def test_brotli_is_preferred_where_it_is_accepted(client, statement):
    plain = client.get(statement.get_absolute_url())
    packed = client.get(
        statement.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd"
    )
    assert packed["Content-Encoding"] == "br"
    assert brotli.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 3
    assert packed["ETag"].endswith('-br"')
    assert packed["Vary"] == "Accept-Encoding"


def test_with_the_page_cache_off_pages_are_rendered_and_still_public(
    statement, settings
):
    settings.COMMUNIQUE_PAGE_CACHE = False
    first = Client().get(statement.get_absolute_url())
    assert queries_of(Client(), statement.get_absolute_url()) > 0
    second = Client().get(statement.get_absolute_url())
    assert first.content == second.content
    assert "public" in second["Cache-Control"]
    assert second["Surrogate-Key"].split() == ["site", f"statement:{statement.pk}"]


def test_a_read_only_caller_is_served_kept_pages_but_keeps_none(client, statement):
    read_only = {"communique.pagecache.read_only": True}
    url = statement.get_absolute_url()

    first = client.get(url, **read_only)

    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    assert queries_of(client, url) > 0  # the first reader renders it: not kept
    assert queries_of(client, url, **read_only) == 0  # kept now, and served
