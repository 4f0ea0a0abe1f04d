"""Telling clients apart without keeping their addresses.

A fingerprint is an HMAC of the client's network under a random key that is
replaced every ``COMMUNIQUE_FINGERPRINT_ROTATION_DAYS``. It lets moderators and
rate limits see that comments came from the same client, for a while, without
the address being stored anywhere.

What one client is (``client_network``): an IPv4 address; for IPv6, the /64
network the address is in. A /64 is the smallest network handed to one
subscriber line, and a host picks any of its 2^64 addresses for itself
(privacy extensions pick a new one every day), so keyed on the full address a
single machine would have unlimited identities and no rate limit would hold.
The price: everyone behind one /64 (a household, an office, a small shop's
network) shares one fingerprint and one set of limits, as everyone behind one
IPv4 address (a carrier's NAT) already does. An IPv4 address written as IPv6
(``::ffff:192.0.2.1``, as dual-stack servers report IPv4 clients) is that IPv4
address.
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


IPV6_CLIENT_PREFIX = 64


def client_network(ip: str) -> str:
    """The client that ``ip`` belongs to: the IPv4 address, or the IPv6 /64
    (``2001:db8:1:2::/64``); "" for "" or anything that is no address."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        prefix = f"{address}/{IPV6_CLIENT_PREFIX}"
        return str(ipaddress.IPv6Network(prefix, strict=False))
    return str(address)


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
    """The keyed hash of the client ``ip`` belongs to (``client_network``),
    for the current period."""
    client = client_network(ip) or ip
    digest = hmac.new(_current_secret().encode(), client.encode(), hashlib.sha256)
    return digest.hexdigest()[:FINGERPRINT_LENGTH]


def request_fingerprint(request: HttpRequest) -> str:
    return fingerprint(client_ip(request))
