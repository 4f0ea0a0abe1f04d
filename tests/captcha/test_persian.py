"""The CAPTCHA in the Persian interface: Persian-digit codes, issued in the
language active when the image or clip is asked for, answered once."""

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.test import RequestFactory
from django.utils import translation

from communique.captcha import audio, challenges, codes, cookie, drawing, views
from communique.captcha.challenges import Outcome
from communique.captcha.fields import CaptchaField
from communique.captcha.models import Challenge

pytestmark = pytest.mark.django_db

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


def in_script(code: str, digits: str) -> str:
    return "".join(digits[int(char)] for char in code)


# Alphabets


def test_persian_codes_are_latin_digits_drawn_as_persian_digits():
    assert codes.PERSIAN.characters.isdigit()
    assert codes.PERSIAN.characters.isascii()
    assert codes.PERSIAN.glyphs == in_script(codes.PERSIAN.characters, PERSIAN_DIGITS)
    assert codes.PERSIAN.shown("1234679") == "۱۲۳۴۶۷۹"
    assert codes.PERSIAN.digits_only and not codes.ENGLISH.digits_only


def test_persian_alphabet_leaves_out_the_digits_that_look_or_sound_alike():
    # 0 is a dot, 5 a ring like an O, 8 a 7 upside down ("hasht" and "haft").
    assert not set("058") & set(codes.PERSIAN.characters)
    assert len(set(codes.PERSIAN.glyphs)) == len(codes.PERSIAN.glyphs)


@pytest.mark.parametrize(
    ("english", "persian"), [(4, 7), (5, 8), (6, 10), (7, 11), (8, 13)]
)
def test_persian_codes_are_no_easier_to_guess(english, persian):
    english_codes = len(codes.ENGLISH.characters) ** english
    assert codes.PERSIAN.length_for(english) == persian
    assert len(codes.PERSIAN.characters) ** persian >= english_codes
    # and no longer than that takes
    assert len(codes.PERSIAN.characters) ** (persian - 1) < english_codes
    assert codes.ENGLISH.length_for(english) == english


@pytest.mark.parametrize(
    ("language", "alphabet"),
    [
        ("fa", codes.PERSIAN),
        ("fa-ir", codes.PERSIAN),
        ("FA_IR", codes.PERSIAN),
        ("en", codes.ENGLISH),
        ("en-gb", codes.ENGLISH),
        ("de", codes.ENGLISH),
        ("", codes.ENGLISH),
        (None, codes.ENGLISH),
    ],
)
def test_each_language_has_its_alphabet(language, alphabet):
    assert codes.alphabet_for(language) is alphabet


def test_new_persian_codes_have_the_persian_length():
    for length in range(codes.MIN_LENGTH, codes.MAX_LENGTH + 1):
        code = codes.new_code(length, codes.PERSIAN)
        assert len(code) == codes.PERSIAN.length_for(length)
        assert set(code) <= set(codes.PERSIAN.characters)
    with pytest.raises(ValueError):
        codes.new_code(codes.MAX_LENGTH + 1, codes.PERSIAN)


@pytest.mark.parametrize(
    ("answer", "could_be"),
    [
        ("ACE47", True),  # English
        ("12346791", True),  # Persian, 8 digits
        ("1234679", True),  # Persian, 7: the shortest
        ("1" * 13, True),  # Persian, 13: the longest
        ("1" * 14, False),
        ("123467", False),  # too short for Persian, and 1 and 2 are not English
        ("ACE12", False),  # the alphabets mixed
        ("12345679", False),  # 5 is in neither
        ("A" * 9, False),
    ],
)
def test_an_answer_could_be_a_code_of_either_alphabet(answer, could_be):
    assert codes.could_be_a_code(answer) is could_be


# Challenges


def test_a_challenge_takes_the_active_language(each_store):
    with translation.override("fa"):
        persian = challenges.issue()
    with translation.override("en"):
        english = challenges.issue()
    assert (persian.language, english.language) == ("fa", "en")
    assert persian.alphabet is codes.PERSIAN
    assert len(persian.code) == 8  # at the default length of 5
    assert set(persian.code) <= set(codes.PERSIAN.characters)
    assert len(english.code) == 5
    assert set(english.code) <= set(codes.ENGLISH.characters)


def test_a_challenge_keeps_its_language(each_store):
    issued = challenges.issue("fa")
    with translation.override("en"):
        assert challenges.challenge_of(issued.id) == issued
    assert challenges.code_of(issued.id) == issued.code


def test_the_language_is_stored_with_the_row(database_store):
    issued = challenges.issue("fa")
    assert Challenge.objects.get(pk=issued.id).language == "fa"


def test_a_redis_challenge_without_a_language_is_english(each_store):
    if each_store != "redis":
        pytest.skip("about challenges stored in Redis before languages were")
    issued = challenges.issue("en")
    store = challenges.store()
    store.client.hdel(challenges.REDIS_PREFIX + issued.id, "language")
    assert challenges.challenge_of(issued.id) == issued


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code,  # Latin digits
        lambda code: in_script(code, PERSIAN_DIGITS),
        lambda code: in_script(code, ARABIC_INDIC_DIGITS),
        lambda code: " ".join(in_script(code, PERSIAN_DIGITS)),
        lambda code: in_script(code[:4], PERSIAN_DIGITS) + code[4:],  # mixed
    ],
    ids=["latin", "persian", "arabic-indic", "spaced", "mixed"],
)
def test_a_persian_challenge_is_answered_in_any_digits_once(each_store, typed):
    issued = challenges.issue("fa")
    answer = typed(issued.code)
    assert challenges.claim([issued.id], answer) == challenges.Claim(
        Outcome.SOLVED, issued.id
    )
    assert challenges.claim([issued.id], answer).outcome is Outcome.STALE


