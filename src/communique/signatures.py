"""Signing small values on every response, cheaply.

``sign(salt, value)`` returns exactly what ``django.core.signing.Signer(salt=salt)
.sign(value)`` returns, so Django's ``Signer.unsign`` checks it (with the key
fallbacks too). Django derives its HMAC key from the salt and the secret key on
every call, and an HMAC starts by hashing that key twice; here both are done
once per salt and key and kept, which matters on the page cache's hit path,
where a CAPTCHA id and a form time are signed for every reader.
"""

from __future__ import annotations

import binascii
import hashlib
from functools import lru_cache

from django.conf import settings

_BLOCK = hashlib.sha256().block_size
# What base64.urlsafe_b64encode does after encoding, without its call layers.
_URLSAFE = bytes.maketrans(b"+/", b"-_")


@lru_cache(maxsize=16)
def _hmac_start(salt: str, secret: str) -> tuple:
    """The HMAC-SHA256 inner and outer hashes after their key blocks."""
    # What django.utils.crypto.salted_hmac does before each HMAC.
    key = hashlib.sha256(f"{salt}signer{secret}".encode()).digest().ljust(_BLOCK, b"\0")
    inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key))
    outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key))
    return inner, outer


def urlsafe(data: bytes) -> str:
    """``data`` in URL-safe base64 without padding, as ``secrets.token_urlsafe``
    and Django's signatures write it."""
    encoded = binascii.b2a_base64(data, newline=False)
    return encoded.rstrip(b"=").translate(_URLSAFE).decode()


def sign(salt: str, value: str) -> str:
    """``value`` with its signature, as ``Signer(salt=salt).sign(value)``."""
    started_inner, started_outer = _hmac_start(salt, settings.SECRET_KEY)
    inner = started_inner.copy()
    inner.update(value.encode())
    outer = started_outer.copy()
    outer.update(inner.digest())
    return f"{value}:{urlsafe(outer.digest())}"
