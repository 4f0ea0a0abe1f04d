import io
import wave

import pytest

from communique.captcha.audio import RATE, render_wav, sample_path, samples
from communique.captcha.codes import ALPHABET, PERSIAN


def _read(clip: bytes):
    with wave.open(io.BytesIO(clip), "rb") as reader:
        return reader.getparams(), reader.readframes(reader.getnframes())


def test_every_character_has_a_short_sample():
    voiced = samples()
    assert set(voiced) == set(ALPHABET)
    for char, frames in voiced.items():
        assert 0.15 <= len(frames) / RATE <= 1.0, char


def test_samples_differ():
    assert len(set(samples().values())) == len(ALPHABET)


def test_clip_is_a_mono_wav_at_the_samples_rate():
    params, frames = _read(render_wav("AC34", seed=1))
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 1, RATE)
    assert len(frames) == params.nframes > 0


@pytest.mark.parametrize(
    ("code", "shortest", "longest"),
    [
        ("EEEE", 2.5, 5.5),  # E is the shortest sample
        ("WWWW", 2.5, 5.5),  # W ("double-u") the longest
        ("EEEEEEEE", 5.0, 10.5),
        ("WWWWWWWW", 5.0, 10.5),
    ],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_duration(code, shortest, longest, seed):
    params, _ = _read(render_wav(code, seed=seed))
    assert shortest <= params.nframes / RATE <= longest


@pytest.mark.parametrize("seed", range(5))
def test_five_characters_take_under_100_kb(seed):
    assert len(render_wav("WWWWW", seed=seed)) < 100 * 1024
    assert len(render_wav("W7Y96", seed=seed)) < 100 * 1024


def test_same_seed_same_clip():
    assert render_wav("HJKMN", seed=42) == render_wav("HJKMN", seed=42)


def test_other_seed_or_no_seed_other_clip():
    assert render_wav("HJKMN", seed=42) != render_wav("HJKMN", seed=43)
    assert render_wav("HJKMN") != render_wav("HJKMN")


def test_other_code_other_clip():
    assert render_wav("HJKMN", seed=42) != render_wav("HJKMP", seed=42)


@pytest.mark.parametrize("seed", range(5))
def test_voice_is_louder_than_the_noise(seed):
    """The lead-in holds only noise: it stays within the noise's and babble's
    share of the bytes, while the characters reach well beyond it."""
    _, frames = _read(render_wav("AXE94", seed=seed))
    lead_in = frames[: int(0.45 * RATE)]
    assert max(abs(value - 128) for value in lead_in) <= 28
    assert max(abs(value - 128) for value in frames) > 60


@pytest.mark.parametrize("code", ["ab", "AB", "A0", "A A", "A\u0660"])
def test_characters_without_a_sample_are_refused(code):
    with pytest.raises(ValueError, match="no voice sample"):
        render_wav(code, seed=1)


# Persian clips: Persian digit names, and nothing else


def test_every_persian_digit_has_its_own_short_sample():
    voiced = samples("fa")
    assert set(voiced) == set(PERSIAN.characters)
    for char, frames in voiced.items():
        assert 0.15 <= len(frames) / RATE <= 1.0, char
        assert sample_path("fa", char).name == f"fa-{char}.wav"
    assert len(set(voiced.values())) == len(PERSIAN.characters)


def test_persian_and_english_samples_are_different_recordings():
    english, persian = samples("en"), samples("fa")
    assert not set(english.values()) & set(persian.values())
    assert sample_path("en", "3") != sample_path("fa", "3")


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("code", ["3467", "9999", "36"])
def test_a_persian_clip_is_made_of_the_persian_samples(code, seed):
    """The pauses and loudness draw the same random numbers whatever the
    samples, so two clips of one code and seed differ in length by exactly
    the difference of their samples' lengths."""
    english, persian = samples("en"), samples("fa")
    en_params, _ = _read(render_wav(code, language="en", seed=seed))
    fa_params, _ = _read(render_wav(code, language="fa", seed=seed))
    difference = sum(len(persian[c]) for c in code) - sum(len(english[c]) for c in code)
    assert difference != 0
    assert fa_params.nframes - en_params.nframes == difference


def test_english_is_the_default_voice():
    assert render_wav("3467", seed=5) == render_wav("3467", language="en", seed=5)
    assert render_wav("3467", seed=5) != render_wav("3467", language="fa", seed=5)


@pytest.mark.parametrize("code", ["1", "12", "3462"])
def test_persian_only_digits_have_no_english_sample(code):
    with pytest.raises(ValueError, match="no voice sample"):
        render_wav(code, language="en", seed=1)


@pytest.mark.parametrize("code", ["A", "5", "0", "8", "\u06f3"])
def test_what_the_persian_alphabet_lacks_is_refused(code):
    with pytest.raises(ValueError, match="no voice sample"):
        render_wav(code, language="fa", seed=1)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="no voice samples"):
        render_wav("3467", language="de", seed=1)


@pytest.mark.parametrize("seed", range(5))
def test_a_persian_code_of_the_default_length_takes_under_100_kb(seed):
    assert len(render_wav("12346791", language="fa", seed=seed)) < 100 * 1024
