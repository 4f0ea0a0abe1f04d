"""The admin, named after the site and leading to the moderation queue."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _


class SiteAdmin(admin.AdminSite):
    """Django's admin site, saying the site's name (read when used, so that a
    change of settings shows) instead of "Django administration"."""

    @property
    def site_header(self) -> str:  # type: ignore[override]
        return settings.COMMUNIQUE_SITE_NAME

    @property
    def site_title(self) -> str:  # type: ignore[override]
        return settings.COMMUNIQUE_SITE_NAME

    @property
    def index_title(self) -> str:  # type: ignore[override]
        return _("%(site)s administration") % {"site": settings.COMMUNIQUE_SITE_NAME}

    def each_context(self, request: HttpRequest) -> dict:
        context = super().each_context(request)
        user = getattr(request, "user", None)
        if user is not None and user.has_perm("comments.moderate_comments"):
            from communique.comments.models import Comment

            context["moderation_url"] = reverse("comments:moderation")
            context["moderation_waiting"] = Comment.objects.pending().count()
        return context


class SiteAdminConfig(AdminConfig):
    """``django.contrib.admin`` with ``SiteAdmin`` as ``admin.site``."""

    default_site = "communique.admin_site.SiteAdmin"
