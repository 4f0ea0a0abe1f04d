from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MirrorsConfig(AppConfig):
    name = "communique.mirrors"
    verbose_name = _("Mirrors")
