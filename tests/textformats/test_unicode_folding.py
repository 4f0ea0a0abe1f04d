"""Text that Unicode disguises folds to what it shows: invisible characters,
full-width forms, hosts (UTS 46) and look-alike letters (UTS 39)."""

import unicodedata

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from communique.textformats import (
    count_links,
    digest_for_matching,
    fold_for_matching,
    skeleton_for_matching,
)
from communique.textformats.confusables import prototypes, skeleton
from communique.textformats.hosts import map_host, map_hosts

ZWSP = "\u200b"
SOFT_HYPHEN = "\u00ad"
ZWNJ = "\u200c"
FULLWIDTH_EVIL = "\uff45\uff56\uff49\uff4c"  # "evil" in full-width letters
IDEOGRAPHIC_STOP = "\u3002"
HALFWIDTH_IDEOGRAPHIC_STOP = "\uff61"
FULLWIDTH_STOP = "\uff0e"
CYRILLIC_E = "\u0435"
CYRILLIC_A = "\u0430"
CYRILLIC_ES = "\u0441"
CYRILLIC_O = "\u043e"
GREEK_NU = "\u03bd"

# Every way of writing "evil.com" that a browser reads as that host.
EVIL_HOSTS = [
    pytest.param(f"{FULLWIDTH_EVIL}.com", id="full-width letters"),
    pytest.param(f"{FULLWIDTH_EVIL}{FULLWIDTH_STOP}\uff43\uff4f\uff4d", id="all full"),
    pytest.param(f"evil{IDEOGRAPHIC_STOP}com", id="ideographic full stop"),
    pytest.param(f"evil{HALFWIDTH_IDEOGRAPHIC_STOP}com", id="half-width stop"),
    pytest.param(f"evil{FULLWIDTH_STOP}com", id="full-width full stop"),
    pytest.param(f"ev{ZWSP}il.com", id="zero-width space"),
    pytest.param(f"ev{SOFT_HYPHEN}il.com", id="soft hyphen"),
    pytest.param("ev\u2060il.c\ufeffom", id="word joiner and BOM"),
    pytest.param(f"ev{ZWNJ}il.com", id="ZWNJ"),
    pytest.param(f"{FULLWIDTH_EVIL}{IDEOGRAPHIC_STOP}c{ZWSP}om", id="all at once"),
    pytest.param("EVIL.COM", id="capitals"),
]

# Every way of writing "viagra" that shows as that word.
VIAGRA_WORDS = [
    pytest.param(f"via{ZWSP}gra", id="zero-width space"),
    pytest.param(f"via{SOFT_HYPHEN}gra", id="soft hyphen"),
    pytest.param("\uff56\uff49\uff41\uff47\uff52\uff41", id="full-width"),
    pytest.param("via\u034fgra", id="combining grapheme joiner"),
    pytest.param("via\ufe0fgra", id="variation selector"),
    pytest.param("via\u3164gra", id="Hangul filler"),
    pytest.param("via\U000e0067gra", id="tag character"),
    pytest.param("via\u180egra", id="Mongolian vowel separator"),
]


@pytest.mark.parametrize("host", EVIL_HOSTS)
def test_disguised_hosts_fold_to_the_host(host):
    assert fold_for_matching(f"see {host} now") == "see evil.com now"


@pytest.mark.parametrize("word", VIAGRA_WORDS)
def test_invisible_characters_inside_a_word_are_removed(word):
    assert fold_for_matching(f"cheap {word}!") == "cheap viagra!"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Look-alikes from Cyrillic and Greek, alone or mixed with Latin.
        (f"{CYRILLIC_E}vil.com", "evil.com"),
        (f"{CYRILLIC_ES}{CYRILLIC_A}sin{CYRILLIC_O}", "casino"),
        (f"{GREEK_NU}iagra", "viagra"),
        # Mathematical letters and other compatibility forms.
        ("\U0001d41c\U0001d41a\U0001d42c\U0001d422\U0001d427\U0001d428", "casino"),
        # Punycode and Unicode spellings of one host.
        ("xn--e1afmkfd.xn--p1ai", "\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444"),
        # Arabic letters standing in for Latin ones in a Latin word.
        ("paypa\u0627", "paypal"),
    ],
)
def test_look_alikes_meet_what_they_imitate(text, expected):
    assert skeleton_for_matching(text) == skeleton_for_matching(expected)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        # A Persian word is not its Latin look-alike (alef/l, heh/o).
        ("\u0627\u0647", "lo"),
        ("\u0627\u0648", "lo"),
        ("\u0647", "o"),
        # Letters Persian readers tell apart stay apart.
        ("\u0622\u0628", "\u0627\u0628"),
        ("\u06a9\u0627\u0631", "\u06af\u0627\u0631"),
        # Digits are not letters.
        ("2010", "zolo"),
        ("0912", "o9l2"),
        # Different hosts.
        ("evil.com", "evil.co"),
        ("evil.com", "devil.net"),
    ],
)
def test_what_differs_stays_apart(one, other):
    assert skeleton_for_matching(one) != skeleton_for_matching(other)


