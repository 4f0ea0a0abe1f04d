"""The spam guard that lives in forms: a honeypot.

(How soon after its image a CAPTCHA may be answered is checked with the
challenge, in ``captcha.challenges``: pages carry no per-reader time.)
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
