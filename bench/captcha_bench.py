"""How long the CAPTCHA takes to draw, next to the PyPI ``captcha`` library's
ImageCaptcha with its defaults, measured in the same run.

    .venv/bin/python bench/captcha_bench.py [--count 300] [--length 5]

Prints the median and 90th percentile time to draw one PNG, ours and
ImageCaptcha's (draws interleaved, after a warm-up), their ratio, the PNG
sizes, and the time to render one audio clip once ``communique.captcha.audio``
has ``render_wav``.
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable

from communique.captcha.codes import ALPHABET
from communique.captcha.drawing import MAX_BYTES, draw_png
from communique.captcha.styles import style_of

TARGET_MS = 5.0
WARM_UP = 30


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def timed(render: Callable[[str], bytes], code: str) -> tuple[float, int]:
    """Milliseconds to render the code, and the size of what came out."""
    start = time.perf_counter()
    data = render(code)
    return (time.perf_counter() - start) * 1000, len(data)


def summary(name: str, times: list[float], sizes: list[int], unit: str) -> str:
    times = sorted(times)
    p90 = times[int(0.9 * (len(times) - 1))]
    return (
        f"{name:<13} median {statistics.median(times):6.2f} ms, "
        f"p90 {p90:6.2f} ms; {unit} median {statistics.median(sizes) / 1024:.1f} KB, "
        f"max {max(sizes) / 1024:.1f} KB"
    )


def image_captcha() -> Callable[[str], bytes] | None:
    try:
        from captcha.image import ImageCaptcha  # optional, for comparison
    except ImportError:
        return None
    theirs = ImageCaptcha()  # the defaults: 160x60, its own font and sizes
    return lambda code: theirs.generate(code).getvalue()


def audio() -> Callable[[str], bytes] | None:
    try:
        from communique.captcha.audio import render_wav
    except ImportError:
        return None
    return render_wav


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300, help="images each")
    parser.add_argument("--length", type=int, default=5, help="code length")
    args = parser.parse_args()

    rng = random.Random(0)
    codes = [
        "".join(rng.choice(ALPHABET) for _ in range(args.length))
        for _ in range(args.count)
    ]
    styles = [style_of(f"installation {n}") for n in range(10)]
    drawn = iter(range(10**9))

    def ours(code: str) -> bytes:  # ten installations' styles in turn
        return draw_png(code, style=styles[next(drawn) % len(styles)])

    drawers: dict[str, Callable[[str], bytes]] = {"ours": ours}
    theirs = image_captcha()
    if theirs is not None:
        drawers["ImageCaptcha"] = theirs

    for code in codes[:WARM_UP]:
        for render in drawers.values():
            render(code)
    times: dict[str, list[float]] = {name: [] for name in drawers}
    sizes: dict[str, list[int]] = {name: [] for name in drawers}
    for code in codes:  # interleaved, so both see the same machine
        for name, render in drawers.items():
            ms, size = timed(render, code)
            times[name].append(ms)
            sizes[name].append(size)

    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    out(
        f"{args.count} images of {args.length} characters each, after a warm-up "
        f"(load average {load}: other work on the machine slows both)"
    )
    for name in drawers:
        out(summary(name, times[name], sizes[name], "PNG"))
    ours = statistics.median(times["ours"])
    verdict = "met" if ours <= TARGET_MS else "NOT met"
    out(f"target: ours at most {TARGET_MS:g} ms, {verdict}")
    too_big = sum(size > MAX_BYTES for size in sizes["ours"])
    out(f"PNGs over {MAX_BYTES // 1024} KB: {too_big}")
    if theirs is None:
        out("ImageCaptcha: not installed (.venv/bin/python -m pip install captcha)")
    else:
        ratio = statistics.median(times["ImageCaptcha"]) / ours
        out(f"ratio: ImageCaptcha's median / ours = {ratio:.2f}")

    render_wav = audio()
    if render_wav is None:
        out("audio: not available yet")
    else:
        clips = codes[: max(args.count // 10, 10)]
        render_wav(clips[0])
        results = [timed(render_wav, code) for code in clips]
        out(
            summary(
                "audio",
                [ms for ms, _ in results],
                [size for _, size in results],
                "WAV",
            )
            + f" ({len(clips)} clips)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
