from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

from communique.alternates import Alternate, alternates_of

# The addresses every page's header and footer link to, by name.
SITE_ADDRESSES = {
    "front_page": "publishing:front_page",
    "archive": "publishing:archive",
    "topics": "publishing:topics",
    "feed": "publishing:feed",
    "feed_rss": "publishing:feed_rss",
    "search": "search:search",
}


def site(request: HttpRequest) -> dict[str, object]:
    """The site's name, for the header and the page titles, and the
    addresses of the header and footer in the page's language."""
    return {"site_name": settings.COMMUNIQUE_SITE_NAME, "site_urls": site_urls()}


def site_urls() -> dict[str, str]:
    """The header's and footer's addresses in the active language (for pages
    rendered without the context processors, too: the 503 page)."""
    return _site_urls(get_language(), get_script_prefix())


@lru_cache(maxsize=32)
def _site_urls(language: str, script_prefix: str) -> dict[str, str]:
    """Reversed once per language (and prefix): they never change while the
    site runs, and every page shows them."""
    return {key: reverse(name) for key, name in SITE_ADDRESSES.items()}


def languages(request: HttpRequest) -> dict[str, object]:
    """This page in each of the site's languages, for the switcher and hreflang."""
    alternates: list[Alternate] = []
    if len(settings.LANGUAGES) > 1:
        alternates = alternates_of(request)
    return {"alternates": alternates, "default_language": settings.LANGUAGE_CODE}
