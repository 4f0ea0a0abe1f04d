"""Helpers shared by the tests."""

from __future__ import annotations

from bs4 import BeautifulSoup
from django.core import signing
from django.test import Client
from django.urls import reverse

from communique.captcha import challenges, cookie


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
