from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

from communique.alternates import Alternate, alternates_of
from communique.worker_memory import Kept

# The addresses every page's header and footer link to, by name.
SITE_ADDRESSES = {
    "front_page": "publishing:front_page",
    "archive": "publishing:archive",
    "topics": "publishing:topics",
    "feed": "publishing:feed",
    "feed_rss": "publishing:feed_rss",
    "search": "search:search",
    "mirrors": "mirrors:page",
}
# The static files every page's head links to, by name.
SITE_FILES = {
    "stylesheet": "communique/site.css",
    "icon": "communique/favicon.svg",
}

# Per language and script prefix: they never change while the site runs
# (and a change of settings, in tests, empties every worker memory).
_known: Kept[tuple[str, str], dict[str, str]] = Kept("site-urls", size=32)


def site(request: HttpRequest) -> dict[str, object]:
    """The site's name, for the header and the page titles, and the
    addresses of the header and footer in the page's language."""
    return {"site_name": settings.COMMUNIQUE_SITE_NAME, "site_urls": site_urls()}


def site_urls() -> dict[str, str]:
    """The header's and footer's addresses in the active language, and the
    head's stylesheet and icon (for pages rendered without the context
    processors, too: the 503 page). Found once per language: every page
    shows them."""
    key = (get_language(), get_script_prefix())
    urls = _known.get(key)
    if urls is None:
        urls = {name: reverse(view) for name, view in SITE_ADDRESSES.items()}
        urls |= {name: static(path) for name, path in SITE_FILES.items()}
        _known.put(key, urls)
    return urls


def languages(request: HttpRequest) -> dict[str, object]:
    """This page in each of the site's languages, for the switcher and hreflang."""
    alternates: list[Alternate] = []
    if len(settings.LANGUAGES) > 1:
        alternates = alternates_of(request)
    return {"alternates": alternates, "default_language": settings.LANGUAGE_CODE}
