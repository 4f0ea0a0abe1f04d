"""How often off-the-shelf OCR reads our CAPTCHA, next to the PyPI ``captcha``
library's ImageCaptcha with its defaults.

    .venv/bin/python bench/captcha_ocr.py [--count 1000] [--length 5] [--psm 7 ...]

Each challenge is given to Tesseract 5 (``--psm 7``, the ALPHABET as
whitelist) in several preprocessed forms: as drawn; grayscale; thresholded at
fixed levels and at Otsu's; median-filtered; upscaled 2x; shrunk to its CSS size
and upscaled 3x; and combinations of these. A challenge counts as solved when
ANY form's output, normalised as an answer is, equals the code. Needs Debian's
``tesseract-ocr``: without it the script says how to install it and stops.
"""

import argparse
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from multiprocessing import Pool
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps

from communique.captcha.codes import ALPHABET, normalize
from communique.captcha.drawing import draw_png
from communique.captcha.styles import style_of

BATCH = 25  # challenges per Tesseract run, which loads its model once
TIMEOUT = 900  # seconds one Tesseract run may take before the bench gives up
PAD = 16  # a white border around each form, as Tesseract prefers
PAGE = re.compile(r"^Page (\d+) :", re.MULTILINE)

Drawer = Callable[[str, int], Image.Image]
Result = tuple[set[str], float]  # the forms that solved it, share of chars right


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def our_image(code: str, seed: int) -> Image.Image:
    # Ten installations' styles in turn: each site draws in its own.
    style = style_of(f"installation {seed % 10}")
    png = draw_png(code, seed=seed, style=style)
    return Image.open(io.BytesIO(png)).convert("RGB")


def their_image(code: str, seed: int) -> Image.Image:
    from captcha.image import ImageCaptcha  # optional, for comparison

    random.seed(seed)  # ImageCaptcha draws with the module-level random
    return ImageCaptcha().generate_image(code).convert("RGB")


# name: (drawer, width in CSS pixels)
DRAWERS: dict[str, tuple[Drawer, int]] = {
    "ours": (our_image, 180),
    "ImageCaptcha": (their_image, 160),
}


def otsu_level(gray: Image.Image) -> int:
    """The gray level that best splits the histogram in two (Otsu, 1979)."""
    hist = gray.histogram()
    total = sum(hist)
    sum_all = sum(i * h for i, h in enumerate(hist))
    best, level, weight_b, sum_b = -1.0, 128, 0, 0
    for i, h in enumerate(hist):
        weight_b += h
        if weight_b in (0, total):
            continue
        sum_b += i * h
        weight_f = total - weight_b
        mean_b, mean_f = sum_b / weight_b, (sum_all - sum_b) / weight_f
        between = weight_b * weight_f * (mean_b - mean_f) ** 2
        if between > best:
            best, level = between, i
    return level


def threshold(gray: Image.Image, level: int | None = None) -> Image.Image:
    cut = otsu_level(gray) if level is None else level
    return gray.point(lambda v: 0 if v <= cut else 255)


def scale(image: Image.Image, factor: float) -> Image.Image:
    size = (round(image.width * factor), round(image.height * factor))
    return image.resize(size, Image.Resampling.LANCZOS)


def median(image: Image.Image, size: int) -> Image.Image:
    return image.filter(ImageFilter.MedianFilter(size))


def preprocessings(image: Image.Image, css_width: int) -> dict[str, Image.Image]:
    """The forms of one challenge given to Tesseract, by name."""
    gray = ImageOps.grayscale(image)
    # As a browser shows it on a 1x screen, whatever it was drawn at.
    css = scale(gray, css_width / gray.width)
    forms = {
        "raw": image,
        "gray": gray,
        "otsu": threshold(gray),
        "t96": threshold(gray, 96),
        "t160": threshold(gray, 160),
        "median3+otsu": threshold(median(gray, 3)),
        "median5+otsu": threshold(median(gray, 5)),
        "up2+median3+otsu": threshold(median(scale(gray, 2), 3)),
        "css+up3": scale(css, 3),
        "css+up3+otsu": threshold(scale(css, 3)),
        "css+up3+median5+otsu": threshold(median(scale(css, 3), 5)),
    }
    return {
        name: ImageOps.expand(form, PAD, fill="white") for name, form in forms.items()
    }


def recognise(paths: list[str], psm: str, listing: Path) -> tuple[list[str], int]:
    """Tesseract's text for each image, and how many images it crashed on.

    Tesseract 5.3 dies of a floating-point exception on a few images: such an
    image counts as unread and a new run goes on from the next one. Each run
    reads or skips at least one image, so there are at most len(paths) runs.
    """
    command = ["tesseract", str(listing), "stdout", "--psm", psm, "-l", "eng"]
    command += ["-c", f"tessedit_char_whitelist={ALPHABET}"]
    texts = [""] * len(paths)
    pending = list(range(len(paths)))
    crashes = 0
    while pending:
        listing.write_text("".join(paths[i] + "\n" for i in pending))
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            check=False,
        )
        # The pages' texts are separated, not terminated, by form feeds.
        pieces = result.stdout.split("\f")
        if result.returncode == 0:
            if len(pieces) != len(pending):
                raise RuntimeError(f"tesseract read {len(pieces)} of {len(pending)}")
            for i, text in zip(pending, pieces, strict=True):
                texts[i] = text
            break
        started = [int(n) for n in PAGE.findall(result.stderr)]
        if not started:
            raise RuntimeError(f"tesseract failed: {result.stderr[-500:]}")
        crashed = started[-1]
        read = pieces[:crashed] if crashed else []
        for i, text in zip(pending, read, strict=False):
            texts[i] = text
        crashes += 1
        skip = pending[crashed]
        pending = [i for i in pending[len(read) :] if i != skip]
    return texts, crashes


