"""Markdown statements link bare web and e-mail addresses by the rules of the
comments' plain text: the same addresses, trimmed the same way."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from communique.publishing.models import Statement
from communique.textformats import get_format
from communique.textformats.markdown import render_markdown
from communique.textformats.plain_text import render_plain_text
from tests.factories import StatementFactory


def links(html: str) -> list[tuple[str, str]]:
    page = BeautifulSoup(html, "html.parser")
    return [(a.get("href"), a.get_text()) for a in page.find_all("a")]


# Text with no Markdown syntax in it, so that both formats read it alike.
SAME_AS_COMMENTS = [
    "See https://example.org/path for more",
    "Visit www.example.org.",
    "Write to press@example.org, today",
    "Under (https://example.org/a_(b)) in brackets",
    "Quoted “https://example.org/q” here",
    "Persian: ببینید https://example.org/fa، لطفاً",
    "Two: http://a.example.org and https://b.example.org/x?y=1",
    "Bare example.org stays text",
    "Scheme-relative //example.org stays text",
    "A javascript:alert(1) is no address",
]


@pytest.mark.parametrize("text", SAME_AS_COMMENTS)
def test_markdown_links_the_addresses_comments_link(text):
    assert links(render_markdown(text)) == links(render_plain_text(text))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Read https://example.org.", [("https://example.org", "https://example.org")]),
        ("`https://example.org` in code", []),
        ("    https://example.org in a code block", []),
        (
            "[the page](https://example.org/a) about https://example.org/b",
            [
                ("https://example.org/a", "the page"),
                ("https://example.org/b", "https://example.org/b"),
            ],
        ),
        ("<https://example.org>", [("https://example.org", "https://example.org")]),
        (
            "## Heading with www.example.org",
            [("http://www.example.org", "www.example.org")],
        ),
        (
            "*emphasis around https://example.org*",
            [("https://example.org", "https://example.org")],
        ),
    ],
)
def test_markdown_links_bare_addresses_outside_links_and_code(source, expected):
    assert links(render_markdown(source)) == expected


def test_an_address_with_markup_in_it_stays_escaped():
    html = render_markdown('https://example.org/"><script>alert(1)</script>')
    assert "<script>" not in html
    for href, _text in links(html):
        assert '"' not in href and "<" not in href


@given(st.text(max_size=200))
def test_every_link_of_a_markdown_body_goes_where_the_rules_allow(text):
    for href, _text in links(render_markdown(text)):
        assert href is None or href.lower().startswith(("http", "mailto:"))


def test_the_markdown_tips_say_addresses_become_links():
    tips = [str(tip) for tip in get_format("markdown").tips]
    assert (
        "Web page addresses and email addresses turn into links automatically." in tips
    )


@pytest.mark.django_db
def test_rebuild_html_links_addresses_in_statements_stored_before():
    statement = StatementFactory(body_source="Read www.example.org today.")
    Statement.objects.update(body_html="<p>Read www.example.org today.</p>")
    call_command("rebuild_html", stdout=io.StringIO())
    statement.refresh_from_db()
    assert links(statement.body_html) == [("http://www.example.org", "www.example.org")]
