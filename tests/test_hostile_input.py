"""Hostile and malformed requests: each gets a clear 4xx, never a 5xx, and
nothing is stored half."""

import datetime as dt
import json

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communique.antispam.models import BlockedTerm
from communique.comments.display import PAGE_PARAMETER
from communique.comments.models import Comment
from communique.publishing.models import Statement
from tests.factories import (
    CommentFactory,
    ModeratorFactory,
    UserFactory,
)
from tests.helpers import FormClient
from tests.helpers import comment_form_data as form_data
from tests.helpers import comment_post_url as post_url

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
NOT_UNDERSTOOD = "The request could not be understood."
TOO_LARGE = "What you sent is larger than this site accepts."
NOT_FOUND = "Page not found"
REQUIRED = "This field is required."
CSRF_TITLE = "Your form could not be sent"
NOT_A_FORM = "This form could not be read"


@pytest.fixture(autouse=True)
def _guards_off(no_captcha, post_at_once):
    """Hostile input, not the spam guards, is what these tests send."""


NOT_UTF8 = "it is not in the UTF-8 encoding"


def never_fails(client: Client) -> Client:
    """Make every request ``client`` sends assert that the answer is not a 5xx."""
    send = client.request

    def request(**kwargs):
        response = send(**kwargs)
        assert response.status_code < 500, (
            f"{kwargs.get('REQUEST_METHOD')} {kwargs.get('PATH_INFO')} "
            f"answered {response.status_code}"
        )
        return response

    client.request = request
    return client


@pytest.fixture
def client(client):
    return never_fails(client)


@pytest.fixture
def csrf_client():
    return never_fails(FormClient(enforce_csrf_checks=True))


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def text_of(response):
    return soup_of(response).get_text(" ", strip=True)


def kept_body(response):
    return soup_of(response).find("textarea", attrs={"name": "body"}).get_text()


# The body of the request


@pytest.mark.parametrize(
    ("raw", "status", "phrase"),
    [
        pytest.param(b"author_name=%FF%FE&body=%C3%28", 400, NOT_UTF8, id="not-utf8"),
        pytest.param(
            b"author_name=\xff\xfe&body=\xc3\x28", 400, NOT_UTF8, id="raw-bytes"
        ),
        pytest.param(
            b"author_name=Nasrin&body=nul%00byte",
            400,
            "Null characters are not allowed.",
            id="nul-in-body",
        ),
        pytest.param(
            b"author_name=Nas%00rin&body=Fine.",
            400,
            "Null characters are not allowed.",
            id="nul-in-name",
        ),
        pytest.param(b"body=" + b"x" * 10_000_000, 413, TOO_LARGE, id="10-MB"),
        pytest.param(
            b"author_name=N&" + b"&".join([b"a=b"] * 2000),
            400,
            NOT_UNDERSTOOD,
            id="too-many-fields",
        ),
        pytest.param(b"author_name=Nasrin", 400, REQUIRED, id="no-body"),
        pytest.param(b"body=We+agree.", 400, REQUIRED, id="no-name"),
        pytest.param(b"", 400, REQUIRED, id="empty"),
        pytest.param(b"&&&===&", 400, REQUIRED, id="only-separators"),
        pytest.param(
            b"author_name=Nasrin&body=Fine.&parent=abc",
            400,
            "Enter a whole number.",
            id="parent-not-a-number",
        ),
        pytest.param(
            b"author_name=Nasrin&body=Fine.&parent=99999999999999999999",
            400,
            "less than or equal to",
            id="parent-too-large",
        ),
        pytest.param(
            b"author_name=Nasrin&body=Fine.&parent=0",
            400,
            "greater than or equal to 1",
            id="parent-zero",
        ),
        pytest.param(
            b"author_name=Nasrin&body=Fine.&homepage=javascript:alert(1)",
            400,
            "Enter a valid URL.",
            id="script-homepage",
        ),
    ],
)
def test_malformed_bodies_are_refused(client, statement, raw, status, phrase):
    with CaptureQueriesContext(connection) as queries:
        response = client.generic("POST", post_url(statement), raw, FORM)
    assert response.status_code == status
    assert phrase in text_of(response)
    assert not Comment.objects.exists()
    writes = [q["sql"] for q in queries if "comments_comment" in q["sql"]]
    assert not [sql for sql in writes if sql.startswith(("INSERT", "UPDATE"))]


def test_ten_megabytes_in_a_form_are_refused(client, statement):
    response = client.post(post_url(statement), form_data(body="x" * 10_000_000))
    assert response.status_code == 413
    assert TOO_LARGE in text_of(response)
    assert not Comment.objects.exists()


