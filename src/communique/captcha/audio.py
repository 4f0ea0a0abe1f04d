"""The CAPTCHA read aloud: the code's characters spoken one by one over
babble and hiss, as a short WAV file, for people who cannot read the picture.

The voice samples in ``voice/`` were made once with espeak-ng
(bench/make_captcha_voice.py); nothing is synthesised here. Each character of
each alphabet is there in ``VARIANTS`` recordings (other voices, other
speeds), and each language has a recording of ordinary speech that is no
code, the babble's source. A clip uses only its language's files.

The samples are public (they ship in the package), so a clip must not
contain them as they are: a clip mixed from unchanged samples is read by
cross-correlating it against them (bench/audio_attack.py). So each character
of a clip is:

- a variant drawn for it, never the variant of the character before;
- stretched in time by overlapping short windowed grains (``_stretch``)
  whose source positions jitter by a few milliseconds, so that the waveform
  keeps its sound but loses the sample-to-sample shape that correlation
  matches;
- shifted in pitch by resampling (``_resample``), with its own loudness.

The characters follow each other after irregular pauses. Under them run two
or three "talkers" of babble, each a chain of short pieces of the language's
ordinary speech, reversed and shifted in pitch (speech-like sound with no
word in it), and a hiss whose loudness changes every few tenths of a second.
The noise is scaled so that the speech-to-noise ratio over the spoken
stretches is drawn from ``SNR_DB``; the ranges of ratio, pace and length are
explained, with their sources, in docs/security.md ("The audio CAPTCHA").

Everything random comes from one ``random.Random`` seeded by the caller (the
challenge's seed), numpy doing only the arithmetic, so a challenge's clip is
the same bytes every time it is asked for.
"""

import io
import math
import random
import secrets
import wave
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from communique.captcha import codes

VOICE_DIR = Path(__file__).with_name("voice")
RATE = 11025  # frames per second, of the samples and of the clip
VARIANTS = 5  # recordings of each character (bench/make_captcha_voice.py)

# The ranges a clip's randomness is drawn from (see docs/security.md).
SNR_DB = (4.0, 10.0)  # speech to babble-and-hiss, over the spoken stretches
PITCH = (0.88, 1.13)  # frequency factor, about two semitones each way
DURATION = (0.88, 1.18)  # each character's length factor
LEAD_IN, PAUSE, TAIL = (0.4, 0.7), (0.3, 0.75), (0.3, 0.5)  # seconds

_GRAIN = 256  # 23 ms grains for the stretch, overlapping by half
_JITTER = 40  # frames (3.6 ms) either way a grain's source position moves
_PIECE = (0.12, 0.4)  # seconds, the babble's pieces


def sample_paths(
    language: str, char: str, count: int = VARIANTS, directory: Path = VOICE_DIR
) -> list[Path]:
    """Where the variants of ``char`` (as stored, Latin) in ``language``
    are: ``voice/A-1.wav``… for English, ``voice/fa-3-1.wav``… for Persian."""
    prefix = "" if language == codes.ENGLISH.language else f"{language}-"
    return [directory / f"{prefix}{char}-{n}.wav" for n in range(1, count + 1)]


def babble_path(language: str, directory: Path = VOICE_DIR) -> Path:
    """Where ``language``'s ordinary speech, the babble's source, is."""
    return directory / f"babble-{language}.wav"


def _load(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as sample:
        shape = sample.getnchannels(), sample.getsampwidth(), sample.getframerate()
        if shape != (1, 1, RATE):
            raise ValueError(f"{path.name} is not 8-bit mono at {RATE} Hz")
        frames = sample.readframes(sample.getnframes())
    return (np.frombuffer(frames, dtype=np.uint8).astype(np.float64) - 128) / 128


Variants = tuple[np.ndarray, ...]


@cache
def samples(language: str = codes.ENGLISH.language) -> dict[str, Variants]:
    """The variants of each character of ``language``'s alphabet: frames at
    RATE, as floats in -1..1."""
    return {
        char: tuple(_load(path) for path in sample_paths(language, char))
        for char in codes.ALPHABETS[language].characters
    }


@cache
def babble_source(language: str = codes.ENGLISH.language) -> np.ndarray:
    return _load(babble_path(language))


def _seconds(rng: random.Random, bounds: tuple[float, float]) -> int:
    return round(rng.uniform(*bounds) * RATE)


def _uniform(rng: random.Random, count: int) -> np.ndarray:
    """``count`` numbers in 0..1 from ``rng`` (bytes, so numpy draws nothing)."""
    return np.frombuffer(rng.randbytes(count), dtype=np.uint8) / 255.0


@cache
def _window() -> np.ndarray:
    # A periodic Hann window: copies shifted by half its length add up to 1.
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(_GRAIN) / _GRAIN)


def _stretch(rng: random.Random, sound: np.ndarray, factor: float) -> np.ndarray:
    """``sound`` made ``factor`` times as long by overlap-adding grains taken
    from jittered positions."""
    hop = _GRAIN // 2
    grains = max(2, math.ceil(len(sound) * factor / hop))
    padded = np.concatenate((np.zeros(_JITTER), sound, np.zeros(_GRAIN + _JITTER)))
    jitter = np.round((_uniform(rng, grains) * 2 - 1) * _JITTER).astype(int)
    starts = np.round(np.arange(grains) * hop / factor).astype(int) + _JITTER + jitter
    starts = np.clip(starts, 0, len(padded) - _GRAIN)
    windowed = padded[starts[:, None] + np.arange(_GRAIN)] * _window()
    first, second = windowed[:, :hop], windowed[:, hop:]
    blocks = first.copy()
    blocks[1:] += second[:-1]
    return np.concatenate((blocks.ravel(), second[-1]))


