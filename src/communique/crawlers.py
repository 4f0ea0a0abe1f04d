"""What crawlers and browsers ask the root of a site for: ``robots.txt``,
``sitemap.xml`` and ``favicon.ico``. Each is the same for everyone, and
cached like pages."""

from __future__ import annotations

from pathlib import Path

from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from communique.pagecache import cached_page
from communique.pagecache.tags import STATEMENT_LIST
from communique.publishing.sitemaps import SITEMAPS
from communique.syndication import absolute_url

FAVICON = Path(__file__).parent / "static" / "communique" / "favicon.ico"
# Pages that are per reader or for staff: nothing there for an index.
CLOSED_TO_CRAWLERS = (
    "/admin/",
    "/moderation/",
    "/account/",
    "/captcha/",
    "/comments/new/",
    "/comments/*/reply/",
    "/comments/*/edit/",
)


@cached_page
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Where crawlers need not go, in every language's addresses, and where
    the sitemap is."""
    lines = ["User-agent: *"]
    for path in CLOSED_TO_CRAWLERS:
        lines += [f"Disallow: {path}", f"Disallow: /*{path}"]
    lines += ["", f"Sitemap: {absolute_url(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@cached_page(tags=[STATEMENT_LIST])
def sitemap(request: HttpRequest) -> HttpResponse:
    response = django_sitemap(request, sitemaps=SITEMAPS)
    return response.render()


@cached_page
def favicon(request: HttpRequest) -> HttpResponse:
    """The icon browsers fetch by this name when a page names none (feed
    readers, older browsers); pages name the SVG one in the static files."""
    return HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