def run_batch(job: tuple[str, list[tuple[int, str]], list[str]]):
    """Tesseract's best on each challenge of the batch, and its crash count."""
    kind, challenges, psms = job
    drawer, css_width = DRAWERS[kind]
    solved: list[set[str]] = [set() for _ in challenges]
    chars = [0.0 for _ in challenges]
    crashes = 0
    with tempfile.TemporaryDirectory(prefix="captcha-ocr-") as tmp:
        paths: list[str] = []
        pages: list[tuple[int, str]] = []
        for n, (seed, code) in enumerate(challenges):
            for name, form in preprocessings(drawer(code, seed), css_width).items():
                paths.append(str(Path(tmp, f"{len(paths):04d}.png")))
                form.save(paths[-1])
                pages.append((n, name))
        for psm in psms:
            texts, crashed = recognise(paths, psm, Path(tmp, "pages.txt"))
            crashes += crashed
            for (n, name), text in zip(pages, texts, strict=True):
                code = challenges[n][1]
                answer = normalize(text)
                if answer == code:
                    solved[n].add(name if len(psms) == 1 else f"{name}/psm{psm}")
                right = sum(a == b for a, b in zip(answer, code, strict=False))
                chars[n] = max(chars[n], right / max(len(code), len(answer)))
    results: list[Result] = list(zip(solved, chars, strict=True))
    return results, crashes


def batches(kind: str, args: argparse.Namespace) -> Iterator[tuple]:
    rng = random.Random(f"{kind}-{args.seed}")
    challenges = [
        (
            rng.randrange(2**32),
            "".join(rng.choice(ALPHABET) for _ in range(args.length)),
        )
        for _ in range(args.count)
    ]
    for start in range(0, args.count, BATCH):
        yield kind, challenges[start : start + BATCH], args.psm


def measure(kind: str, args: argparse.Namespace, pool) -> None:
    started = time.monotonic()
    solved = done = crashes = 0
    chars = 0.0
    by_form: Counter[str] = Counter()
    step = max(args.count // 4, 1)
    for results, crashed in pool.imap_unordered(run_batch, batches(kind, args)):
        crashes += crashed
        for forms, right in results:
            done += 1
            solved += bool(forms)
            chars += right
            by_form.update(forms)
            if done % step == 0 and done < args.count:
                out(f"  {kind}: {done}/{args.count} …")
    rate = 100 * solved / args.count
    # With no solve in N tries, the one-sided 95% upper bound is about 3/N.
    bound = f" (95% upper bound {300 / args.count:.2f}%)" if solved == 0 else ""
    out(
        f"{kind}: solved {solved}/{args.count} = {rate:.2f}%{bound}; "
        f"characters right in the best reading, mean {100 * chars / args.count:.0f}%"
        f"; {time.monotonic() - started:.0f} s"
    )
    if by_form:
        forms = ", ".join(f"{name} {n}" for name, n in by_form.most_common())
        out(f"    solved by: {forms}")
    if crashes:
        out(f"    tesseract crashed on {crashes} forms, counted as unread")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="challenges each")
    parser.add_argument("--length", type=int, default=5, help="code length")
    parser.add_argument(
        "--psm", nargs="+", default=["7"], help="Tesseract page segmentation modes"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", choices=list(DRAWERS), help="measure one drawer")
    args = parser.parse_args()

    if shutil.which("tesseract") is None:
        out("tesseract is not installed. On Debian or Ubuntu:")
        out("    sudo apt-get install -y tesseract-ocr")
        out("then run this again.")
        return 0
    version = subprocess.run(
        ["tesseract", "--version"], capture_output=True, text=True, check=False
    ).stdout.split("\n", 1)[0]
    kinds = [args.only] if args.only else list(DRAWERS)
    try:
        import captcha  # noqa: F401 - optional, for comparison
    except ImportError:
        out("The PyPI captcha library is missing, so no comparison. Install it:")
        out("    .venv/bin/python -m pip install captcha")
        kinds = [kind for kind in kinds if kind != "ImageCaptcha"]

    forms = len(preprocessings(Image.new("RGB", (360, 120), "white"), 180))
    out(
        f"{version or 'tesseract'}, --psm {' '.join(args.psm)}: {args.count} "
        f"challenges of {args.length} characters each, {forms} preprocessings "
        f"each, {args.jobs} processes"
    )
    with Pool(args.jobs) as pool:
        for kind in kinds:
            measure(kind, args, pool)
    return 0


if __name__ == "__main__":
    sys.exit(main())
