"""Maintainer tool: make the audio CAPTCHA's voice samples, several per
character of each language's alphabet, and each language's babble.

    apt-get install -y espeak-ng sox
    .venv/bin/python bench/make_captcha_voice.py

Run by hand when an alphabet or a voice changes, never at install or run time:
the samples it writes to src/communique/captcha/voice/ (``<char>-<n>.wav`` for
English, ``fa-<digit>-<n>.wav`` for Persian, one per voice variant, and
``babble-<language>.wav``; see audio.sample_paths) are shipped in the package,
and the site only transforms and mixes them (communique.captcha.audio).

English characters are spoken by their English names ("H" is "aitch", "7" is
"seven"), not as words: the script asks espeak-ng how it spells the character
out (SSML ``say-as interpret-as="characters"``), checks the phonemes against
LETTER_NAMES, then speaks those phonemes. Persian digits are spoken by their
Persian names ("3" is "se", "7" is "haft") with espeak-ng's Persian voice: the
script asks it how it reads the Persian digit (U+06F1…) as text, checks the
phonemes against PERSIAN_DIGIT_NAMES, then speaks those phonemes.

sox lifts the consonants, trims the silence at both ends, resamples to
11,025 Hz mono, normalises the peak and writes 8-bit PCM. The script prints
each sample's phonemes, duration and size, and fails if a sample is too short,
too long or identical to another.
"""

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from communique.captcha.audio import VARIANTS, babble_path, sample_paths
from communique.captcha.codes import ALPHABETS, ENGLISH, PERSIAN

OUT = Path(__file__).resolve().parent.parent / "src/communique/captcha/voice"
RATE = 11025
MIN_SECONDS, MAX_SECONDS = 0.15, 1.0

# espeak-ng's phonemes for the name of each character (en-us, espeak-ng 1.51).
# Speaking phonemes rather than the character keeps "A" from being read as the
# article "a"; the table is checked against espeak-ng's own spelling.
LETTER_NAMES = {
    "A": "'eI",
    "C": "s'i:",
    "E": "'i:",
    "F": "'Ef",
    "H": "'eItS",
    "J": "dZ'eI",
    "K": "k'eI",
    "M": "'Em",
    "N": "'En",
    "P": "p'i:",
    "R": "'A@",
    "T": "t'i:",
    "W": "d'Vb@Lj,u:",
    "X": "'Eks",
    "Y": "w'aI",
    "3": "Tr'i:",
    "4": "f'o@",
    "6": "s'Iks",
    "7": "s'Ev@n",
    "9": "n'aIn",
}

# espeak-ng's phonemes for each Persian digit's name (fa, espeak-ng 1.51),
# keyed by the Latin digit the code stores. Spelling out in SSML would add
# "farsi" ("Persian one"), so these are checked against the digit read as text.
PERSIAN_DIGIT_NAMES = {
    "1": "j'ek",
    "2": "d'o",
    "3": "s'e",
    "4": "tS'AhAR",
    "6": "S'eS",
    "7": "h'aft",
    "9": "n'oh",
}


# Each character is spoken by several voices at several speeds, so that a clip
# cannot be read by matching it against one recording per character (see
# bench/audio_attack.py). Variant n of a character is ``sample_paths(...)[n]``.
# The speed is in words per minute; espeak-ng's default of 175 runs letters
# together.
ENGLISH_VARIANTS = (
    ("en-us", 130),
    ("en-us+f2", 145),
    ("en-gb-x-rp+m3", 120),
    ("en-029+f4", 140),
    ("en-gb-scotland+m1", 125),
)
PERSIAN_VARIANTS = (
    ("fa", 130),
    ("fa+f2", 145),
    ("fa+m3", 120),
    ("fa+f4", 140),
    ("fa+m1", 125),
)

# Speech that is no code: the babble under a clip is cut from it, reversed
# (audio.py), so it sounds like talk in the clip's language without words.
BABBLE_TEXT = {
    ENGLISH.language: (
        "Fresh bread and warm soup were served in the old hall, while the rain "
        "kept falling on the roof and somebody laughed at the door."
    ),
    PERSIAN.language: (
        "باران آرام روی بام خانه می‌بارید و بوی نان تازه در کوچه پیچیده بود "
        "و کسی کنار در آهسته می‌خندید."
    ),
}
BABBLE_SECONDS = 3.5  # of each babble voice: enough pieces, a small package
BABBLE_VOICES = {
    ENGLISH.language: (("en-gb+m3", 150), ("en-us+f3", 160)),
    PERSIAN.language: (("fa+m2", 150), ("fa+f3", 160)),
}


@dataclass(frozen=True)
class Voice:
    language: str  # the alphabet's, a key of codes.ALPHABETS
    espeak_voice: str  # the one whose phonemes the names are checked against
    names: dict[str, str]  # character as stored: its phonemes
    variants: tuple[tuple[str, int], ...]  # (espeak-ng voice+variant, speed)

    def said(self, char: str) -> str:
        """The phonemes espeak-ng speaks for ``char`` of this alphabet."""
        if self.language == PERSIAN.language:
            return _phonemes(self.espeak_voice, PERSIAN.shown(char))
        ssml = f'<speak><say-as interpret-as="characters">{char}</say-as></speak>'
        return _phonemes(self.espeak_voice, ssml, "-m")


VOICES = [
    Voice(ENGLISH.language, "en-us", LETTER_NAMES, ENGLISH_VARIANTS),
    Voice(PERSIAN.language, "fa", PERSIAN_DIGIT_NAMES, PERSIAN_VARIANTS),
]


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _phonemes(voice: str, text: str, *options: str) -> str:
    phonemes = _run("espeak-ng", "-v", voice, "-q", "-x", *options, text)
    return phonemes.strip().removesuffix("_!").strip()


