"""CSRF tokens and cookies for pages served before Django sees the request.

They are the ones Django's CSRF middleware makes and checks: a secret of 32
letters and digits in the cookie, and in the form that secret masked with 32
random characters (so the page differs for every response). Django picks each
random character with ``secrets.choice``, one call at a time; here they come
from a single ``os.urandom`` read, which keeps a cached page's cost per reader
to a few microseconds.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from functools import lru_cache

from django.http import HttpRequest
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
)
from django.utils.http import http_date

from communique.pagecache.snapshot import snapshot

_ALPHABET = CSRF_ALLOWED_CHARS.encode()
_BASE = len(_ALPHABET)
# Byte b becomes character b % 62. Random bytes from 0 to 247 so map evenly
# (4 bytes to each character); the 8 above are dropped, so that every
# character is equally likely.
_TO_ALPHABET = bytes(_ALPHABET[byte % _BASE] for byte in range(256))
_UNEVEN = bytes(range(256 - 256 % _BASE, 256))
# Characters become their positions in the alphabet (and back) through
# bytes.translate. Two positions add up to less than 2 * 62 < 256, so adding
# two strings of positions, each read as one big integer, adds them position
# by position without any carry: masking a secret needs no Python loop.
_TO_POSITION = bytes(
    _ALPHABET.index(byte) if byte in _ALPHABET else 0 for byte in range(256)
)
_TO_NEGATIVE_POSITION = bytes(
    _BASE - _ALPHABET.index(byte) if byte in _ALPHABET else 0 for byte in range(256)
)
_WELL_FORMED = re.compile(r"[a-zA-Z0-9]+")


def random_characters(count: int) -> str:
    """``count`` characters of Django's CSRF alphabet, uniformly random."""
    text = b""
    while len(text) < count:
        text += os.urandom(count + 8).translate(_TO_ALPHABET, _UNEVEN)
    return text[:count].decode()


def masked(secret: str, mask: str | None = None) -> str:
    """A form token for ``secret``, as ``django.middleware.csrf.get_token`` gives.

    ``mask``: 32 random characters, when the caller has them already.
    """
    if mask is None:
        mask = random_characters(CSRF_SECRET_LENGTH)
    return mask + _added(secret, mask, _TO_POSITION)


def _unmasked(token: str) -> str:
    mask, cipher = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
    return _added(cipher, mask, _TO_NEGATIVE_POSITION)


def _added(text: str, mask: str, mask_positions: bytes) -> str:
    """Each character of ``text`` moved along the alphabet by the position
    ``mask_positions`` gives the character of ``mask`` at the same place."""
    total = int.from_bytes(text.encode().translate(_TO_POSITION)) + int.from_bytes(
        mask.encode().translate(mask_positions)
    )
    return total.to_bytes(len(text)).translate(_TO_ALPHABET).decode()


def secret_from_cookie(value: str | None) -> str | None:
    """The secret in a reader's cookie, or None when it is missing or malformed
    (Django then starts a new one, and so do we)."""
    if not value or not _WELL_FORMED.fullmatch(value):
        return None
    if len(value) == CSRF_SECRET_LENGTH:
        return value
    if len(value) == CSRF_TOKEN_LENGTH:  # a masked cookie from older Django
        return _unmasked(value)
    return None


@lru_cache(maxsize=4)
def _expires(at: int) -> str:
    return http_date(at)


def cookie_header(secret: str) -> str:
    """The ``Set-Cookie`` value Django's CSRF middleware would send."""
    conf = snapshot()
    age = conf.csrf_cookie_age
    expiry = (
        ""
        if age is None
        else f"; expires={_expires(int(time.time()) + int(age))}; Max-Age={age}"
    )
    return f"{conf.csrf_cookie}={secret}{expiry}{conf.csrf_cookie_attributes}"


def token_and_cookie(cookies: Mapping[str, str]) -> tuple[str, str]:
    """(form token, ``Set-Cookie`` value) for a reader with these cookies.

    The reader's secret is kept when the cookie holds a good one; the cookie is
    sent again either way, to renew its age, as Django does.
    """
    secret = secret_from_cookie(cookies.get(snapshot().csrf_cookie))
    if secret is None:  # a new reader: one read of randomness for both
        randomness = random_characters(2 * CSRF_SECRET_LENGTH)
        secret, mask = randomness[:CSRF_SECRET_LENGTH], randomness[CSRF_SECRET_LENGTH:]
        return masked(secret, mask), cookie_header(secret)
    return masked(secret), cookie_header(secret)


def token_for(request: HttpRequest) -> str:
    """A form token for ``request``: ``django.middleware.csrf.get_token`` with
    the randomness above. The reader's secret is kept, or a new one made, and
    Django's CSRF middleware sends it in its cookie with the response."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = random_characters(CSRF_SECRET_LENGTH)
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return masked(secret)