def test_duplicated_field_keeps_the_last_value(client, statement):
    response = client.post(
        post_url(statement), form_data(body=["The first.", "The second."])
    )
    assert response.status_code == 302
    assert list(Comment.objects.values_list("body_source", flat=True)) == [
        "The second."
    ]


def test_duplicated_parent_with_garbage_last_is_refused(client, statement):
    parent = CommentFactory(statement=statement)
    response = client.post(
        post_url(statement), form_data(parent=[str(parent.pk), "abc"])
    )
    assert response.status_code == 400
    assert "Enter a whole number." in text_of(response)
    assert Comment.objects.count() == 1


# The content type


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        pytest.param(json.dumps(form_data()), "application/json", id="json"),
        pytest.param("author_name=Nasrin&body=Fine.", "text/plain", id="text"),
        pytest.param("<comment>Fine.</comment>", "application/xml", id="xml"),
        pytest.param("author_name=Nasrin&body=Fine.", "", id="none"),
        pytest.param(
            b"--x\r\nContent-Disposition: form-data; name=body\r\n\r\nFine.\r\n",
            "multipart/form-data",
            id="multipart-without-boundary",
        ),
    ],
)
def test_wrong_content_type_is_refused(client, statement, data, content_type):
    response = client.generic("POST", post_url(statement), data, content_type)
    assert response.status_code == 415
    assert NOT_A_FORM in text_of(response)
    assert not Comment.objects.exists()


def test_text_sent_as_a_file_upload_is_refused(client, statement):
    upload = SimpleUploadedFile("comment.txt", b"We agree.", "text/plain")
    response = client.post(post_url(statement), form_data(body=upload))
    assert response.status_code == 415
    assert not Comment.objects.exists()


def test_file_sent_along_a_form_is_refused(client, statement):
    upload = SimpleUploadedFile("virus.exe", b"MZ" + b"\0" * 100)
    response = client.post(post_url(statement), form_data(attachment=upload))
    assert response.status_code == 415
    assert not Comment.objects.exists()


# Methods


@pytest.fixture
def moderator_client(client):
    client.force_login(ModeratorFactory())
    return client


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_comment_endpoint_takes_only_post(client, statement, method):
    response = client.generic(method, post_url(statement), "body=x", FORM)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("method", "name", "allowed"),
    [
        ("PUT", "comments:moderation", "GET, POST"),
        ("DELETE", "comments:moderation", "GET, POST"),
        ("PATCH", "comments:moderation", "GET, POST"),
        ("PUT", "antispam:blocklist", "GET, POST"),
        ("DELETE", "antispam:blocklist", "GET, POST"),
        ("POST", "comments:moderation_log", "GET, HEAD"),
        ("DELETE", "comments:moderation_log", "GET, HEAD"),
    ],
)
def test_moderation_pages_refuse_other_methods(moderator_client, method, name, allowed):
    comment = CommentFactory(status=Comment.Status.PENDING)
    response = moderator_client.generic(
        method, reverse(name), f"action=approve&comments={comment.pk}", FORM
    )
    assert response.status_code == 405
    assert response["Allow"] == allowed
    assert Comment.objects.get().status == Comment.Status.PENDING


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_unblock_takes_only_post(moderator_client, method):
    term = BlockedTerm.objects.create(term="casino")
    response = moderator_client.generic(
        method, reverse("antispam:unblock", args=[term.pk])
    )
    assert response.status_code == 405
    assert BlockedTerm.objects.filter(pk=term.pk).exists()


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_admin_preview_takes_only_post(client, editor, method):
    client.force_login(editor)
    response = client.generic(method, reverse("admin:publishing_statement_preview"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert not Statement.objects.exists()


def test_refused_method_explains_itself_to_a_person(client, statement):
    """A reader who reloads the address a form was sent to gets a page that says
    what happened, not an empty one."""
    response = client.get(post_url(statement))
    assert response.status_code == 405
    page = soup_of(response)
    assert page.find("h1") is not None, "the 405 answer is an empty page"
    assert page.find("a", href=statement.get_absolute_url()) or page.find(
        "a", href=reverse("publishing:front_page")
    )


# Unknown ids and addresses


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/comments/new/999999/"),
        ("GET", "/comments/999999/"),
        ("GET", "/comments/999999/reply/"),
        ("GET", "/comments/999999/edit/"),
        ("POST", "/comments/999999/edit/"),
        ("GET", "/statements/no-such/"),
        ("GET", "/statements/" + "x" * 3000 + "/"),
        ("GET", "/archive/1999/"),
        ("GET", "/archive/0000/"),
        ("GET", "/archive/99999/"),
        ("GET", "/comments/99999999999999999999999/"),
        ("POST", "/comments/new/99999999999999999999999/"),
        ("GET", "/comments/-1/"),
        ("GET", "/comments/1e3/"),
        ("GET", "/comments/%EF%BC%91/"),  # a full-width digit one
        ("POST", "/moderation/blocklist/999999/remove/"),
    ],
)
def test_unknown_ids_are_not_found(client, statement, method, path):
    CommentFactory(statement=statement)
    client.force_login(ModeratorFactory())
    response = client.generic(method, path, "author_name=N&body=Fine.", FORM)
    assert response.status_code == 404
    assert NOT_FOUND in soup_of(response).find("h1").get_text()
    assert Comment.objects.count() == 1


