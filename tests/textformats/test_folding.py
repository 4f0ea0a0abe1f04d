import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communique.textformats import digest_for_matching, fold_for_matching

ZWNJ = "\u200c"
KASHIDA_WORD = "کـتـاب"

EXAMPLES = [
    # Arabic letter forms become the Persian ones.
    ("كتاب", "کتاب"),  # Arabic kaf
    ("علي", "علی"),  # Arabic yeh
    ("مصطفى", "مصطفی"),  # alef maksura
    ("يك", "یک"),
    # Letters that change the word for Persian readers stay.
    ("آب", "آب"),
    ("مسئله", "مسئله"),
    ("مؤمن", "مؤمن"),
    ("أحمد", "أحمد"),
    ("مدرسة", "مدرسة"),
    # Heh with yeh above, written whole or as heh and a hamza mark.
    ("خانۀ ما", "خانه ما"),
    ("خانهٔ ما", "خانه ما"),
    # Kashida and diacritics.
    ("ســـلام", "سلام"),
    ("سَلام", "سلام"),
    ("مُحَمَّد", "محمد"),
    ("كِتابٌ", "کتاب"),
    ("رحمٰن", "رحمن"),  # superscript alef
    ("ـكـتـاب ـ", "کتاب"),
    # A letter typed as base and mark is the composed letter.
    ("\u0627\u0653ب", "آب"),
    # The half-space and other invisible characters.
    (f"می{ZWNJ}خواهم", "میخواهم"),
    ("میخواهم", "میخواهم"),
    ("می خواهم", "می خواهم"),
    ("کتاب" + ZWNJ + "های ما", "کتابهای ما"),
    ("spa\u200bm", "spam"),
    ("sp\u00adam", "spam"),
    ("\u202espam\u202c", "spam"),
    ("\u200f" + "سلام" + "\u200e", "سلام"),
    ("\ufeffspam", "spam"),
    # Digits.
    ("۱۴۰۳", "1403"),
    ("٢٠٢٤", "2024"),
    ("ساعت ۹:۳۰", "ساعت 9:30"),
    # Presentation forms and other compatibility characters.
    ("\ufed9\ufe98\ufe8e\ufe8f", "کتاب"),  # kaf teh alef beh, as shaped
    ("\ufbfc", "ی"),  # Persian yeh isolated
    ("\ufef1", "ی"),  # Arabic yeh isolated
    ("\ufeef", "ی"),  # alef maksura isolated
    ("\ufb8e", "ک"),  # keheh isolated
    ("\ufefb", "لا"),  # lam-alef ligature
    ("\ufe71", ""),  # kashida with tanwin
    ("\uff33\uff30\uff21\uff2d", "spam"),  # full-width
    ("ﬁnance", "finance"),
    # Case, and Latin accents as typed.
    ("SPAM", "spam"),
    ("Straße", "strasse"),
    ("café", "café"),
    ("cafe\u0301", "café"),
    # Whitespace.
    ("  buy\t\n cheap\u00a0pills  ", "buy cheap pills"),
    ("a\u2009b", "a b"),
    ("", ""),
    ("\u200c\u200c", ""),
]


@pytest.mark.parametrize(("text", "expected"), EXAMPLES)
def test_folding_examples(text, expected):
    assert fold_for_matching(text) == expected


@pytest.mark.parametrize("letter", ["\u06cc", "\u06a9", "\u0647", "\u0622", "\u06c0"])
def test_nfkc_keeps_persian_letters(letter):
    assert unicodedata.normalize("NFKC", letter) == letter


def test_spellings_of_one_word_meet():
    spellings = [
        "می" + ZWNJ + "خواهم",
        "ميخواهم",
        "مـیـخواهم",
        "میْخواهم",
        "\ufee3\ufef4" + "خواهم",
    ]
    assert {fold_for_matching(spelling) for spelling in spellings} == {"میخواهم"}


PERSIAN_AND_ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
MIXED = st.text(
    alphabet=st.one_of(
        PERSIAN_AND_ARABIC,
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
        st.sampled_from(" \t\n\u200c\u200d\u200f\u0640Aaİß\u0301\u0345"),
        st.characters(),
    )
)


@given(MIXED)
def test_folding_is_idempotent(text):
    once = fold_for_matching(text)
    assert fold_for_matching(once) == once


@given(MIXED)
def test_folded_text_has_no_kashida_marks_or_half_spaces(text):
    folded = fold_for_matching(text)
    assert not set(folded) & {"\u0640", "\u200c", "\u064a", "\u0643", "\u0649"}
    assert not any(
        unicodedata.category(character) == "Mn" and "\u0600" <= character <= "\u06ff"
        for character in folded
    )
    assert folded == folded.strip()
    assert "  " not in folded


PERSIAN_WORDS = st.text(alphabet=st.sampled_from("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكۀ"))


@given(PERSIAN_WORDS, PERSIAN_WORDS)
def test_a_half_space_between_letters_does_not_count(left, right):
    assert fold_for_matching(left + "\u200c" + right) == fold_for_matching(left + right)


def test_digests_are_equal_for_texts_that_match():
    assert digest_for_matching("علي " + KASHIDA_WORD) == digest_for_matching("علی کتاب")
    assert digest_for_matching("علی") != digest_for_matching("علی کتاب")
    assert len(digest_for_matching("")) == 64
