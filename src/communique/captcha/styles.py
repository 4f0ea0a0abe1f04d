"""Each installation draws its CAPTCHA codes in a style of its own, derived
from its secret key, so that a network trained on one site's images (or on
the defaults anyone can draw from our source) reads few codes on another.

The style fixes what stays the same across one site's images: which of the
bundled fonts are used (a few of them; each character takes one at random),
whether the glyphs are plain, two-tone or shadowed and how heavy their
strokes are, how far they lean and crowd each other, how the line of text
waves, the range of colours, and the kind of background and noise. Each image
then draws its own values within those ranges from the challenge's seed
(``drawing.draw_png``). bench/captcha_cnn.py measures how well this works.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.crypto import salted_hmac

FONTS = Path(__file__).with_name("fonts")
# The bundled fonts (subsets made by bench/make_captcha_fonts.py), by the
# alphabets they can draw: every one has the Latin capitals and digits or the
# Persian digits, or both.
LATIN_FONTS = (
    "DejaVuSans-Bold.ttf",
    "DejaVuSansCondensed-Bold.ttf",
    "DejaVuSansMono-Bold.ttf",
    "DejaVuSerif-Bold.ttf",
    "LiberationSans-Bold.ttf",
    "LiberationSerif-Bold.ttf",
    "FreeSerifBold.ttf",
    "NotoSans-Bold.ttf",
    "NotoSerif-Bold.ttf",
)
PERSIAN_FONTS = (
    "DejaVuSans-Bold.ttf",
    "DejaVuSansCondensed-Bold.ttf",
    "DejaVuSansMono-Bold.ttf",
    "FreeSerifBold.ttf",
    "NotoSansArabic-Bold.ttf",
    "NotoNaskhArabic-Bold.ttf",
)
FILLS = ("solid", "two-tone", "shadow")
BACKGROUNDS = ("bands", "stripes", "blotches")
NOISES = ("dots", "dashes", "rings")


@dataclass(frozen=True)
class DrawingStyle:
    """What one installation's images have in common.

    Angles are in degrees and lengths in pixels of the 360x120 image; ranges
    are (low, high) and each image draws within them.
    """

    latin_fonts: tuple[str, ...]
    persian_fonts: tuple[str, ...]
    fill: str  # one of FILLS
    shadow: int  # how far a shadow falls, to the right (+) or left (-), and down
    weight: int  # strokes as drawn (0) or thickened (1, 2)
    size: float  # the font size, as a share of the largest that fits
    size_spread: float  # each character's size varies by up to this share
    lean: tuple[float, float]
    crowding: tuple[float, float]  # centre to centre, as a share of the widths
    wave: tuple[float, float]  # amplitude and wavelength of the text's line
    warp: float  # amplitude of the whole image's ripple
    hue: float  # where the site's colours start on the colour wheel
    hue_spread: float  # how far apart the inks' hues lie
    saturation: tuple[float, float]
    background: str  # one of BACKGROUNDS
    noise: str  # one of NOISES
    noise_count: int
    arcs: int  # lines drawn along the text, under it

    def fonts_for(self, glyphs: str) -> tuple[str, ...]:
        """The style's fonts that draw ``glyphs``: Latin or Persian."""
        return self.latin_fonts if glyphs.isascii() else self.persian_fonts


def style_of(secret: str | bytes) -> DrawingStyle:
    """The drawing style of the installation whose secret key is ``secret``."""
    return _style_of(secret if isinstance(secret, bytes) else secret.encode())


@cache
def _style_of(secret: bytes) -> DrawingStyle:
    digest = salted_hmac(
        "communique.captcha.styles", b"drawing style", secret, algorithm="sha256"
    ).digest()
    rng = random.Random(digest)
    lean_high = rng.uniform(12, 22)
    fill = rng.choice(FILLS)
    crowd_low = rng.uniform(0.84, 0.9)
    return DrawingStyle(
        latin_fonts=tuple(rng.sample(LATIN_FONTS, 3)),
        persian_fonts=tuple(rng.sample(PERSIAN_FONTS, 2)),
        fill=fill,
        # Two-tone glyphs need heavy strokes to show their inner tint.
        weight=rng.choice((1, 2) if fill == "two-tone" else (0, 1, 2)),
        shadow=rng.choice((-1, 1)) * rng.randint(3, 5),
        size=rng.uniform(0.86, 1.0),
        size_spread=rng.uniform(0.06, 0.14),
        lean=(rng.uniform(0, 6), lean_high),
        crowding=(crowd_low, crowd_low + rng.uniform(0.06, 0.12)),
        wave=(rng.uniform(4, 10), rng.uniform(40, 110)),
        warp=rng.uniform(1.5, 3.5),
        hue=rng.random(),
        hue_spread=rng.uniform(0.12, 0.3),
        saturation=(rng.uniform(0.35, 0.55), rng.uniform(0.6, 0.85)),
        background=rng.choice(BACKGROUNDS),
        noise=rng.choice(NOISES),
        noise_count=rng.randint(20, 45),
        arcs=rng.randint(1, 2),
    )


def installation_style() -> DrawingStyle:
    """This installation's style, from ``SECRET_KEY`` (read when called)."""
    from django.conf import settings

    return style_of(settings.SECRET_KEY)
