"""Maintainer tool: make the audio CAPTCHA's voice samples, one per character.

    apt-get install -y espeak-ng sox
    .venv/bin/python bench/make_captcha_voice.py

Run by hand when ALPHABET or the voice changes, never at install or run time:
the samples it writes to src/communique/captcha/voice/<char>.wav are shipped in
the package, and the site only mixes them (communique.captcha.audio).

Each character is spoken by its English name ("H" is "aitch", "7" is "seven"),
not as a word: the script asks espeak-ng how it spells the character out
(SSML ``say-as interpret-as="characters"``), checks the phonemes against
LETTER_NAMES, then speaks those phonemes. sox lifts the consonants, trims the
silence at both ends, resamples to 11,025 Hz mono, normalises the peak and
writes 8-bit PCM. The script prints each sample's phonemes, duration and size,
and fails if a sample is too short, too long or identical to another.
"""

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

from communique.captcha.codes import ALPHABET

OUT = Path(__file__).resolve().parent.parent / "src/communique/captcha/voice"
VOICE = "en-us"
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


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def spelled(char: str) -> str:
    """The phonemes espeak-ng speaks when it spells ``char`` out."""
    ssml = f'<speak><say-as interpret-as="characters">{char}</say-as></speak>'
    phonemes = _run("espeak-ng", "-v", VOICE, "-q", "-x", "-m", ssml)
    return phonemes.strip().removesuffix("_!").strip()


def make_sample(char: str, phonemes: str, path: Path, work: Path) -> None:
    raw, trimmed = work / "raw.wav", work / "trimmed.wav"
    _run("espeak-ng", "-v", VOICE, "-s", str(SPEED), "-w", str(raw), f"[[{phonemes}]]")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        names = " ".join(missing)
        raise SystemExit(f"needs {names}: apt-get install -y {names}")
    if set(LETTER_NAMES) != set(ALPHABET):
        raise SystemExit("LETTER_NAMES and ALPHABET have different characters")

    args.out.mkdir(parents=True, exist_ok=True)
    wanted = {args.out / f"{char}.wav" for char in ALPHABET}
    for stale in set(args.out.glob("*.wav")) - wanted:
        stale.unlink()
    version = _run("espeak-ng", "--version").split("Data at")[0].strip()
    sys.stdout.write(f"{version}, voice {VOICE}, {SPEED} wpm, {RATE} Hz 8-bit\n")

    digests: dict[str, str] = {}
    problems = []
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for char in ALPHABET:
            phonemes = LETTER_NAMES[char]
            if (own := spelled(char)) != phonemes:
                problems.append(f"{char}: espeak-ng says [[{own}]], not [[{phonemes}]]")
            path = args.out / f"{char}.wav"
            make_sample(char, phonemes, path, Path(tmp))
            with wave.open(str(path), "rb") as sample:
                seconds = sample.getnframes() / sample.getframerate()
                frames = sample.readframes(sample.getnframes())
            digest = hashlib.sha256(frames).hexdigest()
            size = path.stat().st_size
            total += size
            sys.stdout.write(f"{char}  [[{phonemes}]]  {seconds:.3f} s  {size:6d} B\n")
            if not MIN_SECONDS <= seconds <= MAX_SECONDS:
                problems.append(f"{char}: {seconds:.3f} s is too short or too long")
            if digest in digests:
                problems.append(f"{char}: same sound as {digests[digest]}")
            digests[digest] = char
    sys.stdout.write(f"{len(wanted)} samples, {total / 1024:.1f} KiB in {args.out}\n")
    if problems:
        raise SystemExit("\n".join(problems))


if __name__ == "__main__":
    main()
