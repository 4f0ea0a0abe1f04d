import re

import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from communique import textformats
from communique.textformats.plain_text import render_plain_text

REL = 'rel="nofollow ugc noopener"'
LONG_URL = "https://example.org/" + "a" * 180

EXAMPLES = [
    # From the specification.
    (
        "Read https://example.org/report?id=7.",
        f'<p>Read <a href="https://example.org/report?id=7" {REL}>'
        "https://example.org/report?id=7</a>.</p>",
    ),
    (
        "see www.example.com, then",
        f'<p>see <a href="http://www.example.com" {REL}>www.example.com</a>, then</p>',
    ),
    (
        "write to info@example.org",
        f'<p>write to <a href="mailto:info@example.org" {REL}>info@example.org</a></p>',
    ),
    (
        '<b>bold</b> & "quotes"',
        "<p>&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot;</p>",
    ),
    (
        "(see https://en.wikipedia.org/wiki/Foo_(bar))",
        f'<p>(see <a href="https://en.wikipedia.org/wiki/Foo_(bar)" {REL}>'
        "https://en.wikipedia.org/wiki/Foo_(bar)</a>)</p>",
    ),
    ("javascript:alert(1)", "<p>javascript:alert(1)</p>"),
    ("one\ntwo\n\nthree", "<p>one<br>two</p>\n<p>three</p>"),
    (
        '"http://example.com"',
        f'<p>&quot;<a href="http://example.com" {REL}>http://example.com</a>&quot;</p>',
    ),
    (
        "<http://example.com>",
        f'<p>&lt;<a href="http://example.com" {REL}>http://example.com</a>&gt;</p>',
    ),
    (
        "HTTP://EXAMPLE.COM/A",
        f'<p><a href="HTTP://EXAMPLE.COM/A" {REL}>HTTP://EXAMPLE.COM/A</a></p>',
    ),
    (
        "https://example.com/?q=سلام",
        f'<p><a href="https://example.com/?q=سلام" {REL}>'
        "https://example.com/?q=سلام</a></p>",
    ),
    # Schemes, ports, fragments, internationalised addresses.
    (
        "get ftp://ftp.example.org/pub/file.txt",
        f'<p>get <a href="ftp://ftp.example.org/pub/file.txt" {REL}>'
        "ftp://ftp.example.org/pub/file.txt</a></p>",
    ),
    (
        "http://localhost:8080/x",
        f'<p><a href="http://localhost:8080/x" {REL}>http://localhost:8080/x</a></p>',
    ),
    (
        "https://example.org/page#section-2",
        f'<p><a href="https://example.org/page#section-2" {REL}>'
        "https://example.org/page#section-2</a></p>",
    ),
    (
        "http://例子.测试/路径",
        f'<p><a href="http://例子.测试/路径" {REL}>http://例子.测试/路径</a></p>',
    ),
    (
        "mailto:info@example.org",
        f'<p><a href="mailto:info@example.org" {REL}>mailto:info@example.org</a></p>',
    ),
    (
        "WWW.EXAMPLE.COM",
        f'<p><a href="http://WWW.EXAMPLE.COM" {REL}>WWW.EXAMPLE.COM</a></p>',
    ),
    (
        "http://a.example and https://b.example",
        f'<p><a href="http://a.example" {REL}>http://a.example</a> and '
        f'<a href="https://b.example" {REL}>https://b.example</a></p>',
    ),
    # What follows an address without being part of it.
    (
        "https://example.org/a).",
        f'<p><a href="https://example.org/a" {REL}>https://example.org/a</a>).</p>',
    ),
    (
        "wow http://example.org/x!",
        f'<p>wow <a href="http://example.org/x" {REL}>http://example.org/x</a>!</p>',
    ),
    (
        "is it http://example.org/x?",
        f'<p>is it <a href="http://example.org/x" {REL}>http://example.org/x</a>?</p>',
    ),
    (
        "http://example.org/x?!",
        f'<p><a href="http://example.org/x" {REL}>http://example.org/x</a>?!</p>',
    ),
    # The Arabic script's comma, semicolon and question mark after an address.
    (
        "ببینید https://example.org/a، و",
        f'<p>ببینید <a href="https://example.org/a" {REL}>'
        "https://example.org/a</a>، و</p>",
    ),
    (
        "https://example.org/a؛ https://example.org/b؟",
        f'<p><a href="https://example.org/a" {REL}>https://example.org/a</a>؛ '
        f'<a href="https://example.org/b" {REL}>https://example.org/b</a>؟</p>',
    ),
    (
        "ftp://example.org/f; then",
        f'<p><a href="ftp://example.org/f" {REL}>ftp://example.org/f</a>; then</p>',
    ),
    (
        "see http://example.org/w: it",
        f'<p>see <a href="http://example.org/w" {REL}>http://example.org/w</a>: it</p>',
    ),
    (
        "http://example.org/w):",
        f'<p><a href="http://example.org/w" {REL}>http://example.org/w</a>):</p>',
    ),
    (
        "[http://example.org/a]",
        f'<p>[<a href="http://example.org/a" {REL}>http://example.org/a</a>]</p>',
    ),
    (
        "'http://example.org/a'",
        f'<p>&#x27;<a href="http://example.org/a" {REL}>http://example.org/a</a>'
        "&#x27;</p>",
    ),
    (
        "“http://example.org/a”",
        f'<p>“<a href="http://example.org/a" {REL}>http://example.org/a</a>”</p>',
    ),
    (
        "mail info@example.org.",
        f'<p>mail <a href="mailto:info@example.org" {REL}>info@example.org</a>.</p>',
    ),
    # Escaping happens after linking, on every piece.
    (
        "https://example.org/?a=1&b=2",
        f'<p><a href="https://example.org/?a=1&amp;b=2" {REL}>'
        "https://example.org/?a=1&amp;b=2</a></p>",
    ),
    ("it's", "<p>it&#x27;s</p>"),
    (
        'http://example.com/"onmouseover="alert(1)',
        '<p><a href="http://example.com/&quot;onmouseover=&quot;alert(1)" '
        f"{REL}>http://example.com/&quot;onmouseover=&quot;alert(1)</a></p>",
    ),
    (
        "http://example.com/<script>alert(1)</script>",
        f'<p><a href="http://example.com/" {REL}>http://example.com/</a>'
        "&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    ),
    # Never links.
    (
        "data:text/html,<script>alert(1)</script>",
        "<p>data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    ),
    ("vbscript:msgbox(1)", "<p>vbscript:msgbox(1)</p>"),
    ("file:///etc/passwd", "<p>file:///etc/passwd</p>"),
    ("see example.com today", "<p>see example.com today</p>"),
    ("//example.com/path", "<p>//example.com/path</p>"),
    # Right-to-left text around an address.
    (
        "برای اطلاعات بیشتر https://example.org/fa را ببینید.",
        "<p>برای اطلاعات بیشتر "
        f'<a href="https://example.org/fa" {REL}>https://example.org/fa</a>'
        " را ببینید.</p>",
    ),
    # Lines and paragraphs.
    ("one\r\ntwo\r\n\r\nthree", "<p>one<br>two</p>\n<p>three</p>"),
    ("one\rtwo\r\rthree", "<p>one<br>two</p>\n<p>three</p>"),
    ("\n\n  \none\n\n\n", "<p>one</p>"),
    ("one\n \t \ntwo\n\n\n\nthree", "<p>one</p>\n<p>two</p>\n<p>three</p>"),
    ("", ""),
    (" \n\r\n\t", ""),
    # Long addresses are shortened for display only.
    (
        LONG_URL,
        f'<p><a href="{LONG_URL}" {REL}>{LONG_URL[:71]}…</a></p>',
    ),
]


@pytest.mark.parametrize(("source", "expected"), EXAMPLES)
def test_plain_text_examples(source, expected):
    assert render_plain_text(source) == expected


def test_long_link_text_is_at_most_72_characters():
    link = BeautifulSoup(render_plain_text(LONG_URL), "html.parser").a
    assert len(link.get_text()) == 72
    assert link.get_text().endswith("…")
    assert link["href"] == LONG_URL


def test_plain_text_is_registered_but_not_for_statement_bodies():
    assert textformats.render("plain_text", "a <b>") == "<p>a &lt;b&gt;</p>"
    assert "plain_text" not in textformats.EDITOR_FORMATS
    assert set(textformats.EDITOR_FORMATS) < set(textformats.FORMATS)


def test_plain_text_label_and_tips():
    text_format = textformats.get_format("plain_text")
    with translation.override("en"):
        assert str(text_format.label) == "Plain text"
        assert [str(tip) for tip in text_format.tips] == [
            "No HTML tags allowed.",
            "Web page addresses and email addresses turn into links automatically.",
            "Lines and paragraphs break automatically.",
        ]


# Properties, for any input.

HREF_PREFIXES = ("http://", "https://", "ftp://", "mailto:")
ALLOWED_MARKUP = re.compile(
    r'<p>|</p>|<br>|</a>|<a href="[^"<>]*" rel="nofollow ugc noopener">'
)
URLISH = [
    "http://", "https://", "ftp://", "mailto:", "javascript:", "data:", "//",
    "www.", "example.org", ".com", "@", "/", "?", "#", "&", "=", ":", ".", ",",
    "!", ";", "(", ")", "[", "]", "<", ">", '"', "'", "“", "”", "…", " ",
    "\n", "\r\n", "\r", "\n\n", "\t", "سلام", "例子.测试",
]  # fmt: skip
# Forms reject NUL; lone surrogates cannot be encoded to send.
any_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
)
sources = st.lists(st.one_of(st.sampled_from(URLISH), any_text), max_size=40).map(
    "".join
)


def _without_whitespace(text: str) -> str:
    return "".join(text.split())


def _full_link_text(link) -> str:
    """The address as typed, from a link's href and its (maybe shortened) text."""
    href, text = link["href"], link.get_text()
    typed = [href, href.removeprefix("http://"), href.removeprefix("mailto:")]
    if text in typed:
        return text
    assert len(text) == 72, link
    assert text.endswith("…"), link
    return next(full for full in typed if full.startswith(text[:-1]))


@settings(max_examples=300, deadline=None)
@given(sources)
def test_output_is_only_paragraphs_breaks_and_safe_links(source):
    html = render_plain_text(source)
    assert not re.search("[<>\"']", ALLOWED_MARKUP.sub("", html)), html
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        assert element.name in {"p", "br", "a"}, html
        if element.name == "a":
            assert set(element.attrs) == {"href", "rel"}, html
            assert element["href"].lower().startswith(HREF_PREFIXES), html
            assert element["rel"] == ["nofollow", "ugc", "noopener"], html
            assert element.get_text()[-1] not in ".,;:!?", html
        else:
            assert not element.attrs, html


@settings(max_examples=300, deadline=None)
@given(sources)
def test_output_text_is_the_input_text(source):
    soup = BeautifulSoup(render_plain_text(source), "html.parser")
    for link in soup.find_all("a"):
        assert len(link.get_text()) <= 72
        link.string = _full_link_text(link)
    assert _without_whitespace(soup.get_text()) == _without_whitespace(source)