@pytest.mark.parametrize(
    ("persian", "spelling"),
    [
        ("کازینو", "كازينو"),
        ("کازینو", "کـازِینو"),
        ("می" + ZWNJ + "فروشم", "میفروشم"),
        ("شرط" + ZWSP + "بندی", "شرطبندی"),
        ("\u0628\u06cc\u0627", "\ufe8f\ufef4\ufe8e"),  # presentation forms
        ("سال ۱۴۰۳", "سال 1403"),
        ("سال۱۴۰۳", "سال1403"),
    ],
)
def test_persian_words_keep_matching_their_spellings(persian, spelling):
    assert skeleton_for_matching(persian) == skeleton_for_matching(spelling)
    assert skeleton_for_matching(persian) == fold_for_matching(persian)


def test_words_written_wholly_in_arabic_script_keep_their_letters():
    text = "ما كتاب يك ميليون را می‌خواهیم"
    assert skeleton_for_matching(text) == "ما کتاب یک میلیون را میخواهیم"


@pytest.mark.parametrize(
    ("candidate", "host"),
    [
        ("evil.com", "evil.com"),
        (f"{FULLWIDTH_EVIL}.com", "evil.com"),
        ("EVIL.COM", "evil.com"),
        ("xn--e1afmkfd.xn--p1ai", "пример.рф"),
        ("пример.рф", "пример.рф"),
        ("bad-.com", None),  # a label may not end in a hyphen
        ("a" * 64 + ".com", None),  # nor be longer than 63 characters
        ("under_score.com", None),
    ],
)
def test_map_host(candidate, host):
    assert map_host(candidate) == host


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"evil{IDEOGRAPHIC_STOP}com", "evil.com"),
        (f"end{IDEOGRAPHIC_STOP} next", f"end{IDEOGRAPHIC_STOP} next"),
        ("hello,world", "hello,world"),
        ("a:b", "a:b"),
        ("3.14", "3.14"),
        ("https://xn--e1afmkfd.xn--p1ai/path", "https://пример.рф/path"),
        ("bad-.xn--p1ai", "bad-.xn--p1ai"),  # refused by idna: left as it is
    ],
)
def test_map_hosts_changes_hosts_only(text, expected):
    assert map_hosts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("https://evil.com", id="plain"),
        pytest.param(f"https://{FULLWIDTH_EVIL}.com", id="full-width letters"),
        pytest.param(f"https://evil{IDEOGRAPHIC_STOP}com", id="ideographic stop"),
        pytest.param(f"www.evil{IDEOGRAPHIC_STOP}com", id="www, ideographic stop"),
        pytest.param(f"www.{FULLWIDTH_EVIL}{FULLWIDTH_STOP}com", id="www, full-width"),
        pytest.param("\uff57\uff57\uff57.evil.com", id="full-width www"),
        pytest.param(f"https://ev{ZWSP}il.com", id="zero-width space"),
        pytest.param(f"www.ev{SOFT_HYPHEN}il.com", id="soft hyphen"),
        pytest.param(
            "\uff48\uff54\uff54\uff50\uff53\uff1a\uff0f\uff0fevil.com", id="all"
        ),
        pytest.param(f"https://{CYRILLIC_E}vil.com", id="Cyrillic e"),
        pytest.param("write to a@evil" + IDEOGRAPHIC_STOP + "com", id="e-mail"),
    ],
)
def test_a_disguised_link_counts_as_one(text):
    assert count_links(f"Look: {text} today.") == 1


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("No address here.", 0),
        ("evil.com", 0),  # a bare domain is no link, disguised or not
        (f"evil{IDEOGRAPHIC_STOP}com", 0),
        (f"https://evil.com www.evil{IDEOGRAPHIC_STOP}com", 2),
        ("https://a.example\nhttps://b.example\n\nhttps://c.example", 3),
        ("https://example.org/می" + ZWNJ + "خواهم", 1),
    ],
)
def test_count_links(text, links):
    assert count_links(text) == links


