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


def test_the_second_reader_gets_the_kept_form_with_own_values(statement):
    first = Client().get(statement.get_absolute_url())
    second = Client().get(statement.get_absolute_url())
    assert "comments/_form.html" in [t.name for t in first.templates]
    assert "comments/_form.html" not in [t.name for t in second.templates]
    first_form, second_form = form_of(first), form_of(second)
    assert first_form["action"] == second_form["action"]
    assert [i.get("name") for i in first_form.find_all("input")] == [
        i.get("name") for i in second_form.find_all("input")
    ]

    def value(form, name):
        return form.find("input", attrs={"name": name})["value"]

    for name in ("csrfmiddlewaretoken", "captcha_0"):
        assert value(first_form, name) != value(second_form, name)


def test_each_statement_posts_to_its_own_address(statement):
    other = StatementFactory(title="Another one")
    Client().get(statement.get_absolute_url())
    form = form_of(Client().get(other.get_absolute_url()))
    assert form["action"] == reverse("comments:post", args=[other.pk])


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
        "input", attrs={"name": "captcha_1"}
    )
    settings.COMMUNIQUE_CAPTCHA_ENABLED = False
    form = form_of(Client().get(statement.get_absolute_url()))
    assert form.find("input", attrs={"name": "captcha_1"}) is None
