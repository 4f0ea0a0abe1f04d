import io
import random

import pytest
from PIL import Image, ImageFont

from communique.captcha.codes import ALPHABET, LONGEST, MAX_LENGTH, MIN_LENGTH, PERSIAN
from communique.captcha.drawing import HEIGHT, MAX_BYTES, WIDTH, draw_png
from communique.captcha.styles import FONTS, LATIN_FONTS, PERSIAN_FONTS


def decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def test_drawn_at_twice_180_by_60_css_pixels():
    assert (WIDTH, HEIGHT) == (360, 120)


def test_fifty_random_codes_are_small_pngs_of_the_right_size():
    rng = random.Random(5)
    for _ in range(50):
        length = rng.randint(MIN_LENGTH, MAX_LENGTH)
        code = "".join(rng.choice(ALPHABET) for _ in range(length))
        png = draw_png(code)
        image = decode(png)
        assert image.format == "PNG"
        assert image.size == (WIDTH, HEIGHT)
        assert len(png) <= MAX_BYTES == 8 * 1024, code


def test_the_same_seed_draws_the_same_image():
    assert draw_png("ACEFH", seed=42) == draw_png("ACEFH", seed=42)


def test_a_different_code_or_seed_draws_a_different_image():
    drawn = {
        draw_png("ACEFH", seed=42),
        draw_png("ACEFK", seed=42),
        draw_png("ACEFH", seed=43),
        draw_png("ACEFH"),
        draw_png("ACEFH"),
    }
    assert len(drawn) == 5


def test_a_code_is_drawn_in_ink_on_a_lighter_background():
    gray = decode(draw_png("MWMWM", seed=1)).convert("L")
    darkest, lightest = gray.getextrema()
    assert darkest < 110 < 170 < lightest
    # Ink covers a real share of the picture, not a few dots.
    dark = sum(gray.histogram()[:128])
    assert 0.04 < dark / (WIDTH * HEIGHT) < 0.5


def truetype(name: str) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONTS / name, 40)


@pytest.mark.parametrize("name", sorted({*LATIN_FONTS, *PERSIAN_FONTS}))
def test_a_character_missing_from_a_font_draws_nothing(name):
    assert truetype(name).getmask("a").getbbox() is None  # subsets: no lower case


@pytest.mark.parametrize("name", LATIN_FONTS)
def test_every_alphabet_character_is_in_each_latin_font(name):
    font = truetype(name)
    missing = font.getmask("\u0663")  # not in any subset: the missing-glyph box
    for char in ALPHABET:
        drawn = font.getmask(char)
        assert drawn.getbbox() is not None, char
        assert bytes(drawn) != bytes(missing), char


def test_a_code_of_one_repeated_character_is_drawn():
    assert decode(draw_png(ALPHABET[0] * MIN_LENGTH, seed=7)).size == (WIDTH, HEIGHT)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "acefh",
        "ACE FH",
        "ACÉFH",
        "A" * (LONGEST + 1),
        "\u0663\u0664\u0666",  # Arabic-Indic digits: not in the font
        "\u06f0\u06f5\u06f8",  # Persian digits left out of the alphabet
        "<svg>",
    ],
)
def test_what_it_cannot_draw_is_refused(code):
    with pytest.raises(ValueError, match="cannot draw"):
        draw_png(code)


# Persian codes: the same drawing, in Persian digits


@pytest.mark.parametrize("name", PERSIAN_FONTS)
@pytest.mark.parametrize("char", PERSIAN.characters)
def test_every_persian_digit_is_drawn_as_its_own_glyph(name, char):
    font = truetype(name)
    glyph = PERSIAN.shown(char)
    assert "\u06f0" <= glyph <= "\u06f9"
    drawn = font.getmask(glyph)
    assert drawn.getbbox() is not None
    # not the font's missing-glyph box, nor the Latin digit
    assert bytes(drawn) != bytes(font.getmask("\u0663"))
    assert bytes(drawn) != bytes(font.getmask(char))


@pytest.mark.parametrize("name", PERSIAN_FONTS)
def test_the_persian_glyphs_differ_from_each_other(name):
    font = truetype(name)
    masks = {bytes(font.getmask(glyph)) for glyph in PERSIAN.glyphs}
    assert len(masks) == len(PERSIAN.glyphs)


def test_a_persian_code_is_drawn_unlike_the_same_latin_digits():
    assert draw_png("34679", seed=3) != draw_png(PERSIAN.shown("34679"), seed=3)


def test_random_persian_codes_of_every_length_are_small_pngs_of_the_right_size():
    rng = random.Random(6)
    for length in range(MIN_LENGTH, MAX_LENGTH + 1):
        for _ in range(5):
            digits = PERSIAN.length_for(length)
            code = "".join(rng.choice(PERSIAN.characters) for _ in range(digits))
            png = draw_png(PERSIAN.shown(code))
            image = decode(png)
            assert image.size == (WIDTH, HEIGHT)
            assert len(png) <= MAX_BYTES, code


def test_a_persian_code_is_drawn_in_ink_on_a_lighter_background():
    gray = decode(draw_png(PERSIAN.shown("44444444"), seed=1)).convert("L")
    darkest, lightest = gray.getextrema()
    assert darkest < 110 < 170 < lightest
    dark = sum(gray.histogram()[:128])
    assert 0.04 < dark / (WIDTH * HEIGHT) < 0.5