def test_unknown_comment_to_edit_is_not_found_for_its_would_be_author(client):
    client.force_login(UserFactory())
    response = client.get(reverse("comments:edit", args=[999999]))
    assert response.status_code == 404


# Replies to comments that are not there to reply to


@pytest.mark.parametrize(
    "parent",
    [
        pytest.param(lambda statement: CommentFactory(), id="other-statement"),
        pytest.param(
            lambda statement: CommentFactory(statement=statement, status="deleted"),
            id="deleted",
        ),
        pytest.param(
            lambda statement: CommentFactory(statement=statement, status="spam"),
            id="spam",
        ),
        pytest.param(
            lambda statement: CommentFactory(statement=statement, status="pending"),
            id="pending",
        ),
        pytest.param(lambda statement: None, id="never-existed"),
    ],
)
def test_reply_to_a_comment_not_there_is_refused(client, statement, parent):
    comment = parent(statement)
    before = Comment.objects.count()
    response = client.post(
        post_url(statement),
        form_data(body="My reply.", parent=comment.pk if comment else 999999),
    )
    assert response.status_code == 400
    errors = soup_of(response).find(class_="form-errors").get_text()
    assert "no longer available" in errors
    assert kept_body(response).strip() == "My reply."
    assert Comment.objects.count() == before


# The statement changed while the reader was writing


def show_form_then(client, statement, **changes):
    assert client.get(statement.get_absolute_url()).status_code == 200
    Statement.objects.filter(pk=statement.pk).update(**changes)
    return client.post(post_url(statement), form_data(body="Kept text."))


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"status": "draft"}, id="unpublished"),
        pytest.param({"trashed_at": timezone.now()}, id="trashed"),
        pytest.param(
            {"published_at": timezone.now() + dt.timedelta(days=1)}, id="rescheduled"
        ),
    ],
)
def test_statement_withdrawn_meanwhile_is_not_found(client, statement, changes):
    response = show_form_then(client, statement, **changes)
    assert response.status_code == 404
    assert NOT_FOUND in text_of(response)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("commenting", ["closed", "hidden"])
def test_comments_closed_meanwhile_keep_the_text(client, statement, commenting):
    response = show_form_then(client, statement, commenting=commenting)
    assert response.status_code == 400
    errors = soup_of(response).find(class_="form-errors").get_text()
    assert "closed while you were writing" in errors
    assert kept_body(response).strip() == "Kept text."
    assert not Comment.objects.exists()


def test_comments_closed_between_checking_and_saving(client, statement, monkeypatch):
    monkeypatch.setattr(
        "communique.comments.forms.accepts_comments", lambda statement: True
    )
    response = show_form_then(client, statement, commenting="closed")
    assert response.status_code == 400
    errors = soup_of(response).find(class_="form-errors").get_text()
    assert "Comments on this statement are closed." in errors
    assert kept_body(response).strip() == "Kept text."
    assert not Comment.objects.exists()


# Cross-site posts


def assert_friendly_csrf_page(response, body, *, cross_site=True):
    assert response.status_code == 403
    page = soup_of(response)
    assert page.find("title").get_text().startswith(CSRF_TITLE)
    assert page.find("h1").get_text() == CSRF_TITLE
    said = page.find("main").get_text(" ", strip=True)
    assert ("from another web site" in said) is cross_site
    assert page.find("textarea", id="kept-body").get_text() == body
    assert page.find("textarea", id="kept-author_name").get_text() == "Nasrin"
    assert not Comment.objects.exists()


