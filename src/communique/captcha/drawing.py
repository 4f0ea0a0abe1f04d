"""The CAPTCHA picture: a code drawn as a small PNG that people read at a glance
and off-the-shelf OCR does not.

Each character leans, mostly left and right in turn, is stretched and has its
corners pulled; neighbours touch or overlap and differ in hue. Two arcs run
along the line under the characters, darker in grayscale than any of them, so
no threshold drops the arcs and keeps the text. The background is two pale
colours in soft bands, with dots. The PNG has a palette of 16 colours.
Persian codes are drawn the same way, in Persian digits, left to right as
Persian writes numbers; the caller passes the characters to show
(``codes.Alphabet.shown``).
bench/captcha_ocr.py measures how often Tesseract reads it, and
bench/captcha_bench.py how long it takes to draw.
"""

import colorsys
import io
import math
import random
import secrets
import string
from functools import cache
from itertools import pairwise
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from communique.captcha.codes import ALPHABETS, LONGEST

# Drawn at twice the 180x60 CSS pixels it is shown at, for high-DPI screens.
WIDTH, HEIGHT = 360, 120
MAX_BYTES = 8 * 1024

FONT_PATH = Path(__file__).with_name("fonts") / "DejaVuSans-Bold.ttf"
# The shipped font is a subset: these are the characters it has (Latin
# letters and digits, and the Persian digits of the Persian alphabet).
DRAWABLE = frozenset(string.ascii_uppercase + string.digits).union(
    *(alphabet.glyphs for alphabet in ALPHABETS.values())
)
_BASE_SIZE = 76  # font size in pixels, for codes short enough to fit at it
# Leaning left, a "7" stands up like a "1": it only leans right.
_LEANS_RIGHT_ONLY = frozenset("7")

RGB = tuple[int, int, int]


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, size)


@cache
def _glyph(char: str, size: int) -> Image.Image:
    """The character's coverage mask, cropped to its ink."""
    font = _font(size)
    left, top, right, bottom = font.getbbox(char)
    mask = Image.new("L", (right - left + 2, bottom - top + 2))
    ImageDraw.Draw(mask).text((1 - left, 1 - top), char, 255, font=font)
    return mask


def _font_size(code: str) -> int:
    """The base size, or smaller until the code fits the width."""
    size = _BASE_SIZE
    while size > 40 and sum(_glyph(c, size).width for c in code) > WIDTH - 70:
        size -= 4
    return size


def _colour(hue: float, saturation: float, value: float) -> RGB:
    r, g, b = colorsys.hsv_to_rgb(hue % 1.0, saturation, value)
    return round(r * 255), round(g * 255), round(b * 255)


def _ink(hue: float, saturation: float, luma: float) -> RGB:
    """A colour of the hue and saturation with the given gray level (0-255)."""
    r, g, b = colorsys.hsv_to_rgb(hue % 1.0, saturation, 1.0)
    # The weights of ITU-R 601, as in Pillow's convert("L").
    scale = luma / (0.299 * r + 0.587 * g + 0.114 * b)
    return tuple(min(round(c * scale), 255) for c in (r, g, b))


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _warp(mask: Image.Image, degrees: float, rng: random.Random) -> Image.Image:
    """The glyph rotated, sheared, stretched and its corners pulled: one QUAD."""
    w, h = mask.size
    angle = math.radians(degrees)
    sx, sy = rng.uniform(0.85, 1.15), rng.uniform(0.9, 1.1)
    shear = rng.uniform(-0.1, 0.1)
    cos, sin = math.cos(angle), math.sin(angle)
    out_w = round(abs(w * sx * cos) + abs(h * sy * sin) + abs(shear) * h)
    out_h = round(abs(w * sx * sin) + abs(h * sy * cos))
    jitter = 0.1 * min(w, h)
    quad = []
    # Each output corner maps back to an input point: unrotate, unshear, unscale.
    for x, y in ((0, 0), (0, out_h), (out_w, out_h), (out_w, 0)):
        dx, dy = x - out_w / 2, y - out_h / 2
        rx, ry = dx * cos + dy * sin, -dx * sin + dy * cos
        rx -= shear * ry
        quad += [
            w / 2 + rx / sx + rng.uniform(-jitter, jitter),
            h / 2 + ry / sy + rng.uniform(-jitter, jitter),
        ]
    return mask.transform(
        (out_w, out_h), Image.Transform.QUAD, quad, Image.Resampling.BILINEAR
    )


def _background(rng: random.Random, palette: list[RGB]) -> Image.Image:
    """Two pale colours blended by a smooth random field, in a few bands."""
    hue = rng.random()
    a = _colour(hue, rng.uniform(0.05, 0.25), rng.uniform(0.92, 1))
    b = _colour(
        hue + rng.uniform(0.15, 0.5), rng.uniform(0.15, 0.35), rng.uniform(0.85, 0.95)
    )
    palette += [_mix(a, b, t / 4) for t in range(5)]
    field = Image.new("L", (4, 3))
    field.putdata([rng.randrange(256) for _ in range(12)])
    field = field.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)
    return Image.composite(
        Image.new("RGB", (WIDTH, HEIGHT), a),
        Image.new("RGB", (WIDTH, HEIGHT), b),
        field,
    )


