from django.http import HttpRequest

from communique.pagecache.placeholders import CSRF_MARKER


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """In pages that may be cached, a marker where the CSRF token goes."""
    if getattr(request, "page_cache_tags", None):
        return {"csrf_token": CSRF_MARKER}
    return {}
