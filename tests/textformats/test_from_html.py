"""Other systems' comment HTML turned into plain text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communique.textformats import text_from_html


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("line<br>next<br/>last", "line\nnext\nlast"),
        ("Fish &amp; chips &lt;3", "Fish & chips <3"),
        ('<a href="https://example.org/x">see</a>', "see (https://example.org/x)"),
        (
            '<a href="https://example.org">https://example.org</a>',
            "https://example.org",
        ),
        ('<a href="javascript:alert(1)">click</a>', "click"),
        ('<a href="mailto:a@example.org">write</a>', "write (a@example.org)"),
        ("<script>alert(1)</script>kept", "kept"),
        ("<b>bold</b> and <em>em</em>", "bold and em"),
        ("نیم\u200cفاصله &zwnj;ماند", "نیم\u200cفاصله \u200cماند"),
        ("<blockquote>quoted</blockquote>reply", "quoted\n\nreply"),
        ("unclosed <b>tag", "unclosed tag"),
        ("a\u00a0b", "a b"),
        ("", ""),
    ],
)
def test_comment_html_becomes_plain_text(html, text):
    assert text_from_html(html) == text


@given(st.text())
def test_any_input_gives_trimmed_text_with_at_most_one_blank_line(source):
    text = text_from_html(source)
    assert text == text.strip()
    assert "\n\n\n" not in text
