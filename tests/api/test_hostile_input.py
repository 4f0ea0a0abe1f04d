"""Bad input to the API gets a clear 4xx in JSON and stores nothing; never a
500, never a page. A part of the site not answering gets a 503 in JSON that
gives back what was sent."""

import json

import pytest
from django.db import OperationalError

from communique.comments.models import Comment
from tests.api.conftest import api_url

pytestmark = pytest.mark.django_db

JSON = "application/json"
GOOD = {"author_name": "Shirin", "body": "Thank you."}


@pytest.fixture(autouse=True)
def _guards_off(no_captcha, post_at_once):
    """The input, not the spam guards, is what these tests are about."""


def assert_json_refusal(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith(JSON)
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body


@pytest.mark.parametrize(
    ("body", "content_type", "status", "says"),
    [
        (b"{", JSON, 400, "not JSON"),
        (b'{"body": "x",}', JSON, 400, "not JSON"),
        (b"\xff\xfe\x00binary\x00", JSON, 400, "not JSON"),
        (b'{"body": "\x80\x81"}', JSON, 400, "not UTF-8"),
        (b'{"author_name": "a", "body": "\\ud800"}', JSON, 400, "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, JSON, 413, "larger"),
        (b"[" * 20_000 + b"]" * 20_000, JSON, 400, "nested too deeply"),
        (json.dumps({"x": "y" * 200_000}).encode(), JSON, 413, "larger"),
        (b"[]", JSON, 422, "wrong type"),
        (b'"text"', JSON, 422, "wrong type"),
        (b"null", JSON, 422, "wrong type"),
        (json.dumps(GOOD | {"body": 5}).encode(), JSON, 422, "wrong type"),
        (json.dumps(GOOD | {"author_name": ["a"]}).encode(), JSON, 422, "wrong"),
        (json.dumps(GOOD | {"parent": "one"}).encode(), JSON, 422, "wrong type"),
        (json.dumps(GOOD | {"parent": 2**64}).encode(), JSON, 422, "wrong type"),
        (json.dumps(GOOD | {"parent": -1}).encode(), JSON, 422, "wrong type"),
        (json.dumps(GOOD | {"notify_replies": "maybe"}).encode(), JSON, 422, "wrong"),
        (json.dumps({"author_name": "a"}).encode(), JSON, 422, "missing"),
        (b"author_name=a&body=b", "application/x-www-form-urlencoded", 415, "JSON"),
        (b"<comment/>", "application/xml", 415, "JSON"),
        (b"--x\r\n\r\n--x--", "multipart/form-data; boundary=x", 415, "JSON"),
        (json.dumps(GOOD | {"body": "a\x00b"}).encode(), JSON, 400, "saved"),
        (json.dumps(GOOD | {"author_name": "a\nb"}).encode(), JSON, 400, "saved"),
        (json.dumps(GOOD | {"body": "x" * 9000}).encode(), JSON, 400, "saved"),
        (json.dumps(GOOD | {"homepage": "javascript:x"}).encode(), JSON, 400, "saved"),
    ],
)
def test_bad_bodies_are_refused_clearly(
    client, api_statement, body, content_type, status, says
):
    response = client.post(
        api_url(f"statements/{api_statement.pk}/comments/"),
        body,
        content_type=content_type,
    )
    refusal = assert_json_refusal(response, status)
    assert says in refusal["detail"]
    assert not Comment.objects.filter(author_name__in=["Shirin", "a"]).exists()


def test_a_body_over_the_site_limit_is_refused_unread(client, api_statement, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        api_url(f"statements/{api_statement.pk}/comments/"),
        json.dumps(GOOD | {"body": "x" * 2000}),
        content_type=JSON,
    )
    assert_json_refusal(response, 413)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "nothing/", 404),
        ("get", "statements/999999/", 404),
        ("get", "statements/999999/comments/", 404),
        ("post", "statements/999999/comments/", 404),
        ("get", "statements/0/", 422),
        ("get", f"statements/{2**64}/", 422),
        ("get", "statements/one/", 422),
        ("get", "statements/?page=0", 422),
        ("get", "statements/?page=-1", 422),
        ("get", "statements/?page=%D9%A2", 422),
        ("get", "statements/?page=99", 404),
        ("get", "statements/?lang=%00", 400),
        ("get", "statements/?lang=english-please", 422),
        ("get", "statements/?topic=a/b", 422),
        ("get", "statements/?topic=" + "a" * 101, 422),
        ("get", "topics/?lang=<script>", 422),
        ("get", "challenge/?form=login", 422),
        ("get", "{pk}/comments/?order=random", 404),
        ("get", "statements/{pk}/comments/?order=random", 422),
        ("delete", "statements/{pk}/comments/", 405),
        ("put", "statements/{pk}/", 405),
        ("post", "statements/", 405),
        ("patch", "topics/", 405),
        ("post", "challenge/", 405),
    ],
)
def test_bad_addresses_and_methods(client, api_statement, method, path, status):
    url = api_url(path.format(pk=api_statement.pk))
    if method == "post":
        response = client.post(url, json.dumps(GOOD), content_type=JSON)
    else:
        response = getattr(client, method)(url)
    body = assert_json_refusal(response, status)
    if status == 405:
        assert response["Allow"]
        assert body["detail"] == "This address does not take that method."


def test_field_errors_say_which_field(client):
    response = client.get(api_url("statements/?page=two"))
    body = assert_json_refusal(response, 422)
    assert list(body["errors"]) == ["page"]


class DatabaseGoneInView:
    """Meets the database gone just before the API's view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        raise OperationalError("connection refused")


def test_the_database_gone_gives_a_503_that_gives_the_text_back(
    settings, api_statement
):
    from django.test import Client

    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.DatabaseGoneInView"]
    client = Client(raise_request_exception=False)
    response = client.post(
        api_url(f"statements/{api_statement.pk}/comments/"),
        json.dumps({"author_name": "Shirin", "subject": "", "body": "Kept text."}),
        content_type=JSON,
    )
    body = assert_json_refusal(response, 503)
    assert response["Retry-After"] == "30"
    assert body["kept"] == {"author_name": "Shirin", "body": "Kept text."}


def test_the_cache_gone_gives_a_503_that_gives_the_text_back(settings, api_statement):
    """A real Redis client against a port where nothing listens."""
    from django.test import Client

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    settings.COMMUNIQUE_ANTISPAM_RATE_LIMITS = True
    client = Client(raise_request_exception=False)
    response = client.post(
        api_url(f"statements/{api_statement.pk}/comments/"),
        json.dumps({"author_name": "Shirin", "body": "Kept text."}),
        content_type=JSON,
    )
    body = assert_json_refusal(response, 503)
    assert body["kept"] == {"author_name": "Shirin", "body": "Kept text."}
    assert not Comment.objects.filter(author_name="Shirin").exists()
