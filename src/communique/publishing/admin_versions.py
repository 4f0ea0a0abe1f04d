"""Editors' earlier versions of a statement in the admin: every version kept,
one in full, any two compared, and one restored (which keeps the text it
replaces as a version in turn). Permissions as for editing the statement."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from communique.publishing import services, versions
from communique.publishing.models import Statement


class VersionsAdminMixin:
    """Adds the versions pages to the statements' ``ModelAdmin``."""

    def versions_urls(self) -> list:
        site = self.admin_site
        return [
            path(
                "<int:object_id>/versions/",
                site.admin_view(self.versions_view),
                name="publishing_statement_versions",
            ),
            path(
                "<int:object_id>/versions/<int:number>/",
                site.admin_view(self.version_view),
                name="publishing_statement_version",
            ),
        ]

    def _editable(self, request: HttpRequest, object_id: int) -> Statement:
        statement = Statement.objects.filter(pk=object_id).first()
        if statement is None:
            raise Http404(_("There is no such statement."))
        if not self.has_change_permission(request, statement):
            raise PermissionDenied
        return statement

    def _context(self, request: HttpRequest, statement: Statement, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": Statement._meta,
            "statement": statement,
            **extra,
        }

    def versions_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Every version, newest first; with ``older`` and ``newer`` (version
        numbers), what changed between those two."""
        statement = self._editable(request, object_id)
        found = versions.all_versions(statement)
        compared = None
        try:
            older = int(request.GET.get("older", ""))
            newer = int(request.GET.get("newer", ""))
        except ValueError:
            older = newer = 0
        if request.GET and not (1 <= older <= len(found) and 1 <= newer <= len(found)):
            return HttpResponse(_("Choose two versions to compare."), status=400)
        if older and newer:
            compared = versions.source_changes(found[older - 1], found[newer - 1])
        context = self._context(
            request,
            statement,
            title=_("Versions of “%(title)s”") % {"title": statement.title},
            versions=found[::-1],
            older=older,
            newer=newer,
            compared=compared,
        )
        return render(request, "admin/publishing/statement/versions.html", context)

    def version_view(
        self, request: HttpRequest, object_id: int, number: int
    ) -> HttpResponse:
        """One version in full; a POST restores it."""
        statement = self._editable(request, object_id)
        found = versions.all_versions(statement)
        if not 1 <= number <= len(found):
            raise Http404(_("This statement has no such version."))
        shown = found[number - 1]
        if request.method == "POST":
            if shown.revision is None:
                return HttpResponse(_("This is the current version."), status=400)
            services.restore_revision(revision=shown.revision, user=request.user)
            self.message_user(
                request,
                _("Version %(number)d was restored as the current text.")
                % {"number": number},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:publishing_statement_change", args=[statement.pk])
            )
        context = self._context(
            request,
            statement,
            title=_("Version %(number)s of “%(title)s”")
            % {"number": number, "title": shown.title},
            version=shown,
            current=len(found),
        )
        return render(request, "admin/publishing/statement/version.html", context)
