"""Whatever a query says, the page answers with the form, escapes it, and
never reads it as the database's own query syntax."""

import pytest

from communique.search.index import MAX_TERMS, query_terms
from tests.factories import StatementFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    '"',
    '"unbalanced',
    "*",
    "harbour*",
    "NEAR(harbour strike)",
    "harbour NEAR strike",
    "(",
    ")",
    "-harbour",
    "title:harbour",
    "harbour OR strike",
    "harbour AND NOT strike",
    "^harbour",
    "{title body}: harbour",
    "'; DROP TABLE publishing_statement; --",
    "\\",
    "%",
    "_",
    "&",
    "!harbour & strike | ",
    "harbour:*",
    "\u200c",
    "\u202e",
    "ـــ",
    "٫٬",
    "x" * 10_000,
    "word " * 2_000,
    "\u064a" * 10_000,
]


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("kind", [None, "comments"])
def test_hostile_queries_get_a_page(search, query, kind):
    StatementFactory(title="On the harbour strike")
    response = search(query, kind)
    assert response.status_code == 200
    assert soup_of(response).select_one("main form[role=search] input[name=q]")


def test_a_nul_character_is_a_bad_request_as_everywhere(search):
    assert search("harbour\x00").status_code == 400


def test_a_script_in_the_query_is_escaped(search):
    StatementFactory(title="alert me", body_source="script alert 1")
    response = search("<script>alert(1)</script>")
    page = response.content.decode()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # Found (every word is in the statement), and marked only with <mark>.
    assert len(soup_of(response).select(".search-results li")) == 1


def test_markup_in_a_statement_reaches_the_snippet_as_text(search):
    StatementFactory(
        title="<b>bold</b> title",
        body_source="Text with `<img src=x onerror=alert(1)>` and <i>needle</i>.",
        body_format="markdown",
    )
    response = search("needle")
    soup = soup_of(response)
    result = soup.select_one(".search-results li")
    assert result.select("img, i, b, script") == []
    assert [mark.get_text() for mark in result.select("mark")] == ["needle"]
    assert "<b>bold</b> title" in result.select_one("h2").get_text()


@pytest.mark.parametrize("query", ["", " ", "\t\n", "\u200c", "***", "()"])
def test_an_empty_query_shows_the_form(search, query):
    response = search(query)
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.select_one("main form[role=search]")
    assert not soup.select(".search-results")


def test_no_query_at_all_shows_the_form(client, db):
    response = client.get("/search/")
    assert response.status_code == 200
    assert b"No statement contains" not in response.content


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("Harbour STRIKE", ["harbour", "strike"]),
        ('"NEAR(a* -b:c)"', ["near", "a", "b", "c"]),
        ("twice twice", ["twice"]),
        ("كتاب می‌خواهم", ["کتاب", "میخواهم"]),
        ("<script>", ["script"]),
        ("", []),
        ("x" * 500, ["x" * 60]),
        (" ".join(f"w{n}" for n in range(50)), [f"w{n}" for n in range(MAX_TERMS)]),
    ],
)
def test_query_terms(query, terms):
    assert query_terms(query) == terms


@pytest.mark.parametrize("page", ["0", "-1", "x", "99", "1.5", "١٠"])
def test_a_page_that_does_not_exist_is_not_found(search, page):
    StatementFactory(title="harbour")
    assert search("harbour", page=page).status_code == 404


def test_an_unknown_tab_shows_statements(found):
    StatementFactory(title="harbour")
    assert found("harbour", "<script>") == ["harbour"]
