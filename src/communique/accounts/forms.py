"""Sign-in forms: the password, then the code of an enrolled authenticator.

Django's ``AuthenticationForm`` calls ``authenticate()``, where django-axes
refuses a locked-out account or client before any password is hashed. A
wrong code is refused here; django-otp makes each further wrong code wait
longer.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from communique.accounts import twofactor
from communique.accounts.roles import MODERATE_COMMENTS


class CodeField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            label=_("Code from your authenticator app"),
            max_length=12,
            widget=forms.TextInput(
                attrs={
                    "autocomplete": "one-time-code",
                    "inputmode": "numeric",
                    "dir": "ltr",
                }
            ),
            **kwargs,
        )


class SecondFactorMixin:
    """Ask an account that enrolled an authenticator for its current code."""

    code_messages = {
        "code_required": _(
            "This account signs in with a code: enter the six digits your "
            "authenticator app shows now."
        ),
        "wrong_code": _(
            "That code is not right, or was used already. Wait for the next "
            "code and enter it."
        ),
    }

    def clean_second_factor(self, user) -> None:
        if user is None:
            return
        device = twofactor.confirmed_device(user)
        if device is None:
            return
        code = self.cleaned_data.get("otp_token", "")
        if not code:
            self.add_error(
                "otp_token",
                forms.ValidationError(
                    self.code_messages["code_required"], code="code_required"
                ),
            )
        elif twofactor.check_code(user, device, code):
            # django-otp records the device in the session at sign-in.
            user.otp_device = device
        else:
            self.add_error(
                "otp_token",
                forms.ValidationError(
                    self.code_messages["wrong_code"], code="wrong_code"
                ),
            )


class SignInForm(SecondFactorMixin, AuthenticationForm):
    """The moderation pages' sign-in: moderators need not be staff."""

    otp_token = CodeField(required=False)

    error_messages = {
        **AuthenticationForm.error_messages,
        "not_moderator": _("This account may not moderate comments."),
    }

    def clean(self):
        cleaned_data = super().clean()
        self.clean_second_factor(self.get_user())
        return cleaned_data

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.has_perm(MODERATE_COMMENTS):
            raise forms.ValidationError(
                self.error_messages["not_moderator"], code="not_moderator"
            )


class AdminSignInForm(SecondFactorMixin, AdminAuthenticationForm):
    """The admin's sign-in, for staff accounts."""

    otp_token = CodeField(required=False)

    def clean(self):
        cleaned_data = super().clean()
        self.clean_second_factor(self.get_user())
        return cleaned_data


class CodeForm(forms.Form):
    """A code alone: to confirm a new device, or to verify a session."""

    otp_token = CodeField()
