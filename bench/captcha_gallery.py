"""Write example CAPTCHA images to docs/captcha/, the same ones every run.

    .venv/bin/python bench/captcha_gallery.py      (make captcha-gallery)

Each file is named after its code, so a reader can check what they read.
20 English codes: mostly 5 characters, the default length, and a few of 4, 6,
7 and 8. Then 6 Persian ones (``example-fa-*``, named with the Latin digits
the code is stored and checked as): mostly 8 digits, the Persian length at the
default, and one each at the shortest and longest Persian lengths. Each
image is drawn in the style of one of five made-up installations (their
secret keys are in SITES), as every site draws in a style of its own.

    .venv/bin/python bench/captcha_gallery.py --this-site FOLDER

draws twenty codes in this installation's own style instead (the site that
COMMUNIQUE_DATA_DIR and the other settings name), numbered, with their
answers in FOLDER/answers.txt: for people to read before the site relies on
its style (docs/security.md).
"""

import random
import sys
from pathlib import Path

from communique.captcha.codes import ENGLISH, PERSIAN
from communique.captcha.drawing import draw_png
from communique.captcha.styles import style_of

OUT = Path(__file__).resolve().parent.parent / "docs" / "captcha"
LENGTHS = [5] * 14 + [6, 6, 6, 4, 7, 8]  # English characters
PERSIAN_LENGTHS = [5] * 4 + [4, 8]  # as configured; drawn as Persian digits
SITES = [style_of(f"the secret key of example site {n}") for n in range(5)]


def this_site(folder: Path) -> int:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communique.settings")
    django.setup()
    from communique.captcha.styles import installation_style

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random()
    answers = []
    for n in range(1, 21):
        code = "".join(rng.choice(ENGLISH.characters) for _ in range(5))
        png = draw_png(code, seed=rng.randrange(2**32), style=installation_style())
        (folder / f"{n:02d}.png").write_bytes(png)
        answers.append(f"{n:02d} {code}")
    (folder / "answers.txt").write_text("\n".join(answers) + "\n")
    sys.stdout.write(f"wrote 20 images and answers.txt to {folder}\n")
    return 0


def main() -> int:
    if sys.argv[1:2] == ["--this-site"] and len(sys.argv) == 3:
        return this_site(Path(sys.argv[2]))
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("example-*.png"):
        old.unlink()
    rng = random.Random(2025)
    for n, length in enumerate(LENGTHS, start=1):
        code = "".join(rng.choice(ENGLISH.characters) for _ in range(length))
        png = draw_png(code, seed=n, style=SITES[n % len(SITES)])
        (OUT / f"example-{n:02d}-{code}.png").write_bytes(png)
    rng = random.Random(1404)
    for n, length in enumerate(PERSIAN_LENGTHS, start=1):
        digits = PERSIAN.length_for(length)
        code = "".join(rng.choice(PERSIAN.characters) for _ in range(digits))
        png = draw_png(PERSIAN.shown(code), seed=100 + n, style=SITES[n % len(SITES)])
        (OUT / f"example-fa-{n:02d}-{code}.png").write_bytes(png)
    count = len(LENGTHS) + len(PERSIAN_LENGTHS)
    sys.stdout.write(f"wrote {count} images to {OUT}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
