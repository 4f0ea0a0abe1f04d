from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaptchaConfig(AppConfig):
    name = "communique.captcha"
    label = "captcha"
    verbose_name = _("CAPTCHA")
