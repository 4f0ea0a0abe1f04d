"""The empty comment form is rendered once per worker and statement."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    """Each request renders the page, so the form's own cache is what is seen."""
    settings.COMMUNIQUE_PAGE_CACHE = False
    settings.COMMUNIQUE_CAPTCHA_ENABLED = True


def form_of(response):
    page = BeautifulSoup(response.content, "html.parser")
    return page.find("form", attrs={"action": True, "method": "post"})


def test_the_second_reader_gets_the_kept_form_byte_for_byte(statement):
    first = Client().get(statement.get_absolute_url())
    second = Client().get(statement.get_absolute_url())
    assert "comments/_form.html" in [t.name for t in first.templates]
    assert "comments/_form.html" not in [t.name for t in second.templates]
    assert str(form_of(first)) == str(form_of(second))
    assert first.content == second.content


def test_each_statement_posts_to_its_own_address(statement):
    other = StatementFactory(title="Another one")
    Client().get(statement.get_absolute_url())
    form = form_of(Client().get(other.get_absolute_url()))
    assert form["action"] == reverse("comments:post", args=[other.pk]) + "#comment-form"


def test_signed_in_people_get_their_own_form_and_readers_never_see_it(
    statement, moderator
):
    Client().get(statement.get_absolute_url())
    signed_in = Client()
    signed_in.force_login(moderator)
    page = signed_in.get(statement.get_absolute_url()).content.decode()
    assert f"Commenting as {moderator.get_username()}" in page
    anonymous = Client().get(statement.get_absolute_url()).content.decode()
    assert "Commenting as" not in anonymous
    assert 'name="author_name"' in anonymous


def test_a_changed_setting_changes_the_form(statement, settings):
    assert form_of(Client().get(statement.get_absolute_url())).find(
        "input", attrs={"name": "captcha"}
    )
    settings.COMMUNIQUE_CAPTCHA_ENABLED = False
    form = form_of(Client().get(statement.get_absolute_url()))
    assert form.find("input", attrs={"name": "captcha"}) is None
