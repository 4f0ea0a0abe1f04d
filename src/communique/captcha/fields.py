"""The CAPTCHA as a form field: a fieldset with the image, the audio link and
the answer box, the challenge id travelling in a hidden input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from communique.captcha import challenges
from communique.captcha.placeholders import MARKER

NOT_CORRECT = _("The answer you entered for the CAPTCHA was not correct.")


class CaptchaWidget(forms.MultiWidget):
    """The hidden challenge id and the answer box (rendered by the field's
    template, which always shows a fresh challenge and never the old answer)."""

    use_fieldset = True

    def __init__(self, attrs=None) -> None:
        super().__init__([forms.HiddenInput(), forms.TextInput()], attrs)

    def decompress(self, value):
        return [None, None]


class CaptchaBoundField(forms.BoundField):
    def get_context(self) -> dict:
        return {**super().get_context(), "marker": MARKER}


class CaptchaField(forms.MultiValueField):
    widget = CaptchaWidget
    bound_field_class = CaptchaBoundField

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("template_name", "captcha/field.html")
        kwargs.setdefault("label", _("CAPTCHA"))
        kwargs.setdefault("help_text", _("Enter the characters shown in the image."))
        fields = (
            forms.CharField(max_length=100),
            forms.CharField(max_length=40),
        )
        super().__init__(
            fields,
            require_all_fields=True,
            error_messages={"required": NOT_CORRECT, "incomplete": NOT_CORRECT},
            **kwargs,
        )

    def compress(self, data_list) -> bool:
        challenge_id, answer = data_list
        if not challenges.verify(challenge_id or "", answer or ""):
            raise forms.ValidationError(NOT_CORRECT, code="captcha")
        return True
