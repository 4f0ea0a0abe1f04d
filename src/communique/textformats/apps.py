from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TextFormatsConfig(AppConfig):
    name = "communique.textformats"
    label = "textformats"
    verbose_name = _("Text formats")