@pytest.mark.parametrize("host", EVIL_HOSTS)
def test_digests_of_disguised_hosts_are_equal(host):
    said = "Read this: {} before it goes."
    assert digest_for_matching(said.format(host)) == digest_for_matching(
        said.format("evil.com")
    )


def test_default_ignorable_characters_come_from_unicode_data():
    """Every default ignorable code point is removed, whatever its block."""
    ignorable = regex.compile(r"\p{Default_Ignorable_Code_Point}")
    found = [chr(code) for code in range(0x110000) if ignorable.match(chr(code))]
    assert len(found) > 4000  # mostly unassigned code points kept for the future
    assert {ZWSP, SOFT_HYPHEN, ZWNJ, "\u2060", "\ufeff", "\u034f"} <= set(found)
    sample = "".join(found[:: max(1, len(found) // 300)])
    assert fold_for_matching(f"a{sample}b") == "ab"


def test_the_confusables_data_is_read_whole():
    table = prototypes()
    assert len(table) == 6311  # "total" at the end of confusables.txt 13.0.0
    assert table[ord(CYRILLIC_E)] == "e"
    assert table[ord("m")] == "rn"
    assert skeleton("paypal") == skeleton(f"p{CYRILLIC_A}yp{CYRILLIC_A}l")


def test_digits_keep_their_value():
    assert skeleton_for_matching("۰۹۱۲ 0912") == "0912 0912"


# The longest expansion of one character: NFKC writes out U+FDFA (an Arabic
# ligature of a blessing) as 18 characters. Nothing else folds to more.
MAX_GROWTH = 18

ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
        st.characters(min_codepoint=0x0400, max_codepoint=0x04FF),
        st.characters(min_codepoint=0x3000, max_codepoint=0x303F),
        st.sampled_from(
            ". -:/@\u200b\u200c\u00ad\u3002\uff0e\uff61\u034f\ufe0f01lImrn"
            "\uff45\uff56\uff49\uff4c\ufdfa"
        ),
        st.characters(),
    )
)


@given(ANY_TEXT)
def test_folding_and_skeleton_are_idempotent(text):
    folded = fold_for_matching(text)
    assert fold_for_matching(folded) == folded
    keyed = skeleton_for_matching(text)
    assert skeleton_for_matching(keyed) == keyed


@given(ANY_TEXT)
def test_folding_grows_text_by_a_bounded_factor(text):
    assert len(fold_for_matching(text)) <= MAX_GROWTH * len(text)
    assert len(skeleton_for_matching(text)) <= MAX_GROWTH * len(text)


@given(ANY_TEXT)
def test_folded_text_has_no_default_ignorable_characters(text):
    ignorable = regex.compile(r"\p{Default_Ignorable_Code_Point}")
    assert not ignorable.search(fold_for_matching(text))
    assert not ignorable.search(skeleton_for_matching(text))


PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآ"
PERSIAN_WORD = st.text(alphabet=st.sampled_from(PERSIAN_LETTERS), min_size=2)
SPELLING_NOISE = st.sampled_from(["", ZWNJ, ZWSP, SOFT_HYPHEN, "\u0640", "\u064e"])


@given(
    PERSIAN_WORD,
    st.lists(PERSIAN_WORD, max_size=4),
    st.lists(PERSIAN_WORD, max_size=4),
    st.data(),
)
def test_a_persian_word_is_found_in_text_however_it_is_spelled(
    word, before, after, data
):
    noisy = "".join(letter + data.draw(SPELLING_NOISE) for letter in word)
    noisy = noisy.replace("ی", "ي").replace("ک", "ك")
    text = " ".join([*before, noisy, *after])
    assert skeleton_for_matching(word) in skeleton_for_matching(text)


@given(PERSIAN_WORD)
def test_a_persian_word_is_not_its_latin_look_alike(word):
    """Unicode's table writes alef as "l" and heh as "o": a Persian word does
    not match the Latin letters that merely look like it."""
    look_alike = unicodedata.normalize("NFC", skeleton(word))
    if regex.search(r"\p{Latin}", look_alike):
        assert skeleton_for_matching(word) != skeleton_for_matching(look_alike)