BODY = "A long and careful comment.\n\nWith a second paragraph."
FOREIGN = "https://evil.example"


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Sec-Fetch-Site": "cross-site"}, id="cross-site"),
        pytest.param(
            {"Sec-Fetch-Site": "cross-site", "Origin": FOREIGN}, id="cross-site-origin"
        ),
        pytest.param(
            {"Sec-Fetch-Site": "same-site", "Origin": "http://news.testserver"},
            id="same-site",
        ),
        pytest.param({"Origin": FOREIGN}, id="foreign-origin"),
        pytest.param({"Origin": "null"}, id="opaque-origin"),
        pytest.param({"Origin": "https://testserver"}, id="other-scheme"),
    ],
)
def test_a_cross_site_post_is_refused_and_keeps_the_text(
    csrf_client, statement, headers
):
    response = csrf_client.post(
        post_url(statement), form_data(body=BODY), headers=headers
    )
    assert_friendly_csrf_page(response, BODY)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Sec-Fetch-Site": "same-origin"}, id="same-origin"),
        pytest.param(
            {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
            id="same-origin-and-origin",
        ),
        pytest.param({"Origin": "http://testserver"}, id="origin-only"),
        pytest.param({}, id="neither"),
    ],
)
def test_a_same_origin_post_needs_no_token_or_cookie(csrf_client, statement, headers):
    page = csrf_client.get(statement.get_absolute_url())
    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert not page.cookies
    response = csrf_client.post(
        post_url(statement), form_data(body=BODY), headers=headers
    )
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_signed_in_forms_keep_the_token(csrf_client, statement, moderator):
    comment = CommentFactory(statement=statement, author_name="Nasrin")
    csrf_client.force_login(moderator)
    url = reverse("comments:edit", args=[comment.pk])
    refused = csrf_client.post(
        url,
        {"author_name": "Nasrin", "body": BODY},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert refused.status_code == 403
    page = soup_of(csrf_client.get(url))
    token = page.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    accepted = csrf_client.post(
        url,
        {"body": "Edited.", "csrfmiddlewaretoken": token},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert accepted.status_code == 302


# Headers and query strings


@pytest.mark.parametrize(
    "host", ["evil.example", "localhost:abc", "exa mple.org", "localhost@evil.example"]
)
def test_unknown_host_is_a_bad_request(client, statement, host):
    assert client.get("/", HTTP_HOST=host).status_code == 400
    response = client.post(post_url(statement), form_data(), HTTP_HOST=host)
    assert response.status_code == 400
    assert NOT_UNDERSTOOD in text_of(response)
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/statements/%00/",
        "/?page=%00",
        "/statements/on-the-harbour/?lang=%00",
        "/statements/on-the-harbour/?page=%00",
        "/moderation/?q=%00",
        "/?%00=1",
    ],
)
def test_nul_in_the_address_is_refused(client, statement, path):
    """PostgreSQL cannot compare text holding NUL: refused before any query."""
    client.force_login(ModeratorFactory())
    response = client.get(path)
    assert response.status_code == 400
    assert "a character that is not allowed" in text_of(response)


@pytest.mark.parametrize(
    "page", ["abc", "0", "-1", "1.5", "1e3", "%FF", "99999", "2", "[]"]
)
def test_front_page_garbage_page_number_is_not_found(client, statement, page):
    response = client.get(f"/?page={page}")
    assert response.status_code == 404
    assert NOT_FOUND in text_of(response)


@pytest.mark.parametrize("page", ["abc", "0", "99999"])
def test_statement_page_garbage_comment_page_is_not_found(client, statement, page):
    CommentFactory(statement=statement)
    response = client.get(f"{statement.get_absolute_url()}?{PAGE_PARAMETER}={page}")
    assert response.status_code == 404
    assert NOT_FOUND in text_of(response)


@pytest.mark.parametrize(
    "lang", ["xx", "%FF%FE", "en'--", "e" * 20, "../../etc/passwd"]
)
def test_garbage_language_on_a_statement_page(client, statement, lang):
    response = client.get(f"{statement.get_absolute_url()}?lang={lang}")
    # The statement's own address, which names no language.
    assert response.status_code == 301
    assert response["Location"] == statement.get_absolute_url()
    response = client.get(f"/statements/{lang}/")
    assert response.status_code in (301, 404)
    if response.status_code == 404:
        assert NOT_FOUND in text_of(response)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        pytest.param("/?q=" + "x" * 100_000, 200, id="ignored-parameter"),
        pytest.param("/?page=" + "9" * 5000, 404, id="page-number"),
        pytest.param("/statements/on-the-harbour/?lang=" + "e" * 5000, 301, id="lang"),
        pytest.param("/statements/" + "x" * 3000 + "/", 404, id="slug"),
    ],
)
def test_overlong_addresses_are_answered(client, statement, path, status):
    """Anonymous pages pass through the page cache, whose keys must stay valid
    however long the address."""
    response = client.get(path)
    assert response.status_code == status
