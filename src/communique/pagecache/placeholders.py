"""Markers that cached pages carry where per-reader values go, and filling them.

Views that can be cached render markers instead of a CSRF token, a CAPTCHA
challenge id and the time a form was shown. Every response, from the cache or
freshly rendered, has them replaced here: the CSRF token from the reader's own
cookie (set if missing), a new challenge id, and the signed current time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence

from django.http import HttpRequest, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware

from communique.antispam.fields import FORM_TIME_MARKER, signed_now
from communique.captcha import placeholders as captcha_placeholders
from communique.captcha.challenges import new_challenge_id
from communique.pagecache import csrf as csrf_values

CSRF_MARKER = "communique-csrf-token-placeholder"
CSRF_MARKER_BYTES = CSRF_MARKER.encode()
FORM_TIME_MARKER_BYTES = FORM_TIME_MARKER.encode()
CAPTCHA_MARKER_BYTES = captcha_placeholders.MARKER_BYTES
MARKERS = (CSRF_MARKER_BYTES, CAPTCHA_MARKER_BYTES, FORM_TIME_MARKER_BYTES)


MARKER_PATTERN = re.compile(b"(" + b"|".join(map(re.escape, MARKERS)) + b")")


def split(body: bytes) -> list[bytes]:
    """``body`` cut at its markers: text at even positions, markers at odd."""
    return MARKER_PATTERN.split(body)


def joined(pieces: Sequence[bytes], values: Mapping[bytes, bytes]) -> bytes:
    """The pieces ``split`` gave, each marker replaced by its value."""
    if len(pieces) == 1:
        return pieces[0]
    return b"".join(
        values[piece] if index % 2 else piece for index, piece in enumerate(pieces)
    )


def values_for(markers: Collection[bytes], csrf_token: Callable[[], str]) -> dict:
    """A value for each of ``markers``: a new challenge id, the signed time,
    and the token ``csrf_token()`` gives for this reader."""
    values = {}
    if CAPTCHA_MARKER_BYTES in markers:
        values[CAPTCHA_MARKER_BYTES] = new_challenge_id().encode()
    if FORM_TIME_MARKER_BYTES in markers:
        values[FORM_TIME_MARKER_BYTES] = signed_now().encode()
    if CSRF_MARKER_BYTES in markers:
        values[CSRF_MARKER_BYTES] = csrf_token().encode()
    return values


def fill(request: HttpRequest, response: HttpResponseBase) -> None:
    """Replace the markers in ``response`` for this reader, in one pass."""
    if response.streaming or not response.get("Content-Type", "").startswith(
        "text/html"
    ):
        return
    pieces = split(response.content)
    if len(pieces) == 1:
        return
    markers = set(pieces[1::2])
    csrf = CsrfViewMiddleware(_no_response)
    if CSRF_MARKER_BYTES in markers and "CSRF_COOKIE" not in request.META:
        csrf.process_request(request)  # reads the reader's cookie, if any
    body = joined(pieces, values_for(markers, lambda: csrf_values.token_for(request)))
    if CSRF_MARKER_BYTES in markers:
        csrf.process_response(request, response)  # (re)sets the CSRF cookie
    response.content = body
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(body))


def _no_response(request: HttpRequest) -> None:
    return None