def make_sample(voice: str, speed: int, said: str, path: Path, work: Path) -> None:
    """Speak ``said`` (text, or phonemes in ``[[ ]]``) into ``path``."""
    raw, trimmed = work / "raw.wav", work / "trimmed.wav"
    _run("espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), said)
    # The treble boost and the compander lift the consonants (the "s" of "six",
    # the "f" of "ef"), which espeak-ng speaks softly and which lose their
    # highest frequencies at 11,025 Hz, so that noise does not hide them.
    # -R: sox's dither is the same on every run, so unchanged input gives
    # unchanged files. silence, reverse, silence, reverse trims both ends; the
    # fades (20 ms out, 5 ms in) are fade-ins of the reversed and the straight
    # sound, as sox cannot fade out a sound of unknown length.
    _run(
        "sox", "-R", str(raw),
        "-c", "1", "-r", str(RATE), "-b", "8", "-e", "unsigned-integer",
        str(trimmed),
        "highpass", "80",
        "treble", "+8", "3500",
        "compand", "0.003,0.05", "6:-70,-70,-50,-20,-20,-9,0,-4", "-5",
        "silence", "1", "0.01", "0.5%", "reverse",
        "silence", "1", "0.01", "0.5%", "fade", "t", "0.02", "reverse",
        "fade", "t", "0.005",
        "rate", "-v", str(RATE),
        "norm", "-1",
    )  # fmt: skip
    # Rewritten by the wave module: a plain 44-byte header, no extra chunks.
    with wave.open(str(trimmed), "rb") as source:
        params = source.getparams()
        frames = source.readframes(params.nframes)
    if (params.nchannels, params.sampwidth, params.framerate) != (1, 1, RATE):
        raise SystemExit(f"{path.name}: sox wrote {params}")
    with wave.open(str(path), "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(1)
        target.setframerate(RATE)
        target.writeframes(frames)


def make_voice(voice: Voice, out: Path, work: Path) -> tuple[list[str], int]:
    """Write ``voice``'s samples to ``out``; the problems found, and the bytes
    written."""
    problems = []
    digests: dict[str, str] = {}
    total = 0
    variants = ", ".join(f"{name} {speed} wpm" for name, speed in voice.variants)
    sys.stdout.write(f"{voice.language}: {variants}; {RATE} Hz 8-bit\n")
    for char in ALPHABETS[voice.language].characters:
        phonemes = voice.names[char]
        if (own := voice.said(char)) != phonemes:
            problems.append(f"{char}: espeak-ng says [[{own}]], not [[{phonemes}]]")
        paths = sample_paths(voice.language, char, len(voice.variants), out)
        for (name, speed), path in zip(voice.variants, paths, strict=True):
            make_sample(name, speed, f"[[{phonemes}]]", path, work)
            with wave.open(str(path), "rb") as sample:
                seconds = sample.getnframes() / sample.getframerate()
                frames = sample.readframes(sample.getnframes())
            digest = hashlib.sha256(frames).hexdigest()
            size = path.stat().st_size
            total += size
            sys.stdout.write(
                f"{path.name:11} {name:18} [[{phonemes}]]  {seconds:.3f} s  "
                f"{size:6d} B\n"
            )
            if not MIN_SECONDS <= seconds <= MAX_SECONDS:
                problems.append(f"{path.name}: {seconds:.3f} s is too short or long")
            if digest in digests:
                problems.append(f"{path.name}: same sound as {digests[digest]}")
            digests[digest] = path.name
    babble = babble_path(voice.language, out)
    parts = []
    for n, (name, speed) in enumerate(BABBLE_VOICES[voice.language]):
        part = work / f"babble-{n}.wav"
        make_sample(name, speed, BABBLE_TEXT[voice.language], part, work)
        with wave.open(str(part), "rb") as sample:
            parts.append(sample.readframes(round(BABBLE_SECONDS * RATE)))
    with wave.open(str(babble), "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(1)
        target.setframerate(RATE)
        target.writeframes(b"".join(parts))
    size = babble.stat().st_size
    total += size
    sys.stdout.write(
        f"{babble.name:11} {sum(map(len, parts)) / RATE:.1f} s  {size:6d} B\n"
        f"{len(digests)} samples and the babble, {total / 1024:.1f} KiB\n"
    )
    return problems, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        names = " ".join(missing)
        raise SystemExit(f"needs {names}: apt-get install -y {names}")
    for voice in VOICES:
        if set(voice.names) != set(ALPHABETS[voice.language].characters):
            raise SystemExit(f"{voice.language}: names and alphabet differ")
    if {voice.language for voice in VOICES} != set(ALPHABETS):
        raise SystemExit("every alphabet needs a voice")
    if any(len(voice.variants) != VARIANTS for voice in VOICES):
        raise SystemExit(f"audio.VARIANTS is {VARIANTS}: as many variants a voice")

    args.out.mkdir(parents=True, exist_ok=True)
    wanted = {
        path
        for voice in VOICES
        for char in voice.names
        for path in sample_paths(voice.language, char, len(voice.variants), args.out)
    } | {babble_path(voice.language, args.out) for voice in VOICES}
    for stale in set(args.out.glob("*.wav")) - wanted:
        stale.unlink()
    version = _run("espeak-ng", "--version").split("Data at")[0].strip()
    sys.stdout.write(f"{version}\n")

    problems = []
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for voice in VOICES:
            found, size = make_voice(voice, args.out, Path(tmp))
            problems += found
            total += size
    sys.stdout.write(f"{len(wanted)} files, {total / 1024:.1f} KiB in {args.out}\n")
    if problems:
        raise SystemExit("\n".join(problems))


if __name__ == "__main__":
    main()
