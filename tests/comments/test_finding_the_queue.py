"""The way to the moderation queue: the site's header for moderators, with
how many comments wait, and the admin's header and index."""

import pytest
from django.urls import reverse

from tests.factories import CommentFactory, EditorFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db
QUEUE = reverse("comments:moderation")


def header_link(client, path="/"):
    return soup_of(client.get(path)).select_one("nav.site-nav a[href$='/moderation/']")


def test_the_moderators_header_counts_the_waiting_comments(client, moderator):
    CommentFactory.create_batch(3, status="pending")
    CommentFactory(status="published")
    client.force_login(moderator)
    assert header_link(client).get_text() == "Moderation (3)"


def test_the_count_is_in_persian_digits_on_persian_pages(client, moderator):
    CommentFactory.create_batch(3, status="pending")
    client.force_login(moderator)
    assert header_link(client, "/fa/").get_text().endswith("(۳)")


def test_with_nothing_waiting_the_header_says_only_moderation(client, moderator):
    client.force_login(moderator)
    assert header_link(client).get_text() == "Moderation"


def test_readers_see_no_link_and_no_count(client):
    CommentFactory.create_batch(2, status="pending")
    response = client.get("/")
    assert header_link(client) is None
    assert b"Moderation" not in response.content


@pytest.mark.parametrize("path", ["/admin/", "/admin/comments/comment/"])
def test_the_admin_header_links_the_queue_with_its_count(client, moderator, path):
    CommentFactory.create_batch(2, status="pending")
    moderator.is_staff = True
    moderator.save()
    client.force_login(moderator)
    link = soup_of(client.get(path)).select_one("a.moderation-link")
    assert link["href"] == QUEUE
    assert link.get_text() == "Moderation (2)"


def test_the_admin_index_links_the_queue(client, moderator):
    CommentFactory(status="pending")
    moderator.is_staff = True
    moderator.save()
    client.force_login(moderator)
    link = soup_of(client.get("/admin/")).select_one(".moderation-queue-link a")
    assert link["href"] == QUEUE
    assert link.get_text() == "The moderation queue: 1 comment waiting"


def test_editors_who_do_not_moderate_get_no_link(client):
    client.force_login(EditorFactory())
    page = soup_of(client.get("/admin/"))
    assert page.select_one("a.moderation-link") is None
    assert page.select_one(".moderation-queue-link") is None


def test_the_admin_says_the_sites_name_everywhere(client, settings):
    settings.COMMUNIQUE_SITE_NAME = "Harbour Voices"
    client.force_login(EditorFactory())
    page = soup_of(client.get("/admin/"))
    assert page.select_one("#site-name").get_text(strip=True) == "Harbour Voices"
    assert page.title.get_text().endswith("| Harbour Voices")
    assert page.select_one("h1").get_text() == "Harbour Voices administration"
    assert "Django" not in page.get_text()
