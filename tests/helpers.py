"""Helpers shared by the tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from bs4 import BeautifulSoup
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.test.client import MULTIPART_CONTENT
from django.urls import reverse

from communique.captcha import challenges, cookie

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


class FormClient(Client):
    """A test client that posts a dict as a browser posts a form: URL-encoded,
    or as multipart when it holds a file (a form with a file field). The
    comment endpoints take URL-encoded forms only; Django's client sends
    multipart unless told otherwise."""

    def post(self, path, data=None, content_type=None, *args, **kwargs):
        if content_type is None:
            has_file = isinstance(data, dict) and any(
                isinstance(value, UploadedFile) for value in data.values()
            )
            content_type = MULTIPART_CONTENT if has_file else FORM_CONTENT_TYPE
        return super().post(path, data, content_type, *args, **kwargs)

    def _encode_data(self, data, content_type):
        if content_type == FORM_CONTENT_TYPE and isinstance(data, dict):
            return urlencode(data, doseq=True).encode()
        return super()._encode_data(data, content_type)


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def held_challenges(client: Client) -> list[str]:
    """The challenge ids the client's cookie names, oldest first."""
    morsel = client.cookies.get(cookie.NAME)
    if morsel is None or not morsel.value:
        return []
    return signing.loads(morsel.value, salt=cookie.SALT)


def fetch_captcha(client: Client) -> str:
    """Fetch the image, as a reader's browser does, and read its code
    server-side."""
    response = client.get(reverse("captcha:image"))
    assert response.status_code == 200
    return challenges.code_of(held_challenges(client)[-1])


def statement_form_data(**overrides) -> dict[str, str]:
    """What the admin's form for a new statement posts, with ``overrides``."""
    data = {
        "title": "Teachers stand together",
        "slug": "",
        "body_source": "We stand together.\n\n## Our demands\n\nPay the arrears.",
        "body_format": "markdown",
        "signature": "Coalition of Teachers",
        "date": "2025-04-02",
        "language": "en",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "commenting": "open",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
        "revisions-MIN_NUM_FORMS": "0",
        "revisions-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@contextmanager
def handler_keeps_the_connection() -> Iterator[None]:
    """As Django's test client does when a test calls the WSGI handler itself:
    the test's transaction must stay open, so the handler may not close the
    connection around a request (PostgreSQL's would be closed; SQLite's
    in-memory one never is)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def comment_post_url(statement) -> str:
    return reverse("comments:post", args=[statement.pk])


def comment_form_data(**overrides: str | None) -> dict[str, str]:
    """What the "Add new comment" form posts, with ``overrides``; a field
    overridden with None is left out."""
    data = {
        "author_name": "Nasrin",
        "email": "nasrin@example.org",
        "homepage": "",
        "subject": "",
        "body": "We agree.",
        "op": "save",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}
