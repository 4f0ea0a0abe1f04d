"""The CAPTCHA picture: a code drawn as a small PNG that people read at a glance
and that neither off-the-shelf OCR nor a network trained on another site reads.

The installation's style (``styles.DrawingStyle``, from its secret key) picks
the fonts, the fill, the stroke weight, the ranges of lean, crowding and
waves, the colours and the kind of background and noise; each image draws
its own values within them from the challenge's seed, so a code is always
drawn the same way. Each character takes one of the style's fonts, leans
(mostly left and right in turn), is stretched and has its corners pulled;
neighbours touch or overlap and differ in hue. Arcs run along the line of
text, darker in grayscale than any character, so no threshold drops the
arcs and keeps the text. The whole picture then ripples a little, and noise
is scattered over it. The PNG has a palette of 16 colours. Persian codes are
drawn the same way, in Persian digits, left to right as Persian writes
numbers; the caller passes the characters to show (``codes.Alphabet.shown``).
bench/captcha_ocr.py measures how often Tesseract reads it,
bench/captcha_cnn.py how often a trained network does, and
bench/captcha_bench.py how long it takes to draw.
"""

import colorsys
import io
import math
import random
import secrets
import string
from functools import lru_cache
from itertools import pairwise

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from communique.captcha.codes import ALPHABETS, LONGEST
from communique.captcha.styles import FONTS, DrawingStyle, installation_style

# Drawn at twice the 180x60 CSS pixels it is shown at, for high-DPI screens.
WIDTH, HEIGHT = 360, 120
MAX_BYTES = 8 * 1024

# The characters the bundled fonts have: Latin capitals and digits, and the
# Persian digits of the Persian alphabet.
DRAWABLE = frozenset(string.ascii_uppercase + string.digits).union(
    *(alphabet.glyphs for alphabet in ALPHABETS.values())
)
_LARGEST = 80  # font size in pixels, for codes short enough to fit at it
# Leaning left, a "7" stands up like a "1": it only leans right.
_LEANS_RIGHT_ONLY = frozenset("7")

RGB = tuple[int, int, int]
# A glyph's mask painted in its ink, and the inner mask of a two-tone glyph.
Masks = tuple[Image.Image, Image.Image | None]


@lru_cache(maxsize=256)
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONTS / name, size)


@lru_cache(maxsize=4096)
def _glyph(name: str, char: str, size: int, weight: int = 0) -> Image.Image:
    """The character's coverage mask, cropped to its ink, its strokes made
    heavier ``weight`` times."""
    font = _font(name, size)
    left, top, right, bottom = font.getbbox(char)
    pad = 4
    mask = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad))
    ImageDraw.Draw(mask).text((pad - left, pad - top), char, 255, font=font)
    for _ in range(weight):
        mask = mask.filter(ImageFilter.MaxFilter(3))
    return mask.crop(mask.getbbox())


def _font_size(code: str, fonts: tuple[str, ...], style: DrawingStyle) -> int:
    """The style's share of the largest size at which the code fits."""
    size = _LARGEST
    while (
        size > 40
        and max(sum(_glyph(font, c, size, 0).width for c in code) for font in fonts)
        * style.crowding[1]
        > WIDTH - 60
    ):
        size -= 4
    return max(round(size * style.size), 36)


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


def _warp(masks: Masks, degrees: float, rng: random.Random) -> Masks:
    """The glyph's masks rotated, sheared, stretched and their corners pulled,
    all the same way: one QUAD."""
    mask = masks[0]
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
    return tuple(
        None
        if m is None
        else m.transform(
            (out_w, out_h), Image.Transform.QUAD, quad, Image.Resampling.BILINEAR
        )
        for m in masks
    )


