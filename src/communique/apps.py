from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommuniqueConfig(AppConfig):
    """The project package: site-wide templates, static files and commands."""

    name = "communique"
    verbose_name = _("Communiqué")
    # The admin's names are communique.admin_site.SiteAdmin's.
