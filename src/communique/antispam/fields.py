"""Spam guards that live in forms: a honeypot and the time the form was shown."""

from __future__ import annotations

import time
from functools import lru_cache

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from communique import signatures

FORM_TIME_SALT = "communique.antispam.form-time"
FORM_TIME_MARKER = "communique-form-time-placeholder"
TOO_FAST = _(
    "That was quicker than a person can write. Please wait a few seconds and "
    "press Save again; your text is kept."
)
NOT_CHECKABLE = _(
    "The form could not be checked. Please press Save again; your text is kept."
)


def signed_now() -> str:
    """The current time, signed, for a form shown now."""
    return _signed_time(int(time.time()), settings.SECRET_KEY)


@lru_cache(maxsize=2)
def _signed_time(second: int, secret_key: str) -> str:
    # Every form shown within one second carries the same value: sign it once.
    return signatures.sign(FORM_TIME_SALT, str(second))


class HoneypotField(forms.CharField):
    """A field people never see or hear; bots that fill every field fill it.

    It never refuses: the form reports it through ``honeypot_filled`` and the
    comment is kept as spam without telling the sender.
    """

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Leave this field empty"))
        kwargs.setdefault("template_name", "antispam/honeypot.html")
        super().__init__(**kwargs)


class FormTimeField(forms.CharField):
    """A signed timestamp of when the form was shown; too early a reply is
    refused. The page carries a marker that becomes the time per response."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return FORM_TIME_MARKER

    def clean(self, value):
        value = super().clean(value)
        try:
            shown = int(signing.Signer(salt=FORM_TIME_SALT).unsign(value or ""))
        except (signing.BadSignature, ValueError):
            raise forms.ValidationError(NOT_CHECKABLE, code="form_time") from None
        if time.time() - shown < settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS:
            raise forms.ValidationError(TOO_FAST, code="too_fast")
        return shown
