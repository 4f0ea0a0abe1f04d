from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommuniqueConfig(AppConfig):
    """The project package: site-wide templates, static files and commands."""

    name = "communique"
    verbose_name = _("Communiqué")

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib import admin

        # The admin says whose site it is, not "Django administration".
        admin.site.site_header = settings.COMMUNIQUE_SITE_NAME
        admin.site.site_title = settings.COMMUNIQUE_SITE_NAME
