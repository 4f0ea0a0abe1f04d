"""Every page's head links, header and footer: rendered once per language for
readers and kept by the worker, rendered anew for a moderator."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from communique import worker_memory

pytestmark = pytest.mark.django_db


def page(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def nav_links(soup: BeautifulSoup) -> list[str]:
    return [a.get_text() for a in soup.select("nav.site-nav a")]


def test_a_moderators_header_links_the_queue_and_a_readers_never_does(
    client, moderator
):
    reader = page(client, "/")
    client.force_login(moderator)
    moderators = page(client, "/")
    client.logout()
    reader_after = page(client, "/")

    assert nav_links(moderators) == ["Statements", "Archive", "Topics", "Moderation"]
    moderation = moderators.select_one("nav.site-nav a[href$='/moderation/']")
    assert moderation["href"] == reverse("comments:moderation")
    assert (
        nav_links(reader)
        == nav_links(reader_after)
        == [
            "Statements",
            "Archive",
            "Topics",
        ]
    )


def test_each_language_has_its_own_copy(client):
    english = page(client, "/")
    persian = page(client, "/fa/")
    assert english.select_one("form[role=search]")["action"] == "/search/"
    assert persian.select_one("form[role=search]")["action"] == "/fa/search/"
    assert persian.select_one(".skip-link").get_text() != "Skip to main content"
    assert persian.select_one("link[rel=alternate][type='application/atom+xml']")[
        "href"
    ] == reverse("publishing:feed").replace("/feed/", "/fa/feed/")
    # The English copy is kept, not changed by the Persian page.
    assert english.select_one(".skip-link").get_text() == "Skip to main content"
    assert page(client, "/").select_one(".skip-link").get_text() == (
        "Skip to main content"
    )


def test_readers_copies_are_kept_by_the_worker_and_follow_the_site_name(
    client, settings
):
    settings.COMMUNIQUE_PAGE_CACHE = False  # each page rendered
    page(client, "/")
    items, _ = worker_memory.usage()["site-chrome"]
    assert items == 3  # head links, header, footer in English
    page(client, "/archive/")  # another page, the same copies
    assert worker_memory.usage()["site-chrome"][0] == 3

    settings.COMMUNIQUE_SITE_NAME = "Harbour Union"
    soup = page(client, "/")
    assert soup.select_one(".site-name a").get_text() == "Harbour Union"
    assert "Harbour Union: statements" in str(
        soup.select_one("link[rel=alternate][type='application/atom+xml']")
    )
