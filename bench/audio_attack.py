"""Attack on the audio CAPTCHA: read the code by normalised cross-correlation
of the clip against the voice samples shipped in the package.

    .venv/bin/python bench/audio_attack.py                  # 200 clips a language
    .venv/bin/python bench/audio_attack.py --count 50 --grid  # the adapted attack

The attacker reads every ``*.wav`` in ``communique/captcha/voice/`` (whatever
the package ships: one sample per character or several variants), knows the
code's length, and for each sample slides it along the clip, scoring each
offset by the normalised cross-correlation (the correlation divided by both
windows' norms, so loudness does not count). It then picks greedily: the best
(character, offset) of all, then the best that does not overlap one already
taken, until it has as many as the code has characters, and reads them in
order of offset. ``--grid`` adds the obvious adaptation: each sample also
resampled by a few factors (pitch and speed together, as a tape played
faster or slower), so a clip made of shifted or stretched samples finds its
template too.

It prints the share of clips read exactly, per language, the share of
characters read in their place (chance is 1 in 20 for English, 1 in 7 for
Persian), and how long one clip's reading took. numpy does the correlation (by FFT).
"""

import argparse
import io
import random
import re
import time
import wave
from pathlib import Path

import numpy as np

from communique.captcha import audio, codes

VOICE_DIR = Path(audio.__file__).with_name("voice")
GRID = (0.88, 0.92, 0.96, 1.0, 1.04, 1.08, 1.12)


def _frames(data: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(data), "rb") as reader:
        raw = reader.readframes(reader.getnframes())
        rate = reader.getframerate()
    return np.frombuffer(raw, dtype=np.uint8).astype(np.float64) - 128.0, rate


Templates = list[tuple[str, np.ndarray]]


def templates(language: str, factors: tuple[float, ...]) -> Templates:
    """(character, sound) of every sample of ``language`` in the package,
    each also resampled by ``factors``. A file's character is read from its
    name: ``A.wav``, ``A-2.wav`` (English), ``fa-3.wav``, ``fa-3-2.wav``."""
    pattern = re.compile(
        r"fa-(\w)(-\w+)?" if language == "fa" else r"(?!fa-)(\w)(-\w+)?"
    )
    found = []
    for path in sorted(VOICE_DIR.glob("*.wav")):
        match = pattern.fullmatch(path.stem)
        if not match or match[1] not in codes.ALPHABETS[language].characters:
            continue
        sound, _ = _frames(path.read_bytes())
        for factor in factors:
            if factor == 1.0:
                found.append((match[1], sound))
                continue
            length = round(len(sound) / factor)
            found.append(
                (
                    match[1],
                    np.interp(np.arange(length) * factor, np.arange(len(sound)), sound),
                )
            )
    return found


def ncc(clip: np.ndarray, template: np.ndarray, spectrum, size: int) -> np.ndarray:
    """The normalised cross-correlation of ``template`` at every offset."""
    t = template - template.mean()
    m = len(t)
    corr = np.fft.irfft(spectrum * np.conj(np.fft.rfft(t, size)), size)
    corr = corr[: len(clip) - m + 1]
    squares = np.concatenate(([0.0], np.cumsum(clip * clip)))
    sums = np.concatenate(([0.0], np.cumsum(clip)))
    energy = squares[m:] - squares[:-m] - (sums[m:] - sums[:-m]) ** 2 / m
    return corr / (np.sqrt(np.maximum(energy, 1e-9)) * np.linalg.norm(t))


def read(clip: np.ndarray, found: Templates, length: int) -> str:
    size = 1 << (len(clip) + max(len(t) for _, t in found)).bit_length()
    spectrum = np.fft.rfft(clip, size)
    candidates = []  # (score, offset, char, width)
    for char, template in found:
        if len(template) >= len(clip):
            continue
        scores = ncc(clip, template, spectrum, size)
        # The best offset of each stretch of half the template's width.
        width = max(1, len(template) // 2)
        blocks = len(scores) // width
        best = scores[: blocks * width].reshape(blocks, width).argmax(axis=1)
        for block, within in enumerate(best):
            offset = block * width + int(within)
            candidates.append((float(scores[offset]), offset, char, len(template)))
    candidates.sort(reverse=True)
    picked: list[tuple[int, int, str]] = []
    for _score, offset, char, width in candidates:
        if all(offset + width <= s or s + w <= offset for s, w, _ in picked):
            picked.append((offset, width, char))
            if len(picked) == length:
                break
    return "".join(char for _, _, char in sorted(picked))


def attack(language: str, count: int, factors: tuple[float, ...], seed: int) -> None:
    alphabet = codes.ALPHABETS[language]
    length = alphabet.length_for(5)
    found = templates(language, factors)
    rng = random.Random(seed)
    solved = characters = 0
    rendering = reading = 0.0
    measures: list[tuple[float, float, float]] = []
    for _ in range(count):
        code = "".join(rng.choice(alphabet.characters) for _ in range(length))
        started = time.perf_counter()
        seed = rng.getrandbits(64)
        wav = audio.render_wav(code, language=language, seed=seed)
        rendering += time.perf_counter() - started
        if hasattr(audio, "compose"):  # the clip's measures, from its parts
            parts = audio.compose(code, language=language, seed=seed)
            measures.append((parts.snr_db, parts.characters_per_second, parts.seconds))
        clip, _ = _frames(wav)
        started = time.perf_counter()
        answer = read(clip, found, length)
        reading += time.perf_counter() - started
        solved += answer == code
        characters += sum(a == b for a, b in zip(answer, code, strict=False))
    print(
        f"{language}: {solved}/{count} read ({100 * solved / count:.1f} %), "
        f"{100 * characters / (count * length):.1f} % of characters in place, "
        f"{len(found)} templates; {1000 * rendering / count:.0f} ms to render "
        f"a clip, {1000 * reading / count:.0f} ms to read it"
    )
    for name, values in zip(
        ("speech to noise, dB", "characters a second", "seconds"),
        zip(*measures, strict=True),
        strict=False,
    ):
        print(
            f"  {name}: {min(values):.2f} to {max(values):.2f}, "
            f"mean {sum(values) / len(values):.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="clips a language")
    parser.add_argument("--language", choices=sorted(codes.ALPHABETS), action="append")
    parser.add_argument("--grid", action="store_true", help=f"also resample by {GRID}")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    factors = GRID if args.grid else (1.0,)
    for language in args.language or sorted(codes.ALPHABETS):
        attack(language, args.count, factors, args.seed)


if __name__ == "__main__":
    main()
