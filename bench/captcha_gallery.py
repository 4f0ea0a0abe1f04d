"""Write 20 example CAPTCHA images to docs/captcha/, the same ones every run.

    .venv/bin/python bench/captcha_gallery.py      (make captcha-gallery)

Each file is named after its code, so a reader can check what they read.
Mostly 5 characters, the default length, and a few of 4, 6, 7 and 8.
"""

import random
import sys
from pathlib import Path

from communique.captcha.codes import ALPHABET
from communique.captcha.drawing import draw_png

OUT = Path(__file__).resolve().parent.parent / "docs" / "captcha"
LENGTHS = [5] * 14 + [6, 6, 6, 4, 7, 8]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("example-*.png"):
        old.unlink()
    rng = random.Random(2025)
    for n, length in enumerate(LENGTHS, start=1):
        code = "".join(rng.choice(ALPHABET) for _ in range(length))
        (OUT / f"example-{n:02d}-{code}.png").write_bytes(draw_png(code, seed=n))
    sys.stdout.write(f"wrote {len(LENGTHS)} images to {OUT}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