def _background(
    rng: random.Random, palette: list[RGB], style: DrawingStyle
) -> Image.Image:
    """Two pale colours, laid out as the style's kind of background."""
    hue = style.hue + 0.5 + rng.uniform(-0.15, 0.15)
    a = _colour(hue, rng.uniform(0.05, 0.25), rng.uniform(0.92, 1))
    b = _colour(
        hue + rng.uniform(0.15, 0.5), rng.uniform(0.15, 0.35), rng.uniform(0.85, 0.95)
    )
    palette += [_mix(a, b, t / 4) for t in range(5)]
    if style.background == "bands":
        field = Image.new("L", (4, 3))
        field.putdata([rng.randrange(256) for _ in range(12)])
        field = field.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)
    elif style.background == "stripes":
        # Broad bands along the text, gently sloped: long runs of one colour
        # keep the PNG small.
        period, slope = rng.uniform(22, 38), rng.uniform(-0.12, 0.12)
        field = Image.new("L", (WIDTH, HEIGHT))
        draw = ImageDraw.Draw(field)
        offset = rng.uniform(0, period)
        for k in range(-2, HEIGHT // 18 + 4):
            y = offset + k * period - slope * WIDTH / 2
            draw.line(
                (0, y, WIDTH, y + slope * WIDTH), fill=140, width=round(period / 2)
            )
    else:  # blotches
        field = Image.new("L", (WIDTH, HEIGHT))
        draw = ImageDraw.Draw(field)
        for _ in range(14):
            x, y = rng.uniform(0, WIDTH), rng.uniform(0, HEIGHT)
            rx, ry = rng.uniform(10, 40), rng.uniform(8, 25)
            draw.ellipse((x - rx, y - ry, x + rx, y + ry), fill=rng.randrange(128, 256))
        field = field.filter(ImageFilter.BoxBlur(3))
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
        apex_y = HEIGHT / 2 + rng.uniform(-16, 16)
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


def _noise(
    draw: ImageDraw.ImageDraw,
    palette: list[RGB],
    rng: random.Random,
    style: DrawingStyle,
) -> None:
    for _ in range(style.noise_count):
        x, y = rng.uniform(0, WIDTH), rng.uniform(0, HEIGHT)
        colour = rng.choice(palette)
        if style.noise == "dashes":
            angle, length = rng.uniform(0, math.pi), rng.uniform(4, 12)
            dx, dy = length * math.cos(angle), length * math.sin(angle)
            draw.line((x - dx, y - dy, x + dx, y + dy), fill=colour, width=2)
        elif style.noise == "rings":
            r = rng.uniform(3, 7)
            draw.ellipse((x - r, y - r, x + r, y + r), outline=colour, width=2)
        else:
            r = rng.uniform(1, 3)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)


def _ripple(
    image: Image.Image, amplitude: float, paper: RGB, rng: random.Random
) -> Image.Image:
    """The whole picture bent by two slow waves, across and along."""
    phase_x, phase_y = rng.uniform(0, 2 * math.pi), rng.uniform(0, 2 * math.pi)
    across, along = rng.uniform(70, 140), rng.uniform(50, 90)

    def source(x: float, y: float) -> tuple[float, float]:
        return (
            x + amplitude * math.sin(phase_x + 2 * math.pi * y / along),
            y + amplitude * math.sin(phase_y + 2 * math.pi * x / across),
        )

    cells = []
    step_x, step_y = WIDTH // 8, HEIGHT // 3
    for left in range(0, WIDTH, step_x):
        for top in range(0, HEIGHT, step_y):
            right, bottom = left + step_x, top + step_y
            corners = ((left, top), (left, bottom), (right, bottom), (right, top))
            quad = [c for corner in corners for c in source(*corner)]
            cells.append(((left, top, right, bottom), quad))
    return image.transform(
        image.size,
        Image.Transform.MESH,
        cells,
        Image.Resampling.BILINEAR,
        fillcolor=paper,
    )


def _png(image: Image.Image, palette: list[RGB]) -> bytes:
    """The image in the palette's colours (at most 16: four bits a pixel)."""
    palette_image = Image.new("P", (1, 1))
    palette_image.putpalette([c for colour in palette for c in colour])
    quantized = image.quantize(palette=palette_image, dither=Image.Dither.NONE)
    out = io.BytesIO()
    # Z_RLE: a fraction of the time of zlib's level 9, and nearly as small here.
    quantized.save(out, "PNG", compress_level=9, compress_type=3)
    return out.getvalue()


def _inks(rng: random.Random, palette: list[RGB], style: DrawingStyle) -> list[RGB]:
    """Three inks for the characters and two more hues between them for the
    arcs, which people tell apart by hue. In grayscale the arcs are darker
    than any character: no threshold keeps the characters and drops them."""
    hue = style.hue + rng.uniform(-0.08, 0.08)
    lumas = [rng.uniform(55, 100) for _ in range(3)]
    lumas += [rng.uniform(35, min(lumas) - 5) for _ in range(2)]
    spread = style.hue_spread
    inks = [
        _ink(
            hue + k * spread + rng.uniform(-0.03, 0.03),
            rng.uniform(*style.saturation),
            luma,
        )
        for k, luma in zip((0, 1, 2, 0.5, 1.5), lumas, strict=True)
    ]
    paper = palette[2]
    for ink in inks[:3]:
        palette += [ink, _mix(ink, paper, 0.35), _mix(ink, paper, 0.7)]
    palette += inks[3:]
    return inks


