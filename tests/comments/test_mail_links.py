"""The moderators' mail links to each held comment and to the queue at the
site's public address (COMMUNIQUE_SITE_URL), whatever served the request."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from communique.comments.notifications import notify_moderators
from tests.factories import CommentFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_address(settings):
    settings.COMMUNIQUE_SITE_URL = "https://news.example.org/"
    return "https://news.example.org"


def test_the_mail_links_each_comment_and_the_queue(moderator, public_address):
    first = CommentFactory(status="pending")
    second = CommentFactory(status="pending")
    notify_moderators()
    body = mail.outbox[0].body
    queue = f"{public_address}/moderation/"
    assert f"Moderate them at {queue}\n" in body
    for comment in (first, second):
        assert f"\n  {queue}?comment={comment.pk}\n" in body
    assert "127.0.0.1" not in body
    assert "8000" not in body


def test_a_mail_link_opens_that_comment_in_the_queue(moderator, public_address):
    comment = CommentFactory(status="pending")
    CommentFactory(status="pending")
    notify_moderators()
    link = re.search(
        r"https://news\.example\.org(/moderation/\?comment=\d+)", mail.outbox[0].body
    )
    client = Client()
    client.force_login(moderator)
    page = soup_of(client.get(link.group(1)))
    items = page.select(".moderation-list > .moderation-item")
    assert [item["id"] for item in items] == [f"comment-{comment.pk}"]
    assert reverse("comments:moderation") == "/moderation/"
