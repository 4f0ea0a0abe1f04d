"""A static copy of the public site (``communique export_static DIR``).

Public pages carry no per-reader bytes (no cookie, no token), so the pages a
reader gets can be kept as files and served by anything: a web server, a
bucket behind a CDN, an onion service, a USB stick. The copy is how a site
blocked at its own address stays readable at others'.

The parts: ``addresses`` (which pages, and their files), ``rendering``
(through the site's own WSGI application), ``links`` (each page's links for
the copy, its forms replaced), ``copying`` (the whole copy as bytes),
``manifest`` (the folder kept in step, incrementally).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management import call_command
from django.utils.translation import gettext as _

from communique.mirrors.export import manifest
from communique.mirrors.export.copying import Copy, build_copy

_LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1", "0.0.0.0"})


class ExportError(Exception):
    """The copy cannot be made; the message says why, for the operator."""


def export_site(directory: Path, *, base_url: str | None = None):
    """Bring the copy in ``directory`` up to date with the site; returns the
    ``Copy`` made and what was written, left alone and removed."""
    _check_settings(base_url)
    _check_folder(directory, create=True)
    copy = _build(base_url)
    try:
        return copy, manifest.sync(directory, copy.files)
    except OSError as error:
        raise ExportError(
            _("Cannot write the copy in %(dir)s: %(reason)s")
            % {"dir": directory, "reason": error.strerror or error}
        ) from None


def check_copy(directory: Path, *, base_url: str | None = None):
    """What differs between the copy in ``directory`` and the site now,
    writing nothing."""
    _check_settings(base_url)
    _check_folder(directory, create=False)
    copy = _build(base_url)
    return copy, manifest.check(directory, copy.files)


def _build(base_url: str | None) -> Copy:
    _collect_static_files()
    return build_copy(base_url=base_url)


def _check_settings(base_url: str | None) -> None:
    site = urlsplit(settings.COMMUNIQUE_SITE_URL)
    if site.scheme not in {"http", "https"} or site.hostname in _LOCAL_HOSTS:
        raise ExportError(
            _(
                "COMMUNIQUE_SITE_URL is not set to the site's public address "
                "(it is %(value)s). The copy links to it for comments, and its "
                "feeds and sitemap name it: set it, for example "
                "COMMUNIQUE_SITE_URL=https://statements.example.org"
            )
            % {"value": settings.COMMUNIQUE_SITE_URL or '""'}
        )
    if base_url is not None:
        parts = urlsplit(base_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ExportError(
                _(
                    "--base-url must be an http:// or https:// address, "
                    "such as https://mirror.example.net/; not %(value)s"
                )
                % {"value": base_url}
            )
        if parts.query or parts.fragment:
            raise ExportError(
                _("--base-url cannot have a query or a fragment: %(value)s")
                % {"value": base_url}
            )


def _check_folder(directory: Path, *, create: bool) -> None:
    if directory.exists() and not directory.is_dir():
        raise ExportError(
            _("%(dir)s is a file, not a folder: name a folder for the copy.")
            % {"dir": directory}
        )
    if not create:
        if not directory.is_dir():
            raise ExportError(
                _("There is no copy to check: %(dir)s does not exist.")
                % {"dir": directory}
            )
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / manifest.MANIFEST_NAME
        with open(probe, "ab"):
            pass
    except OSError as error:
        raise ExportError(
            _("Cannot write the copy in %(dir)s: %(reason)s")
            % {"dir": directory, "reason": error.strerror or error}
        ) from None


def _collect_static_files() -> None:
    """Hashed static file names need the manifest ``collectstatic`` writes
    (``communique serve`` runs it on start); make it if it is missing."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return
    try:
        staticfiles_storage.url("communique/site.css")
    except ValueError:
        call_command("collectstatic", interactive=False, verbosity=0)
        loaded = staticfiles_storage.load_manifest()
        staticfiles_storage.hashed_files, staticfiles_storage.manifest_hash = loaded
