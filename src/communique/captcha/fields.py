"""The CAPTCHA as a form field: a fieldset with the image, the audio player
and the answer box. The form posts the answer and, from readers whose browser
ran the proof of work (``captcha.proofs``), its payload in a hidden field
beside it; which challenges the answer may answer comes from the reader's
challenge cookie, passed in by the view. A payload that checks out stands in
for the answer; one that does not leaves the answer to decide, as without
JavaScript.

What the fieldset says about the code fits the alphabet of the language it is
rendered in, which is the language the image will be asked for in (its URL is
reversed with the same language prefix): "characters" in English, "digits"
in Persian, where Persian and Latin digits are both accepted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from communique.captcha import challenges, codes, pressure, proofs

NOT_CORRECT = _(
    "The answer you entered for the CAPTCHA was not correct. Enter the code "
    "from the new image; your text is kept."
)
NONE_ISSUED = _(
    "The CAPTCHA image had not been loaded, or your browser did not keep the "
    "cookie that goes with it (kept for half an hour, only for the CAPTCHA). "
    "Enter the code from the image below; your text is kept."
)
STALE = _(
    "The CAPTCHA you answered was used already or has expired (a code lasts "
    "half an hour). Enter the code from the new image below; your text is kept."
)
PROOF_FAILED = _(
    "Your browser's check could not be confirmed (it may have expired or been "
    "used already). Enter the code from the image below; your text is kept."
)
TOO_FAST = _(
    "That was quicker than a person can write. Please wait a few seconds and "
    "press Save again; your text is kept."
)


def _help_text() -> str:
    if codes.alphabet_for(get_language()).digits_only:
        return gettext(
            "Enter the digits shown in the image; Persian or Latin digits both work."
        )
    return gettext("Enter the characters shown in the image.")


# Said in the language active when the field is rendered, like gettext_lazy.
HELP_TEXT = lazy(_help_text, str)()

MESSAGES = {
    challenges.Outcome.WRONG: (NOT_CORRECT, "captcha"),
    challenges.Outcome.NONE_ISSUED: (NONE_ISSUED, "captcha"),
    challenges.Outcome.STALE: (STALE, "captcha"),
    challenges.Outcome.TOO_FAST: (TOO_FAST, "too_fast"),
}


class Answer(NamedTuple):
    typed: str  # what the reader typed from the image or the clip
    proof: str  # the proof-of-work payload, or ""


def proof_name(name: str) -> str:
    """The name of the hidden field that carries the proof of work."""
    return f"{name}_proof"


class AnswerInput(forms.TextInput):
    """The answer box, read together with the proof of work beside it."""

    def value_from_datadict(
        self, data: Mapping[str, Any], files: Any, name: str
    ) -> Answer:
        return Answer(str(data.get(name) or ""), str(data.get(proof_name(name)) or ""))

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: Any, name: str
    ) -> bool:
        return name not in data and proof_name(name) not in data


class CaptchaField(forms.CharField):
    """The answer to one of the challenges in ``challenge_ids``.

    Cleaning redeems the proof of work if there is one that checks out (and
    gives ""), else claims the challenge (see ``captcha.challenges``) and
    gives its id. Each refusal is counted (``captcha.pressure``).
    ``answer_kept``: show the typed answer again instead of a new image,
    for a preview, which checks nothing and so spends nothing.
    """

    def __init__(self, *, challenge_ids: Sequence[str] = (), **kwargs) -> None:
        kwargs.setdefault("template_name", "captcha/field.html")
        kwargs.setdefault("label", _("CAPTCHA"))
        kwargs.setdefault("help_text", HELP_TEXT)
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("error_messages", {"required": NOT_CORRECT})
        kwargs.setdefault("widget", AnswerInput)
        super().__init__(**kwargs)
        self.challenge_ids = list(challenge_ids)
        self.answer_kept = False

    @property
    def digits_only(self) -> bool:
        """Whether the code the reader will see, in the active language, is
        made of digits only (the template then asks for a numeric keyboard)."""
        return codes.alphabet_for(get_language()).digits_only

    @property
    def proof_of_work(self) -> bool:
        """Whether readers with JavaScript may send a proof of work instead."""
        return settings.COMMUNIQUE_ALTCHA_ENABLED

    def clean(self, value: Answer | str | None) -> str:
        if not isinstance(value, Answer):
            value = Answer(value or "", "")
        try:
            return self._redeem_or_claim(value)
        except forms.ValidationError:
            pressure.note_refusal()
            raise

    def _redeem_or_claim(self, answer: Answer) -> str:
        if answer.proof and self.proof_of_work:
            outcome = proofs.redeem(answer.proof)
            if outcome is proofs.Outcome.SOLVED:
                return ""
            if outcome is proofs.Outcome.TOO_FAST:
                raise forms.ValidationError(TOO_FAST, code="too_fast")
            if not answer.typed:
                raise forms.ValidationError(PROOF_FAILED, code="captcha")
        typed = super().clean(answer.typed)
        claim = challenges.claim(self.challenge_ids, typed)
        if claim.outcome is not challenges.Outcome.SOLVED:
            message, code = MESSAGES[claim.outcome]
            raise forms.ValidationError(message, code=code)
        return claim.challenge_id
