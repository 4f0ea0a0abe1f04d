import pytest
from django.core.exceptions import ValidationError
from django.utils.text import slugify as django_slugify
from hypothesis import given
from hypothesis import strategies as st

from communique.textformats import slugify, validate_slug

ZWNJ = "\u200c"

EXAMPLES = [
    # The half-space inside a word stays; a run of them is one.
    ("می" + ZWNJ + "خواهم", "می" + ZWNJ + "خواهم"),
    ("می" + ZWNJ + "خواهم بروم", "می" + ZWNJ + "خواهم-بروم"),
    ("کتاب" + ZWNJ * 3 + "های ما", "کتاب" + ZWNJ + "های-ما"),
    ("بیانیه هیئت" + ZWNJ + "اجرایی", "بیانیه-هیئت" + ZWNJ + "اجرایی"),
    # Django drops diacritics; the half-space beside one stays.
    ("بیانیهٔ هیئت", "بیانیه-هیئت"),
    ("مهمّ" + ZWNJ + "ترین", "مهم" + ZWNJ + "ترین"),
    ("می" + ZWNJ + "َخواهم", "می" + ZWNJ + "خواهم"),
    # Elsewhere it goes, as Django drops it.
    (ZWNJ + "سلام" + ZWNJ, "سلام"),
    ("دفتر" + ZWNJ + " دوم", "دفتر-دوم"),
    ("دفتر" + ZWNJ + "-دوم", "دفتر-دوم"),
    ("سال" + ZWNJ + "۱۴۰۳", "سال۱۴۰۳"),
    ("foo_" + ZWNJ + "bar", "foo_bar"),
    (ZWNJ, ""),
    # Presentation forms become letters (NFKC) before the half-space is judged.
    ("\ufed9\ufe98\ufe8e\ufe8f" + ZWNJ + "\ufeeb\ufe8e\ufbfe", "كتاب" + ZWNJ + "های"),
    # Otherwise what Django makes.
    ("On the Harbour: a statement!", "on-the-harbour-a-statement"),
    ("  Ünïcödé   Title ", "ünïcödé-title"),
    ("bayaniye -- ۱۴۰۳", "bayaniye-۱۴۰۳"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), EXAMPLES)
def test_slug_examples(text, expected):
    assert slugify(text) == expected


@pytest.mark.parametrize(
    ("text", "max_length", "expected"),
    [
        ("ابجد" + ZWNJ + "هوز", 5, "ابجد"),  # a cut before a half-space
        ("ابجد" + ZWNJ + "هوز", 7, "ابجد" + ZWNJ + "هو"),
        ("one two", 4, "one"),  # a cut before a hyphen
        ("one two", 20, "one-two"),
    ],
)
def test_a_cut_slug_has_no_loose_end(text, max_length, expected):
    assert slugify(text, max_length=max_length) == expected


@pytest.mark.parametrize(
    "slug",
    [
        "می" + ZWNJ + "خواهم",
        "کتاب" + ZWNJ + "های-ما",
        "on-the-harbour",
        "ünïcödé_title-2",
        "۱۴۰۳",
    ],
)
def test_valid_slugs(slug):
    validate_slug(slug)


@pytest.mark.parametrize(
    "slug",
    [
        "",
        ZWNJ + "سلام",
        "سلام" + ZWNJ,
        "دفتر-" + ZWNJ + "دوم",
        "سال" + ZWNJ + "۱۴۰۳",
        "a b",
        "a/b",
        "a\u200db",  # the joiner is not the non-joiner
        "a.b",
    ],
)
def test_invalid_slugs(slug):
    with pytest.raises(ValidationError):
        validate_slug(slug)


TITLES = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.sampled_from(" -_." + ZWNJ * 4),
        st.characters(),
    )
)


@given(TITLES)
def test_slugs_are_valid_and_stable(title):
    slug = slugify(title)
    if slug:
        validate_slug(slug)
    assert slugify(slug) == slug


@given(TITLES, st.integers(min_value=1, max_value=30))
def test_cut_slugs_are_valid(title, max_length):
    slug = slugify(title, max_length=max_length)
    assert len(slug) <= max_length
    if slug:
        validate_slug(slug)


@given(TITLES)
def test_without_half_spaces_it_is_djangos_slug(title):
    title = title.replace(ZWNJ, "")
    assert slugify(title) == django_slugify(title, allow_unicode=True)
