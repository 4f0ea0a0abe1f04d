from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The site's name, for the header and the page titles."""
    return {"site_name": settings.COMMUNIQUE_SITE_NAME}
