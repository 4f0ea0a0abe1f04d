"""Each installation's drawing style comes from its secret key."""

import io
import random

import pytest
from django.test import override_settings
from PIL import Image

from communique.captcha.codes import ENGLISH, LONGEST, PERSIAN
from communique.captcha.drawing import HEIGHT, MAX_BYTES, WIDTH, draw_png
from communique.captcha.styles import (
    BACKGROUNDS,
    FILLS,
    LATIN_FONTS,
    NOISES,
    PERSIAN_FONTS,
    installation_style,
    style_of,
)

SECRETS = [f"an installation's secret key, number {n}" for n in range(40)]


def test_the_same_secret_gives_the_same_style():
    assert style_of("one secret") == style_of("one secret") == style_of(b"one secret")


def test_secrets_spread_over_the_fonts_and_kinds():
    styles = [style_of(secret) for secret in SECRETS]
    assert len({style.latin_fonts for style in styles}) >= 30
    assert {style.fill for style in styles} == set(FILLS)
    assert {style.background for style in styles} == set(BACKGROUNDS)
    assert {style.noise for style in styles} == set(NOISES)
    for style in styles:
        assert set(style.latin_fonts) <= set(LATIN_FONTS)
        assert set(style.persian_fonts) <= set(PERSIAN_FONTS)
        assert style.fonts_for("ACEFH") == style.latin_fonts
        assert style.fonts_for(PERSIAN.shown("1234")) == style.persian_fonts


def test_the_installation_style_follows_the_secret_key():
    with override_settings(SECRET_KEY=SECRETS[0]):
        first = installation_style()
        assert draw_png("ACEFH", seed=1) == draw_png(
            "ACEFH", seed=1, style=style_of(SECRETS[0])
        )
    with override_settings(SECRET_KEY=SECRETS[1]):
        assert installation_style() == style_of(SECRETS[1]) != first


def test_two_installations_draw_the_same_code_and_seed_differently():
    drawn = {draw_png("ACEFH", seed=1, style=style_of(s)) for s in SECRETS[:5]}
    assert len(drawn) == 5


def codes(rng: random.Random):
    yield "".join(rng.choice(ENGLISH.characters) for _ in range(5))
    yield "".join(rng.choice(ENGLISH.characters) for _ in range(8))
    yield PERSIAN.shown("".join(rng.choice(PERSIAN.characters) for _ in range(LONGEST)))


@pytest.mark.parametrize("secret", SECRETS)
def test_every_style_draws_small_pngs_in_ink_on_a_lighter_background(secret):
    style = style_of(secret)
    for n, code in enumerate(codes(random.Random(secret))):
        png = draw_png(code, seed=n, style=style)
        assert len(png) <= MAX_BYTES, (code, style)
        image = Image.open(io.BytesIO(png))
        assert image.size == (WIDTH, HEIGHT)
        gray = image.convert("L")
        darkest, lightest = gray.getextrema()
        assert darkest < 110 < 170 < lightest, (code, style)
        # Ink covers a real share of the picture, not a few dots.
        dark = sum(gray.histogram()[:128]) / (WIDTH * HEIGHT)
        assert 0.04 < dark < 0.5, (code, style)