def _resample(sound: np.ndarray, factor: float) -> np.ndarray:
    """``sound`` played ``factor`` times as fast: higher and shorter."""
    return np.interp(np.arange(0, len(sound) - 1, factor), np.arange(len(sound)), sound)


def _fade(sound: np.ndarray, frames: int = 55) -> np.ndarray:
    frames = min(frames, len(sound) // 2)
    ramp = np.linspace(0, 1, frames)
    sound = sound.copy()
    sound[:frames] *= ramp
    sound[len(sound) - frames :] *= ramp[::-1]
    return sound


def _character(rng: random.Random, sound: np.ndarray) -> np.ndarray:
    pitch = rng.uniform(*PITCH)
    spoken = _resample(_stretch(rng, sound, rng.uniform(*DURATION) * pitch), pitch)
    return _fade(spoken) * 10 ** (rng.uniform(-3, 0) / 20)


def _talker(rng: random.Random, source: np.ndarray, length: int) -> np.ndarray:
    """Babble of one talker: reversed pieces of ordinary speech, each at its
    own pitch, one after another."""
    pieces, total = [], 0
    while total < length:
        size = _seconds(rng, _PIECE)
        start = rng.randrange(len(source) - size)
        piece = _resample(source[start : start + size][::-1], rng.uniform(0.8, 1.25))
        pieces.append(_fade(piece))
        total += len(piece)
    return np.concatenate(pieces)[:length]


def _hiss(rng: random.Random, length: int) -> np.ndarray:
    """Noise a little low-passed, its loudness changing every 0.1-0.4 s."""
    white = _uniform(rng, length + 2) - 0.5
    hiss = white[2:] + white[1:-1] + white[:-2]
    levels, total = [], 0
    while total < length:
        size = _seconds(rng, (0.1, 0.4))
        levels.append(np.full(size, rng.choice((0.45, 0.7, 1.0))))
        total += size
    return hiss * np.concatenate(levels)[:length]


def _power(sound: np.ndarray) -> float:
    return float(np.mean(sound * sound))


def _snr_db(
    speech: np.ndarray, noise: np.ndarray, spans: tuple[tuple[int, int], ...]
) -> float:
    spoken = np.concatenate([np.arange(start, end) for start, end in spans])
    return 10 * math.log10(_power(speech[spoken]) / _power(noise[spoken]))


@dataclass(frozen=True, eq=False)
class Clip:
    """A clip's parts before they are added and written: the speech and the
    noise (babble and hiss) tracks, of equal length, and where each character
    is spoken (start and end frame) in which variant."""

    speech: np.ndarray
    noise: np.ndarray
    spans: tuple[tuple[int, int], ...]
    variants: tuple[int, ...]

    @property
    def seconds(self) -> float:
        return len(self.speech) / RATE

    @property
    def snr_db(self) -> float:
        """Speech to noise power over the spoken stretches, in decibels."""
        return _snr_db(self.speech, self.noise, self.spans)

    @property
    def characters_per_second(self) -> float:
        return len(self.spans) / self.seconds


def compose(
    code: str, *, language: str = codes.ENGLISH.language, seed: int | None = None
) -> Clip:
    """The parts of ``code``'s clip in ``language`` (see the module's
    docstring). The same ``seed`` gives the same parts; without one, they
    come from the operating system's random source."""
    if language not in codes.ALPHABETS:
        raise ValueError(f"no voice samples in {language!r}")
    voiced = samples(language)
    if missing := [char for char in code if char not in voiced]:
        raise ValueError(f"no voice sample for {missing[0]!r}")
    rng = random.Random(secrets.randbits(64) if seed is None else seed)

    pieces = [np.zeros(_seconds(rng, LEAD_IN))]
    spans, variants, at, previous = [], [], len(pieces[0]), -1
    for n, char in enumerate(code):
        if n:
            pieces.append(np.zeros(_seconds(rng, PAUSE)))
            at += len(pieces[-1])
        variant = rng.choice([v for v in range(VARIANTS) if v != previous])
        spoken = _character(rng, voiced[char][variant])
        pieces.append(spoken)
        spans.append((at, at + len(spoken)))
        variants.append(variant)
        at += len(spoken)
        previous = variant
    pieces.append(np.zeros(_seconds(rng, TAIL)))
    speech = np.concatenate(pieces)
    length = len(speech)

    source = babble_source(language)
    babble = sum(
        _talker(rng, source, length) * rng.uniform(0.6, 1.0)
        for _ in range(rng.randint(2, 3))
    )
    hiss = _hiss(rng, length)
    # The hiss a quarter of the babble's power (-6 dB), then both to the ratio.
    hiss *= math.sqrt(_power(babble) / 4 / _power(hiss))
    noise = babble + hiss
    wanted = rng.uniform(*SNR_DB)
    noise *= 10 ** ((_snr_db(speech, noise, tuple(spans)) - wanted) / 20)
    return Clip(speech, noise, tuple(spans), tuple(variants))


def render_wav(
    code: str, *, language: str = codes.ENGLISH.language, seed: int | None = None
) -> bytes:
    """A WAV file (8-bit mono PCM at RATE) of ``code``'s characters spoken
    over noise in ``language``'s voice samples. The same ``seed`` gives the
    same file; without one, the drawing comes from the operating system's
    random source."""
    clip = compose(code, language=language, seed=seed)
    mixed = clip.speech + clip.noise
    mixed *= 0.95 / max(float(np.max(np.abs(mixed))), 1e-9)
    frames = np.clip(np.round(mixed * 127 + 128), 0, 255).astype(np.uint8)

    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(1)
        writer.setframerate(RATE)
        writer.writeframes(frames.tobytes())
    return out.getvalue()
