"""Maintainer tool: make the audio CAPTCHA's voice samples, one per character
of each language's alphabet.

    apt-get install -y espeak-ng sox
    .venv/bin/python bench/make_captcha_voice.py

Run by hand when an alphabet or a voice changes, never at install or run time:
the samples it writes to src/communique/captcha/voice/ (``<char>.wav`` for
English, ``fa-<digit>.wav`` for Persian; see audio.sample_path) are shipped in
the package, and the site only mixes them (communique.captcha.audio).

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

from communique.captcha.audio import sample_path
from communique.captcha.codes import ALPHABETS, ENGLISH, PERSIAN

OUT = Path(__file__).resolve().parent.parent / "src/communique/captcha/voice"
SPEED = 130  # words per minute; espeak-ng's default of 175 runs letters together
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


@dataclass(frozen=True)
class Voice:
    language: str  # the alphabet's, a key of codes.ALPHABETS
    espeak_voice: str
    names: dict[str, str]  # character as stored: its phonemes

    def said(self, char: str) -> str:
        """The phonemes espeak-ng speaks for ``char`` of this alphabet."""
        if self.language == PERSIAN.language:
            return _phonemes(self.espeak_voice, PERSIAN.shown(char))
        ssml = f'<speak><say-as interpret-as="characters">{char}</say-as></speak>'
        return _phonemes(self.espeak_voice, ssml, "-m")


VOICES = [
    Voice(ENGLISH.language, "en-us", LETTER_NAMES),
    Voice(PERSIAN.language, "fa", PERSIAN_DIGIT_NAMES),
]


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _phonemes(voice: str, text: str, *options: str) -> str:
    phonemes = _run("espeak-ng", "-v", voice, "-q", "-x", *options, text)
    return phonemes.strip().removesuffix("_!").strip()


def make_sample(voice: str, char: str, phonemes: str, path: Path, work: Path) -> None:
    raw, trimmed = work / "raw.wav", work / "trimmed.wav"
    _run("espeak-ng", "-v", voice, "-s", str(SPEED), "-w", str(raw), f"[[{phonemes}]]")
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
        raise SystemExit(f"{char}: sox wrote {params}")
    with wave.open(str(path), "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(1)
        target.setframerate(RATE)
        target.writeframes(frames)


def make_voice(voice: Voice, out: Path, work: Path) -> list[str]:
    """Write ``voice``'s samples to ``out``; the problems found."""
    problems = []
    digests: dict[str, str] = {}
    total = 0
    sys.stdout.write(f"voice {voice.espeak_voice}, {SPEED} wpm, {RATE} Hz 8-bit\n")
    for char in ALPHABETS[voice.language].characters:
        phonemes = voice.names[char]
        if (own := voice.said(char)) != phonemes:
            problems.append(f"{char}: espeak-ng says [[{own}]], not [[{phonemes}]]")
        path = out / sample_path(voice.language, char).name
        make_sample(voice.espeak_voice, char, phonemes, path, work)
        with wave.open(str(path), "rb") as sample:
            seconds = sample.getnframes() / sample.getframerate()
            frames = sample.readframes(sample.getnframes())
        digest = hashlib.sha256(frames).hexdigest()
        size = path.stat().st_size
        total += size
        sys.stdout.write(
            f"{path.name:9} [[{phonemes}]]  {seconds:.3f} s  {size:6d} B\n"
        )
        if not MIN_SECONDS <= seconds <= MAX_SECONDS:
            problems.append(f"{path.name}: {seconds:.3f} s is too short or too long")
        if digest in digests:
            problems.append(f"{path.name}: same sound as {digests[digest]}")
        digests[digest] = path.name
    sys.stdout.write(f"{len(digests)} samples, {total / 1024:.1f} KiB\n")
    return problems


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

    args.out.mkdir(parents=True, exist_ok=True)
    wanted = {
        args.out / sample_path(voice.language, char).name
        for voice in VOICES
        for char in voice.names
    }
    for stale in set(args.out.glob("*.wav")) - wanted:
        stale.unlink()
    version = _run("espeak-ng", "--version").split("Data at")[0].strip()
    sys.stdout.write(f"{version}\n")

    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for voice in VOICES:
            problems += make_voice(voice, args.out, Path(tmp))
    sys.stdout.write(f"{len(wanted)} samples in {args.out}\n")
    if problems:
        raise SystemExit("\n".join(problems))


if __name__ == "__main__":
    main()
