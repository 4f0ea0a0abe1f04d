from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from communique.captcha import placeholders

# Pages load nothing from another host: no fonts, scripts, images or frames.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Tell browsers to refuse any resource that is not the site's own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class PlaceholderMiddleware:
    """Fill what differs per response into pages that are the same for all.

    Runs outermost, so that a page from the page cache is filled too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.streaming or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            return response
        filled = placeholders.fill(response.content)
        if filled is not response.content:
            response.content = filled
            response.headers.pop("ETag", None)
        return response