@lru_cache(maxsize=4096)
def _shape(name: str, char: str, size: int, weight: int, fill: str) -> Masks:
    """The mask to paint in the character's ink and, for two-tone glyphs,
    the inner mask painted in its pale tint."""
    glyph = _glyph(name, char, size, weight)
    if fill == "two-tone":
        return glyph, glyph.filter(ImageFilter.MinFilter(5))
    return glyph, None


def draw_png(
    code: str, *, seed: int | None = None, style: DrawingStyle | None = None
) -> bytes:
    """The PNG (360x120 pixels) showing ``code``; ``seed`` makes it reproducible.

    Without a seed the randomness comes from ``secrets``; without a style it
    is the installation's (``styles.installation_style``). ``code`` is 1 to
    LONGEST characters from DRAWABLE, which holds the glyphs of every
    alphabet: pass the characters as shown, not as stored.
    """
    if not 0 < len(code) <= LONGEST or not DRAWABLE.issuperset(code):
        raise ValueError(f"cannot draw {code!r}")
    style = style or installation_style()
    rng = random.Random(secrets.randbits(128) if seed is None else seed)
    palette: list[RGB] = []
    image = _background(rng, palette, style)
    draw = ImageDraw.Draw(image)
    inks = _inks(rng, palette, style)
    fonts = style.fonts_for(code)
    size = _font_size(code, fonts, style)
    # Under the characters, the arcs join them for OCR but hide none of them.
    _arcs(draw, inks[3 : 3 + style.arcs], size, rng)

    spread = style.size_spread
    shapes = [
        _shape(
            rng.choice(fonts),
            char,
            round(size * rng.uniform(1 - spread, 1 + spread) / 2) * 2,
            style.weight,
            style.fill,
        )
        for char in code
    ]
    # Mostly leaning left and right in turn, which throws OCR off its line.
    lean = rng.choice((-1, 1))
    glyphs = []
    for char, shape in zip(code, shapes, strict=True):
        lean = -lean if rng.random() < 0.8 else lean
        degrees = lean * rng.uniform(*style.lean)
        if char in _LEANS_RIGHT_ONLY:
            degrees = abs(degrees)
        glyphs.append(_warp(shape, degrees, rng))
    # Centre to centre: the style's share of the upright glyphs' half widths.
    steps = [
        (a[0].width + b[0].width) / 2 * rng.uniform(*style.crowding)
        for a, b in pairwise(shapes)
    ]
    first, last = glyphs[0][0], glyphs[-1][0]
    span = sum(steps) + (first.width + last.width) / 2
    slack = max(WIDTH - 8 - span, 0) / 2
    x = (WIDTH - span) / 2 + first.width / 2 + rng.uniform(-slack, slack) * 0.6
    amplitude, wavelength = style.wave
    phase = rng.uniform(0, 2 * math.pi)
    # Neighbours differ in colour, which people see and grayscale OCR does not.
    ink = rng.randrange(3)
    for (outer, inner), step in zip(glyphs, [*steps, 0], strict=True):
        ink = (ink + rng.randrange(1, 3)) % 3
        y = (
            HEIGHT / 2
            + amplitude * math.sin(phase + x / wavelength)
            + rng.uniform(-5, 5)
        )
        box = (round(x - outer.width / 2), round(y - outer.height / 2))
        if style.fill == "shadow":  # down and to one side, in a pale tint
            shadow = (box[0] + style.shadow, box[1] + abs(style.shadow))
            image.paste(_mix(inks[ink], palette[2], 0.7), shadow, outer)
        image.paste(inks[ink], box, outer)
        if inner is not None:
            image.paste(_mix(inks[ink], palette[2], 0.7), box, inner)
        x += step

    image = _ripple(image, style.warp, palette[2], rng)
    _noise(ImageDraw.Draw(image), palette, rng, style)
    return _png(image, palette)