def test_a_wrong_persian_answer_uses_up_the_challenge(each_store):
    issued = challenges.issue("fa")
    wrong = "".join("2" if char != "2" else "3" for char in issued.code)
    assert challenges.claim([issued.id], wrong).outcome is Outcome.WRONG
    assert challenges.claim([issued.id], issued.code).outcome is Outcome.STALE


def test_a_reader_holding_both_languages_answers_each(each_store):
    persian, english = challenges.issue("fa"), challenges.issue("en")
    ids = [persian.id, english.id]
    assert challenges.claim(ids, english.code).challenge_id == english.id
    answer = in_script(persian.code, PERSIAN_DIGITS)
    assert challenges.claim(ids, answer).challenge_id == persian.id


# The image and the clip, asked for in the Persian interface


@pytest.fixture
def drawn(monkeypatch):
    """What the image view asked to draw."""
    texts = []
    real = drawing.draw_png

    def draw_png(text, **kwargs):
        texts.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(drawing, "draw_png", draw_png)
    return texts


@pytest.fixture
def spoken(monkeypatch):
    """The code and the language the audio view asked to speak."""
    calls = []
    real = audio.render_wav

    def render_wav(code, **kwargs):
        calls.append((code, kwargs["language"]))
        return real(code, **kwargs)

    monkeypatch.setattr(audio, "render_wav", render_wav)
    return calls


def get(view, path, language, held=None):
    request = RequestFactory().get(path)
    if held is not None:
        request.COOKIES[cookie.NAME] = held.cookies[cookie.NAME].value
    with translation.override(language):
        return view(request)


def newest(response) -> challenges.Issued:
    request = RequestFactory().get("/")
    request.COOKIES[cookie.NAME] = response.cookies[cookie.NAME].value
    return challenges.challenge_of(cookie.challenge_ids(request)[-1])


def test_the_persian_image_draws_the_code_in_persian_digits(drawn):
    response = get(views.image, "/fa/captcha/image.png", "fa")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    issued = newest(response)
    assert issued.language == "fa"
    assert drawn == [codes.PERSIAN.shown(issued.code)]
    assert set(drawn[0]) <= set(codes.PERSIAN.glyphs)


def test_the_english_image_is_unchanged(drawn):
    response = get(views.image, "/captcha/image.png", "en")
    issued = newest(response)
    assert issued.language == "en"
    assert drawn == [issued.code]
    assert len(issued.code) == 5


def test_the_clip_speaks_the_persian_image_in_persian(spoken):
    image = get(views.image, "/fa/captcha/image.png", "fa")
    issued = newest(image)
    clip = get(views.audio, "/fa/captcha/audio.wav", "fa", held=image)
    assert clip["Content-Type"] == "audio/wav"
    assert spoken == [(issued.code, "fa")]
    # the same challenge, heard: the clip names no other
    assert newest(clip) == issued


def test_the_clip_keeps_the_language_its_image_was_issued_in(spoken):
    image = get(views.image, "/fa/captcha/image.png", "fa")
    get(views.audio, "/captcha/audio.wav", "en", held=image)
    assert spoken == [(newest(image).code, "fa")]


def test_a_clip_alone_issues_a_persian_challenge(spoken):
    clip = get(views.audio, "/fa/captcha/audio.wav", "fa")
    issued = newest(clip)
    assert issued.language == "fa"
    assert spoken == [(issued.code, "fa")]
    assert challenges.claim([issued.id], in_script(issued.code, PERSIAN_DIGITS)) == (
        challenges.Claim(Outcome.SOLVED, issued.id)
    )


# What the fieldset says


class CaptchaForm(forms.Form):
    captcha = CaptchaField()


def rendered_fieldset(language: str) -> BeautifulSoup:
    with translation.override(language):
        return BeautifulSoup(CaptchaForm()["captcha"].as_field_group(), "html.parser")


DIGITS_HELP = "Enter the digits shown in the image; Persian or Latin digits both work."


def test_the_english_help_says_characters():
    fieldset = rendered_fieldset("en")
    help_text = fieldset.find(class_="helptext").get_text()
    assert help_text == "Enter the characters shown in the image."
    answer = fieldset.find("input", attrs={"name": "captcha"})
    assert answer["autocapitalize"] == "characters"
    assert not answer.has_attr("inputmode")


def test_the_persian_help_says_digits_of_either_script():
    fieldset = rendered_fieldset("fa")
    help_text = fieldset.find(class_="helptext").get_text()
    with translation.override("fa"):
        assert help_text == translation.gettext(DIGITS_HELP)
    answer = fieldset.find("input", attrs={"name": "captcha"})
    assert answer["inputmode"] == "numeric"
    assert not answer.has_attr("autocapitalize")


def test_one_field_says_what_fits_the_language_it_is_rendered_in():
    field = CaptchaForm()["captcha"]
    with translation.override("fa"):
        assert str(field.help_text) == translation.gettext(DIGITS_HELP)
    with translation.override("en"):
        assert str(field.help_text) == "Enter the characters shown in the image."
