"""The CAPTCHA read aloud: the code's characters spoken one by one over noise,
as a short WAV file, for people who cannot read the picture.

The voice samples in ``voice/`` were made once with espeak-ng
(bench/make_captcha_voice.py); nothing is synthesised here. Each alphabet has
its own (``sample_path``): English letter and digit names for English codes,
Persian digit names for Persian ones, and a clip uses only those of its
language, babble included. A clip is a random
lead-in, the samples at random loudness with random pauses between them, and
under them a hiss whose loudness changes every few tenths of a second,
reversed and slowed-down speech ("babble") and short tones, so that the
characters stand out to a listener but a recogniser is given speech-like sound
where there is no character.

Everything is 8-bit unsigned PCM and is mixed without a loop over samples: the
voice, the hiss and the babble are each kept within byte values whose maxima
add up to 255, so adding the three tracks as big integers (``int.from_bytes``)
adds them byte by byte with no carry from one byte into the next. Loudness is
a ``bytes.translate`` table; the hiss is random bytes low-passed by adding
shifted copies, the same way.
"""

import io
import math
import random
import secrets
import wave
from functools import cache
from pathlib import Path

from communique.captcha import codes

VOICE_DIR = Path(__file__).with_name("voice")
RATE = 11025  # frames per second, of the samples and of the clip

# Each track's byte values stay in 0..TOP, silence being its middle, so that the
# sum of the three is at most 255 and silence is 128.
_VOICE_TOP, _NOISE_TOP, _EXTRA_TOP = 199, 28, 28
_VOICE_MID, _NOISE_MID, _EXTRA_MID = 100, 14, 14
_NOISE_TAPS = 4  # the hiss is the sum of 4 shifted copies of values in 0..7
assert _VOICE_TOP + _NOISE_TOP + _EXTRA_TOP == 255
assert _VOICE_MID + _NOISE_MID + _EXTRA_MID == 128
assert _NOISE_TOP == _NOISE_TAPS * 7


def sample_path(language: str, char: str) -> Path:
    """Where the voice sample of ``char`` (as stored, Latin) in ``language``
    is: ``voice/A.wav`` for English, ``voice/fa-3.wav`` for Persian."""
    prefix = "" if language == codes.ENGLISH.language else f"{language}-"
    return VOICE_DIR / f"{prefix}{char}.wav"


@cache
def samples(language: str = codes.ENGLISH.language) -> dict[str, bytes]:
    """The voice sample of each character of ``language``'s alphabet:
    8-bit unsigned frames at RATE."""
    loaded = {}
    for char in codes.ALPHABETS[language].characters:
        path = sample_path(language, char)
        with wave.open(str(path), "rb") as sample:
            shape = sample.getnchannels(), sample.getsampwidth(), sample.getframerate()
            if shape != (1, 1, RATE):
                raise ValueError(f"{path.name} is not 8-bit mono at {RATE} Hz")
            loaded[char] = sample.readframes(sample.getnframes())
    return loaded


@cache
def _gain(mid: int, top: int, percent: int) -> bytes:
    """A translate table scaling 8-bit sound to ``percent`` around ``mid``,
    kept within 0..top."""
    return bytes(
        min(top, max(0, mid + round((value - 128) * percent / 100)))
        for value in range(256)
    )


@cache
def _hiss_levels(percent: int) -> bytes:
    """A translate table from random bytes to 0..7 at ``percent`` of full
    swing around 3.5."""
    return bytes(
        min(7, max(0, math.floor(4 + (value - 127.5) * 3.5 * percent / 12750)))
        for value in range(256)
    )


def _frames(rng: random.Random, low: float, high: float) -> int:
    return round(rng.uniform(low, high) * RATE)


def _voice(rng: random.Random, sounds: list[bytes]) -> bytearray:
    silence = bytes([_VOICE_MID])
    track = bytearray(silence * _frames(rng, 0.45, 0.6))
    for n, sound in enumerate(sounds):
        if n:
            track += silence * _frames(rng, 0.3, 0.6)
        track += sound.translate(_gain(_VOICE_MID, _VOICE_TOP, rng.randint(58, 77)))
    track += silence * _frames(rng, 0.25, 0.4)
    return track


def _hiss(rng: random.Random, length: int) -> int:
    """Low-passed noise whose loudness changes every 0.1-0.4 s, as an integer
    whose bytes are its frames."""
    raw = bytearray()
    while len(raw) < length + _NOISE_TAPS - 1:
        segment = rng.randbytes(_frames(rng, 0.1, 0.4))
        raw += segment.translate(_hiss_levels(rng.choice((45, 70, 100))))
    return sum(
        int.from_bytes(raw[shift : shift + length], "little")
        for shift in range(_NOISE_TAPS)
    )


def _babble_and_tones(
    rng: random.Random, length: int, sounds: dict[str, bytes], count: int
) -> bytearray:
    track = bytearray([_EXTRA_MID]) * length
    voices = sorted(sounds)
    for _ in range(count):
        sound = sounds[rng.choice(voices)][::-1]
        if rng.random() < 0.5:  # half speed, an octave lower: another speaker
            slow = bytearray(2 * len(sound))
            slow[0::2] = slow[1::2] = sound
            sound = bytes(slow)
        sound = sound.translate(_gain(_EXTRA_MID, _EXTRA_TOP, rng.randint(7, 11)))
        start = rng.randrange(length)
        track[start : start + len(sound)] = sound[: length - start]
    for _ in range(rng.randint(1, 3)):
        period = rng.randint(9, 37)  # 300 to 1,200 Hz
        amplitude = rng.uniform(4, 9)
        cycle = bytes(
            round(_EXTRA_MID + amplitude * math.sin(2 * math.pi * k / period))
            for k in range(period)
        )
        tone = cycle * (_frames(rng, 0.08, 0.25) // period)
        start = rng.randrange(length)
        track[start : start + len(tone)] = tone[: length - start]
    return track


def render_wav(
    code: str, *, language: str = codes.ENGLISH.language, seed: int | None = None
) -> bytes:
    """A WAV file (8-bit mono PCM at RATE) of ``code``'s characters spoken over
    noise in ``language``'s voice samples. The same ``seed`` gives the same
    file; without one, the pauses and the noise come from the operating
    system's random source."""
    if language not in codes.ALPHABETS:
        raise ValueError(f"no voice samples in {language!r}")
    rng = random.Random(secrets.randbits(64) if seed is None else seed)
    voiced = samples(language)
    try:
        sounds = [voiced[char] for char in code]
    except KeyError as error:
        raise ValueError(f"no voice sample for {error.args[0]!r}") from None

    voice = _voice(rng, sounds)
    length = len(voice)
    extra = _babble_and_tones(rng, length, voiced, rng.randint(1, 2) * len(code))
    mixed = (
        int.from_bytes(voice, "little")
        + _hiss(rng, length)
        + int.from_bytes(extra, "little")
    ).to_bytes(length, "little")

    out = io.BytesIO()
    with wave.open(out, "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(1)
        clip.setframerate(RATE)
        clip.writeframes(mixed)
    return out.getvalue()
