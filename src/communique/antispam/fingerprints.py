"""Telling clients apart without keeping their addresses.

A fingerprint is an HMAC of the client's IP address under a random key that is
replaced every ``COMMUNIQUE_FINGERPRINT_ROTATION_DAYS``. It lets moderators and
rate limits see that comments came from the same client, for a while, without
the address being stored anywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from communique.antispam.models import FingerprintKey

CACHE_KEY = "antispam:fingerprint-key"
CACHE_SECONDS = 300
FINGERPRINT_LENGTH = 32


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the one our proxies saw.

    With ``COMMUNIQUE_PROXY_COUNT`` = N trusted proxies in front, the address is
    the Nth entry from the right of X-Forwarded-For, which the client cannot
    forge. Unparseable values fall back to REMOTE_ADDR.
    """
    remote = _parsed(request.META.get("REMOTE_ADDR", ""))
    hops = settings.COMMUNIQUE_PROXY_COUNT
    if hops:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return _parsed(forwarded[-hops]) or remote
    return remote


def _parsed(value: str) -> str:
    """The address in its normal form, or "" when ``value`` is not one."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def _current_secret() -> str:
    secret = cache.get(CACHE_KEY)
    if secret:
        return secret
    rotation = dt.timedelta(days=settings.COMMUNIQUE_FINGERPRINT_ROTATION_DAYS)
    with transaction.atomic():
        key = FingerprintKey.objects.select_for_update().first()
        if key is None or timezone.now() - key.created >= rotation:
            FingerprintKey.objects.all().delete()
            key = FingerprintKey.objects.create(secret=secrets.token_hex(32))
    cache.set(CACHE_KEY, key.secret, CACHE_SECONDS)
    return key.secret


def fingerprint(ip: str) -> str:
    """The keyed hash of ``ip`` for the current period."""
    digest = hmac.new(_current_secret().encode(), ip.encode(), hashlib.sha256)
    return digest.hexdigest()[:FINGERPRINT_LENGTH]


def request_fingerprint(request: HttpRequest) -> str:
    return fingerprint(client_ip(request))
