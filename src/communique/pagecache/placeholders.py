"""Markers that cached pages carry where per-reader values go, and filling them.

Views that can be cached render markers instead of a CSRF token, a CAPTCHA
challenge id and the time a form was shown. Every response, from the cache or
freshly rendered, has them replaced here: the CSRF token from the reader's own
cookie (set if missing), a new challenge id, and the signed current time.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware

from communique.antispam.fields import FORM_TIME_MARKER, signed_now
from communique.captcha import placeholders as captcha_placeholders
from communique.pagecache import csrf as csrf_values

CSRF_MARKER = "communique-csrf-token-placeholder"
CSRF_MARKER_BYTES = CSRF_MARKER.encode()
FORM_TIME_MARKER_BYTES = FORM_TIME_MARKER.encode()
CAPTCHA_MARKER_BYTES = captcha_placeholders.MARKER_BYTES
MARKERS = (CSRF_MARKER_BYTES, CAPTCHA_MARKER_BYTES, FORM_TIME_MARKER_BYTES)


def _no_response(request: HttpRequest) -> None:
    return None


def fill(request: HttpRequest, response: HttpResponseBase) -> None:
    """Replace the markers in ``response`` for this reader."""
    if response.streaming or not response.get("Content-Type", "").startswith(
        "text/html"
    ):
        return
    body = response.content
    if not any(marker in body for marker in MARKERS):
        return
    body = captcha_placeholders.fill(body)
    if FORM_TIME_MARKER_BYTES in body:
        body = body.replace(FORM_TIME_MARKER_BYTES, signed_now().encode())
    if CSRF_MARKER_BYTES in body:
        csrf = CsrfViewMiddleware(_no_response)
        if "CSRF_COOKIE" not in request.META:
            csrf.process_request(request)  # reads the reader's cookie, if any
        body = body.replace(CSRF_MARKER_BYTES, csrf_values.token_for(request).encode())
        csrf.process_response(request, response)  # (re)sets the CSRF cookie
    response.content = body
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(body))
