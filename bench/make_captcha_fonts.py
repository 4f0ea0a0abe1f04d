"""Maintainer tool: make the image CAPTCHA's fonts, small subsets of free fonts
that hold only the characters codes are drawn in.

    apt-get install -y fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 \
        fonts-freefont-ttf fonts-noto-core
    .venv/bin/pip install fonttools
    .venv/bin/python bench/make_captcha_fonts.py

Run by hand when an alphabet or the set of fonts changes, never at install or
run time: the subsets it writes to src/communique/captcha/fonts/ are shipped
in the package. Each installation draws its codes in a few of them, chosen by
its secret key (``communique.captcha.styles``). Each subset keeps the Latin
capitals and digits and, where the font has them, the Persian digits; the
script prints what each holds and its size, and fails if a font lacks a
character of the English alphabet.
"""

import string
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from communique.captcha.codes import ENGLISH, PERSIAN

SYSTEM = Path("/usr/share/fonts/truetype")
OUT = Path(__file__).resolve().parent.parent / "src/communique/captcha/fonts"
# (file in the system's fonts, name in the package)
FONTS = [
    ("dejavu/DejaVuSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
    ("dejavu/DejaVuSansCondensed-Bold.ttf", "DejaVuSansCondensed-Bold.ttf"),
    ("dejavu/DejaVuSansMono-Bold.ttf", "DejaVuSansMono-Bold.ttf"),
    ("dejavu/DejaVuSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"),
    ("liberation2/LiberationSans-Bold.ttf", "LiberationSans-Bold.ttf"),
    ("liberation2/LiberationSerif-Bold.ttf", "LiberationSerif-Bold.ttf"),
    ("freefont/FreeSerifBold.ttf", "FreeSerifBold.ttf"),
    ("noto/NotoSans-Bold.ttf", "NotoSans-Bold.ttf"),
    ("noto/NotoSerif-Bold.ttf", "NotoSerif-Bold.ttf"),
    ("noto/NotoSansArabic-Bold.ttf", "NotoSansArabic-Bold.ttf"),
    ("noto/NotoNaskhArabic-Bold.ttf", "NotoNaskhArabic-Bold.ttf"),
]
LATIN = string.ascii_uppercase + string.digits


def main() -> None:
    for source, name in FONTS:
        path = SYSTEM / source
        if not path.exists():
            sys.exit(f"{path} is missing: install the packages named at the top")
        cmap = TTFont(path).getBestCmap()
        wanted = [c for c in LATIN + PERSIAN.glyphs if ord(c) in cmap]
        has_latin = all(ord(c) in cmap for c in ENGLISH.glyphs)
        has_persian = all(ord(c) in cmap for c in PERSIAN.glyphs)
        if not (has_latin or has_persian):
            sys.exit(f"{name} has neither alphabet")
        options = subset.Options()
        options.layout_features = []
        options.hinting = False
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # names and licence
        options.notdef_outline = False  # a missing character draws nothing
        font = subset.load_font(path, options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in wanted])
        subsetter.subset(font)
        subset.save_font(font, OUT / name, options)
        print(
            f"{name}: {(OUT / name).stat().st_size:,} bytes;"
            f" Latin {'yes' if has_latin else 'no'},"
            f" Persian digits {'yes' if has_persian else 'no'}"
        )


if __name__ == "__main__":
    main()
