"""The half-space (zero-width non-joiner, U+200C) survives every text format."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communique import textformats
from communique.textformats.sanitize import clean_editor_html

ZWNJ = "\u200c"
WANT = "می" + ZWNJ + "خواهیم"  # "we want"
BOOKS = "کتاب" + ZWNJ + "های"  # "the books of"
# The ways an editor may write one in HTML or Markdown.
REFERENCES = ["&zwnj;", "&#8204;", "&#x200c;", "&#x200C;"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (WANT, f"<p>{WANT}</p>"),
        (f"ما {WANT}\n{BOOKS} ما", f"<p>ما {WANT}<br>{BOOKS} ما</p>"),
        (f"https://example.org/{WANT}", f"/{WANT}</a></p>"),
        # Plain text shows what was typed: a reference stays text.
        ("می&zwnj;خواهیم", "<p>می&amp;zwnj;خواهیم</p>"),
    ],
)
def test_plain_text_comments_keep_it(source, expected):
    assert textformats.render("plain_text", source).endswith(expected)


@pytest.mark.parametrize("reference", ["", *REFERENCES])
@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("ما {word}.", "<p>ما {want}.</p>"),
        ("## {word}", "<h2>{want}</h2>"),
        ("*{word}* و **{word}**", "<p><em>{want}</em> و <strong>{want}</strong></p>"),
        ("- {word}", "<li>{want}</li>"),
        ("[{word}](https://example.org/)", ">{want}</a></p>"),
        ("| {word} |\n| --- |\n| {word} |", "<th>{want}</th>"),
    ],
)
def test_markdown_keeps_it_written_or_as_a_reference(template, expected, reference):
    word = "می" + (reference or ZWNJ) + "خواهیم"
    html = textformats.render("markdown", template.format(word=word))
    assert expected.format(want=WANT) in html


@pytest.mark.parametrize("reference", ["", *REFERENCES])
@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("<p>ما {word}.</p>", "<p>ما {want}.</p>"),
        ("<h2>{word}</h2>", "<h2>{want}</h2>"),
        ("<blockquote><p>{word}</p></blockquote>", "<p>{want}</p>"),
        ('<abbr title="{word}">x</abbr>', f'title="{WANT}"'),
        ("<p>{word}<script>x</script></p>", "<p>{want}</p>"),
        ("<span>{word}</span>", "{want}"),  # a removed tag keeps its text
    ],
)
def test_basic_html_keeps_it_written_or_as_a_reference(template, expected, reference):
    word = "می" + (reference or ZWNJ) + "خواهیم"
    html = textformats.render("basic_html", template.format(word=word))
    assert expected.format(want=WANT) in html


@pytest.mark.parametrize("reference", ["", *REFERENCES])
def test_excerpts_keep_it(reference):
    word = "می" + (reference or ZWNJ) + "خواهیم"
    assert textformats.plain_excerpt(f"<p>ما {word}.</p>", 10) == f"ما {WANT}."


def test_a_half_space_does_not_split_a_word_in_an_excerpt():
    html = textformats.render("markdown", f"{BOOKS} ما را {WANT}")
    assert textformats.plain_excerpt(html, 2) == f"{BOOKS} ما…"


def test_excerpts_are_text_not_html():
    html = textformats.render("markdown", "Tom & Jerry <b>")
    assert textformats.plain_excerpt(html, 10) == "Tom & Jerry <b>"


PERSIAN = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0621, max_codepoint=0x064A),
        st.sampled_from("پچژکگی" + ZWNJ * 3),
    ),
    min_size=1,
)


@given(PERSIAN)
def test_every_half_space_survives_each_format(text):
    count = text.count(ZWNJ)
    assert textformats.render("plain_text", text).count(ZWNJ) == count
    assert textformats.render("markdown", text).count(ZWNJ) == count
    assert textformats.render("basic_html", text).count(ZWNJ) == count
    assert clean_editor_html(text.replace(ZWNJ, "&zwnj;")).count(ZWNJ) == count
    assert textformats.plain_excerpt(text, 1000).count(ZWNJ) == count
