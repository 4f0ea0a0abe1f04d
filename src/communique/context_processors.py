from django.conf import settings
from django.http import HttpRequest

from communique.alternates import Alternate, alternates_of


def site(request: HttpRequest) -> dict[str, str]:
    """The site's name, for the header and the page titles."""
    return {"site_name": settings.COMMUNIQUE_SITE_NAME}


def languages(request: HttpRequest) -> dict[str, object]:
    """This page in each of the site's languages, for the switcher and hreflang."""
    alternates: list[Alternate] = []
    if len(settings.LANGUAGES) > 1:
        alternates = alternates_of(request)
    return {"alternates": alternates, "default_language": settings.LANGUAGE_CODE}
