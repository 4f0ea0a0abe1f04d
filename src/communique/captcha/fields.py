"""The CAPTCHA as a form field: a fieldset with the image, the audio link and
the answer box. The form posts only the answer; which challenges it may
answer comes from the reader's challenge cookie, passed in by the view.

What the fieldset says about the code fits the alphabet of the language it is
rendered in, which is the language the image will be asked for in (its URL is
reversed with the same language prefix): "characters" in English, "digits"
in Persian, where Persian and Latin digits are both accepted."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from communique.captcha import challenges, codes

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


class CaptchaField(forms.CharField):
    """The answer to one of the challenges in ``challenge_ids``.

    Cleaning claims the challenge (see ``captcha.challenges``) and gives its
    id. ``answer_kept``: show the typed answer again instead of a new image,
    for a preview, which checks nothing and so spends nothing.
    """

    def __init__(self, *, challenge_ids: Sequence[str] = (), **kwargs) -> None:
        kwargs.setdefault("template_name", "captcha/field.html")
        kwargs.setdefault("label", _("CAPTCHA"))
        kwargs.setdefault("help_text", HELP_TEXT)
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("error_messages", {"required": NOT_CORRECT})
        super().__init__(**kwargs)
        self.challenge_ids = list(challenge_ids)
        self.answer_kept = False

    @property
    def digits_only(self) -> bool:
        """Whether the code the reader will see, in the active language, is
        made of digits only (the template then asks for a numeric keyboard)."""
        return codes.alphabet_for(get_language()).digits_only

    def clean(self, value) -> str:
        answer = super().clean(value)
        claim = challenges.claim(self.challenge_ids, answer)
        if claim.outcome is not challenges.Outcome.SOLVED:
            message, code = MESSAGES[claim.outcome]
            raise forms.ValidationError(message, code=code)
        return claim.challenge_id
