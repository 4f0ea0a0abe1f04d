from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AntispamConfig(AppConfig):
    name = "communique.antispam"
    label = "antispam"
    verbose_name = _("Spam protection")
