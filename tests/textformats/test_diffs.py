"""Word diffs: what changed between two texts, escaped, in any script."""

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from communique.textformats import word_diff
from communique.textformats.diffs import has_changes, words_of


def marked(html: str) -> tuple[list[str], list[str]]:
    page = BeautifulSoup(html, "html.parser")
    return (
        # Which side of a word its space goes with is the matcher's choice.
        [tag.text.strip() for tag in page.find_all("del")],
        [tag.text.strip() for tag in page.find_all("ins")],
    )


@pytest.mark.parametrize(
    ("old", "new", "deleted", "inserted"),
    [
        ("the same text", "the same text", [], []),
        ("opens on Monday", "opens on Tuesday", ["Monday"], ["Tuesday"]),
        ("one two three", "one three", ["two"], []),
        ("one three", "one two three", [], ["two"]),
        ("", "all new", [], ["all new"]),
        ("all gone", "", ["all gone"], []),
        ("Price: 5.", "Price: 6.", ["5."], ["6."]),
        # A half-space joins the parts of a Persian word: one word changes.
        ("ما می‌خواهیم", "ما می‌خواستیم", ["می‌خواهیم"], ["می‌خواستیم"]),
        ("بندر باز شود", "بندر فردا باز شود", [], ["فردا"]),
        ("first\n\nsecond", "first\n\nchanged", ["second"], ["changed"]),
    ],
)
def test_words_that_changed_are_marked(old, new, deleted, inserted):
    assert marked(word_diff(old, new)) == (deleted, inserted)


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "</del><b>bold</b><del>",
        "&lt;already escaped&gt;",
    ],
)
def test_every_word_is_escaped(hostile):
    for html in (word_diff("plain", hostile), word_diff(hostile, "plain")):
        page = BeautifulSoup(html, "html.parser")
        assert {tag.name for tag in page.find_all()} <= {"del", "ins"}
    assert hostile in BeautifulSoup(word_diff("x", hostile), "html.parser").text


# Text as an HTML parser gives it back: no control characters but line breaks.
READABLE = st.text(
    st.characters(blacklist_categories=("Cc", "Cs")) | st.just("\n"), max_size=80
)


@given(READABLE, READABLE)
def test_the_new_text_is_the_diff_without_what_was_deleted(old, new):
    page = BeautifulSoup(f"<div>{word_diff(old, new)}</div>", "html.parser")
    for tag in page.find_all("del"):
        tag.decompose()
    assert page.text == new


@given(st.text(max_size=80))
def test_words_join_back_to_the_text(text):
    assert "".join(words_of(text)) == text


@pytest.mark.parametrize(
    ("old", "new"), [("opens Monday", "opens Tuesday"), ("بندر دوشنبه", "بندر سه‌شنبه")]
)
def test_replaced_words_do_not_run_together(old, new):
    html = str(word_diff(old, new))
    assert "</del><ins>" in html
    assert html.split("</del>")[0].endswith(" ")


def test_white_space_alone_is_no_change():
    assert not has_changes("a  b\n", "a b")
    assert has_changes("a b", "a c")