def _arcs(
    draw: ImageDraw.ImageDraw, inks: list[RGB], size: int, rng: random.Random
) -> None:
    """Long arcs across the line of text, bending opposite ways, about half as
    thick as the characters' strokes."""
    bend = rng.choice((-1, 1))
    for ink in inks:
        r = rng.uniform(400, 900)
        apex_x = WIDTH / 2 + rng.uniform(-80, 80)
        apex_y = HEIGHT / 2 + rng.uniform(-12, 12)
        cy = apex_y - bend * r
        mid = 90 if bend > 0 else 270
        box = (apex_x - r, cy - r, apex_x + r, cy + r)
        draw.arc(
            box,
            mid - 70,
            mid + 70,
            fill=ink,
            width=round(size * rng.uniform(0.065, 0.09)),
        )
        bend = -bend


def _dots(draw: ImageDraw.ImageDraw, palette: list[RGB], rng: random.Random) -> None:
    for _ in range(50):
        x, y = rng.uniform(0, WIDTH), rng.uniform(0, HEIGHT)
        r = rng.uniform(1, 3)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice(palette))


def _png(image: Image.Image, palette: list[RGB]) -> bytes:
    """The image in the palette's colours (at most 16: four bits a pixel)."""
    palette_image = Image.new("P", (1, 1))
    palette_image.putpalette([c for colour in palette for c in colour])
    quantized = image.quantize(palette=palette_image, dither=Image.Dither.NONE)
    out = io.BytesIO()
    # Z_RLE: a fraction of the time of zlib's level 9, and nearly as small here.
    quantized.save(out, "PNG", compress_level=9, compress_type=3)
    return out.getvalue()


def draw_png(code: str, *, seed: int | None = None) -> bytes:
    """The PNG (360x120 pixels) showing ``code``; ``seed`` makes it reproducible.

    Without a seed the randomness comes from ``secrets``. ``code`` is 1 to
    LONGEST characters from DRAWABLE, which holds the glyphs of every
    alphabet: pass the characters as shown, not as stored.
    """
    if not 0 < len(code) <= LONGEST or not DRAWABLE.issuperset(code):
        raise ValueError(f"cannot draw {code!r}")
    rng = random.Random(secrets.randbits(128) if seed is None else seed)
    palette: list[RGB] = []
    image = _background(rng, palette)
    paper = palette[2]
    draw = ImageDraw.Draw(image)

    hue = rng.random()
    # Three inks for the characters and two more hues between them for the
    # arcs, which people tell apart by hue. In grayscale the arcs are darker
    # than any character: no threshold keeps the characters and drops them.
    lumas = [rng.uniform(55, 100) for _ in range(3)]
    lumas += [rng.uniform(35, min(lumas) - 5) for _ in range(2)]
    inks = [
        _ink(hue + k / 6 + rng.uniform(-0.04, 0.04), rng.uniform(0.5, 0.75), luma)
        for k, luma in zip((0, 2, 4, 1, 3), lumas, strict=True)
    ]
    for ink in inks[:3]:
        palette += [ink, _mix(ink, paper, 0.35), _mix(ink, paper, 0.7)]
    palette += inks[3:]

    size = _font_size(code)
    # Under the characters, the arcs join them for OCR but hide none of them.
    _arcs(draw, inks[3:], size, rng)

    masks = [_glyph(char, size) for char in code]
    # Mostly leaning left and right in turn, which throws OCR off its line.
    lean = rng.choice((-1, 1))
    glyphs = []
    for char, mask in zip(code, masks, strict=True):
        lean = -lean if rng.random() < 0.8 else lean
        degrees = lean * rng.uniform(5, 18)
        if char in _LEANS_RIGHT_ONLY:
            degrees = abs(degrees)
        glyphs.append(_warp(mask, degrees, rng))
    # Centre to centre: up to a tenth less than the upright glyphs' half widths.
    steps = [
        (a.width + b.width) / 2 * rng.uniform(0.94, 1.04) for a, b in pairwise(masks)
    ]
    span = sum(steps) + (glyphs[0].width + glyphs[-1].width) / 2
    slack = max(WIDTH - 8 - span, 0) / 2
    x = (WIDTH - span) / 2 + glyphs[0].width / 2 + rng.uniform(-slack, slack) * 0.5
    wave = rng.uniform(0, 2 * math.pi)
    # Neighbours differ in colour, which people see and grayscale OCR does not.
    ink = rng.randrange(3)
    for glyph, step in zip(glyphs, [*steps, 0], strict=True):
        ink = (ink + rng.randrange(1, 3)) % 3
        y = HEIGHT / 2 + 8 * math.sin(wave + x / 60) + rng.uniform(-5, 5)
        box = (round(x - glyph.width / 2), round(y - glyph.height / 2))
        image.paste(inks[ink], box, glyph)
        x += step

    _dots(draw, palette, rng)
    return _png(image, palette)
