import io
import itertools
import math
import wave

import numpy as np
import pytest

from communique.captcha import audio
from communique.captcha.audio import (
    RATE,
    SNR_DB,
    VARIANTS,
    babble_path,
    compose,
    render_wav,
    sample_paths,
    samples,
)
from communique.captcha.codes import ENGLISH, PERSIAN


def _read(clip: bytes):
    with wave.open(io.BytesIO(clip), "rb") as reader:
        return reader.getparams(), reader.readframes(reader.getnframes())


@pytest.mark.parametrize("alphabet", [ENGLISH, PERSIAN])
def test_every_character_has_its_short_variants(alphabet):
    voiced = samples(alphabet.language)
    assert set(voiced) == set(alphabet.characters)
    for char, variants in voiced.items():
        assert len(variants) == VARIANTS, char
        for frames in variants:
            assert 0.15 <= len(frames) / RATE <= 1.0, char


def test_variants_and_languages_are_different_recordings():
    recordings = [
        frames.tobytes()
        for language in ("en", "fa")
        for variants in samples(language).values()
        for frames in variants
    ]
    assert len(set(recordings)) == len(recordings) == VARIANTS * (20 + 7)


def test_file_names():
    assert [path.name for path in sample_paths("en", "A")] == [
        f"A-{n}.wav" for n in range(1, VARIANTS + 1)
    ]
    assert sample_paths("fa", "3")[0].name == "fa-3-1.wav"
    assert babble_path("fa").name == "babble-fa.wav"


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_babble_is_speech_that_is_no_sample(language):
    source = audio.babble_source(language)
    assert len(source) / RATE >= 5
    assert not any(
        frames.tobytes() in source.tobytes()
        for variants in samples(language).values()
        for frames in variants
    )


def test_clip_is_a_mono_wav_at_the_samples_rate():
    params, frames = _read(render_wav("AC34", seed=1))
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 1, RATE)
    assert len(frames) == params.nframes > 0


@pytest.mark.parametrize(
    ("code", "language", "shortest", "longest"),
    [
        ("EEEE", "en", 3.0, 5.5),  # E is among the shortest samples
        ("WWWW", "en", 4.0, 7.0),  # W ("double-u") the longest
        ("EEEEE", "en", 3.8, 6.5),
        ("WWWWW", "en", 5.0, 8.0),
        ("WWWWWWWW", "en", 8.0, 12.0),
        ("22222222", "fa", 6.5, 10.0),
        ("44444444", "fa", 8.5, 12.5),
    ],
)
@pytest.mark.parametrize("seed", range(4))
def test_duration_and_pace(code, language, shortest, longest, seed):
    params, _ = _read(render_wav(code, language=language, seed=seed))
    seconds = params.nframes / RATE
    assert shortest <= seconds <= longest
    assert 0.6 <= len(code) / seconds <= 1.25  # characters a second


@pytest.mark.parametrize("seed", range(5))
def test_clips_stay_small(seed):
    assert len(render_wav("WWWWW", seed=seed)) < 100 * 1024
    assert len(render_wav("W7Y96", seed=seed)) < 100 * 1024
    assert len(render_wav("44444444", language="fa", seed=seed)) < 128 * 1024


def test_same_seed_same_clip():
    assert render_wav("HJKMN", seed=42) == render_wav("HJKMN", seed=42)
    assert render_wav("3467", language="fa", seed=7) == render_wav(
        "3467", language="fa", seed=7
    )


def test_other_seed_or_no_seed_other_clip():
    assert render_wav("HJKMN", seed=42) != render_wav("HJKMN", seed=43)
    assert render_wav("HJKMN") != render_wav("HJKMN")


def test_other_code_other_clip():
    assert render_wav("HJKMN", seed=42) != render_wav("HJKMP", seed=42)


@pytest.mark.parametrize("seed", range(10))
def test_neighbours_are_spoken_by_other_variants(seed):
    variants = compose("AAAAAAAA", seed=seed).variants
    assert all(a != b for a, b in itertools.pairwise(variants))


def test_every_variant_is_used():
    used = {v for seed in range(20) for v in compose("X7", seed=seed).variants}
    assert used == set(range(VARIANTS))


@pytest.mark.parametrize("seed", range(8))
def test_no_character_is_its_sample_unchanged(seed):
    """Each spoken character correlates weakly with the recording it was made
    from, at every lag: what the attack in bench/audio_attack.py looks for."""
    code = "AXE94"
    clip = compose(code, seed=seed)
    for (start, end), variant, char in zip(
        clip.spans, clip.variants, code, strict=True
    ):
        spoken, source = clip.speech[start:end], samples()[char][variant]
        best = np.max(np.abs(np.correlate(spoken, source, "full")))
        assert best / (np.linalg.norm(spoken) * np.linalg.norm(source)) < 0.6


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("seed", range(10))
def test_speech_to_noise_ratio_is_in_range(language, seed):
    """The ratio of the parts' powers over the spoken stretches, computed
    here from the tracks."""
    code = "AXE94" if language == "en" else "12346791"
    clip = compose(code, language=language, seed=seed)
    spoken = np.zeros(len(clip.speech), dtype=bool)
    for start, end in clip.spans:
        spoken[start:end] = True
    speech = float(np.sum(clip.speech[spoken] ** 2))
    noise = float(np.sum(clip.noise[spoken] ** 2))
    ratio = 10 * math.log10(speech / noise)
    assert SNR_DB[0] - 0.01 <= ratio <= SNR_DB[1] + 0.01
    assert ratio == pytest.approx(clip.snr_db)
    assert not np.any(clip.speech[~spoken])  # silence between characters
    assert np.mean(clip.noise != 0) > 0.99  # noise under the whole clip


@pytest.mark.parametrize("seed", range(5))
def test_the_clip_uses_the_whole_range(seed):
    _, frames = _read(render_wav("AXE94", seed=seed))
    assert max(abs(value - 128) for value in frames) >= 118


@pytest.mark.parametrize("code", ["ab", "AB", "A0", "A A", "A\u0660"])
def test_characters_without_a_sample_are_refused(code):
    with pytest.raises(ValueError, match="no voice sample"):
        render_wav(code, seed=1)


# Persian clips: Persian digit names, and nothing else


def test_persian_and_english_clips_differ():
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
