"""The search page among the others: in every header, paginated, cached."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from communique.search.snippets import Part, marked, snippet
from tests.factories import StatementFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        lambda: reverse("publishing:front_page"),
        lambda: reverse("publishing:archive"),
        lambda: StatementFactory(
            language=translation.get_language()
        ).get_absolute_url(),
        lambda: reverse("search:search"),
        lambda: reverse("search:search") + "no/such/page/",
    ],
)
@pytest.mark.parametrize("language", ["en", "fa"])
def test_every_page_has_the_search_form_in_its_header(client, address, language):
    with translation.override(language):
        url = address()
        search_url = reverse("search:search")
    soup = soup_of(client.get(url))
    form = soup.select_one("header.site-header form[role=search]")
    assert form["action"] == search_url
    assert form.get("method", "get").lower() == "get"
    field = form.select_one("input[type=search][name=q]")
    assert soup.select_one(f"label[for={field['id']}]").get_text(strip=True)


def test_results_are_paginated(found, settings, django_assert_max_num_queries):
    settings.COMMUNIQUE_STATEMENTS_PER_PAGE = 3
    for number in range(7):
        StatementFactory(title=f"Pier {number}")
    # The results, their statements, the session-less request's fingerprint
    # key (for the search limit): a fixed number, however many are found.
    # PostgreSQL reads the candidates' ids in a query of their own first.
    with django_assert_max_num_queries(8 if connection.vendor == "postgresql" else 7):
        first = found("pier")
    second, third = found("pier", page="2"), found("pier", page="۳")
    assert len(first) == len(second) == 3
    assert len(third) == 1
    assert sorted(first + second + third) == [f"Pier {n}" for n in range(7)]


def test_pagination_links_keep_the_query(search, settings):
    settings.COMMUNIQUE_STATEMENTS_PER_PAGE = 1
    StatementFactory(title="Pier one")
    StatementFactory(title="Pier two")
    soup = soup_of(search("pier & <x>", "comments"))
    assert not soup.select(".pagination")  # no comment found
    soup = soup_of(search("pier"))
    link = soup.select_one(".pagination a[rel=next]")["href"]
    assert link == "?q=pier&in=statements&page=2"


def test_search_pages_are_public_but_not_kept_by_the_page_cache(
    client, db, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """Every query is an address of its own: HTTP caches in front may keep
    them, the page cache does not (a flood of new queries would push out the
    pages readers share), and a new statement is found at once."""
    StatementFactory(title="Slipway one")
    first = client.get("/search/", {"q": "slipway"})
    assert "public" in first["Cache-Control"]
    assert "statement-list" in first["Surrogate-Key"]
    assert "Set-Cookie" not in first
    unchanged = client.get(
        "/search/", {"q": "slipway"}, HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert unchanged.status_code == 304
    StatementFactory(title="Slipway two")
    again = client.get("/search/", {"q": "slipway", "utm_source": "x"})
    assert "2 results" in again.content.decode()
    front = client.get("/")
    with django_assert_max_num_queries(0):
        assert client.get("/").content == front.content


def test_searching_too_often_is_refused_and_keeps_the_query(client, db, settings):
    settings.COMMUNIQUE_SEARCHES_PER_MINUTE = 2
    StatementFactory(title="Slipway one")
    for _ in range(2):
        assert client.get("/search/", {"q": "slipway"}).status_code == 200
    assert client.get("/search/").status_code == 200  # the empty form is free
    refused = client.get("/search/", {"q": "slipway <x>"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "no-store" in refused["Cache-Control"]
    field = soup_of(refused).select_one("main input[name=q]")
    assert field["value"] == "slipway <x>"


@pytest.mark.parametrize(
    ("text", "terms", "parts"),
    [
        ("a b c", ["b"], [Part("a ", False), Part("b", True), Part(" c", False)]),
        ("<b>x</b>", ["x"], [Part("<b>", False), Part("x", True), Part("</b>", False)]),
        ("من می‌خواهم", ["میخواهم"], [Part("من ", False), Part("می‌خواهم", True)]),
        ("كتاب", ["کتاب"], [Part("كتاب", True)]),
        ("Statement", ["statements"], [Part("Statement", True)]),
        ("nothing here", ["zzz"], [Part("nothing here", False)]),
        ("", ["x"], []),
    ],
)
def test_marked(text, terms, parts):
    assert marked(text, terms) == parts


def test_a_snippet_is_cut_around_the_first_match():
    text = " ".join(f"w{n}" for n in range(100)) + " target " + "tail " * 100
    parts = snippet(text, ["target"], words=12)
    assert parts[0] == Part("… w92 w93 w94 w95 w96 w97 w98 w99 ", False)
    assert parts[1] == Part("target", True)
    assert parts[-1].text.endswith(" …")


def test_a_snippet_without_a_match_is_the_start_of_the_text():
    parts = snippet("one two three four", ["zzz"], words=2)
    assert parts == [Part("one two …", False)]


def test_only_the_newest_matches_are_ranked_and_the_page_says_so(
    search, found, monkeypatch
):
    from communique.search import backends

    monkeypatch.setattr(backends, "CANDIDATES", 3)
    for number in range(5):
        StatementFactory(title=f"Pier {number}")
    assert sorted(found("pier")) == ["Pier 2", "Pier 3", "Pier 4"]
    status = (
        soup_of(search("pier")).select_one(".search-count").get_text(" ", strip=True)
    )
    assert status.startswith("At least 3 results")
    StatementFactory(title="Quay")
    status = (
        soup_of(search("quay")).select_one(".search-count").get_text(" ", strip=True)
    )
    assert status == "1 result"
