"""The moderation log's dates, as the page's language writes them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from communique.comments.models import ModerationAction
from tests.factories import CommentFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db
# 2026-02-12 06:15 UTC: the site's time zone in tests is read from settings.
WHEN = dt.datetime(2026, 2, 12, 6, 15, tzinfo=dt.UTC)


@pytest.fixture
def logged(moderator, settings):
    settings.TIME_ZONE = "UTC"
    action = ModerationAction.objects.create(
        comment=CommentFactory(status="published"),
        moderator=moderator,
        action="approve",
        from_status="pending",
        to_status="published",
    )
    ModerationAction.objects.filter(pk=action.pk).update(created=WHEN)
    return action


def date_cell(client, language):
    with translation.override(language):
        url = reverse("comments:moderation_log")
    page = soup_of(client.get(url))
    return page.select_one(".moderation-log tbody time")


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "February 12, 2026, 06:15"),
        ("fa", "۲۳ بهمن ۱۴۰۴، ۰۶:۱۵"),
    ],
)
def test_log_dates_are_in_the_page_language(client, moderator, logged, language, shown):
    client.force_login(moderator)
    cell = date_cell(client, language)
    assert cell.get_text() == shown
    assert cell["datetime"] == "2026-02-12T06:15:00+0000"
