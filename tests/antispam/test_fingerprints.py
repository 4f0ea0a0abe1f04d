import datetime as dt
import hashlib
import re
import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from communique.antispam import ratelimits
from communique.antispam.fingerprints import (
    client_ip,
    client_network,
    fingerprint,
    request_fingerprint,
)
from communique.antispam.models import FingerprintKey

ADDRESSES = ["203.0.113.9", "198.51.100.200", "2001:db8::1", "127.0.0.1"]


def request_from(remote="203.0.113.9", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def age_key(days):
    FingerprintKey.objects.update(created=timezone.now() - dt.timedelta(days=days))
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("ip", ADDRESSES)
def test_fingervalueis_short_hex_and_hides_the_address(ip):
    value = fingerprint(ip)
    assert re.fullmatch("[0-9a-f]{32}", value)
    assert ip not in value
    assert ip.replace(".", "").replace(":", "") not in value


@pytest.mark.django_db
def test_fingervalueis_stable_within_a_period():
    first = fingerprint("203.0.113.9")
    assert fingerprint("203.0.113.9") == first
    cache.clear()
    assert fingerprint("203.0.113.9") == first
    age_key(days=29)
    assert fingerprint("203.0.113.9") == first
    assert FingerprintKey.objects.count() == 1


@pytest.mark.django_db
def test_fingerprints_differ_between_clients():
    others = ["203.0.113.10", "2001:db8:0:1::1", "2001:db9::1"]
    prints = {fingerprint(ip) for ip in [*ADDRESSES, *others]}
    assert len(prints) == len(ADDRESSES) + len(others)


@pytest.mark.django_db
def test_fingervalueis_keyed_not_a_plain_hash():
    ip = "203.0.113.9"
    for algorithm in ("md5", "sha1", "sha256"):
        digest = hashlib.new(algorithm, ip.encode()).hexdigest()
        assert fingerprint(ip) != digest[:32]


@pytest.mark.django_db
@pytest.mark.parametrize(("rotation", "days"), [(30, 31), (30, 30), (7, 8), (1, 2)])
def test_key_is_replaced_after_the_rotation_period(settings, rotation, days):
    settings.COMMUNIQUE_FINGERPRINT_ROTATION_DAYS = rotation
    before = fingerprint("203.0.113.9")
    old_secret = FingerprintKey.objects.get().secret
    age_key(days=days)
    after = fingerprint("203.0.113.9")
    assert after != before
    key = FingerprintKey.objects.get()
    assert key.secret != old_secret
    assert timezone.now() - key.created < dt.timedelta(minutes=1)
    assert fingerprint("203.0.113.9") == after


@pytest.mark.django_db
def test_rotation_keeps_only_the_new_key():
    fingerprint("203.0.113.9")
    FingerprintKey.objects.create(secret="stray")
    age_key(days=400)
    fingerprint("203.0.113.9")
    assert FingerprintKey.objects.count() == 1
    assert FingerprintKey.objects.get().secret != "stray"


@pytest.mark.django_db
def test_key_is_read_from_the_cache_within_its_time(django_assert_num_queries):
    fingerprint("203.0.113.9")
    with django_assert_num_queries(0):
        fingerprint("198.51.100.1")


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # No proxy: the address that connected, whatever the client claims.
        (0, "203.0.113.9", None, "203.0.113.9"),
        (0, "203.0.113.9", "198.51.100.1", "203.0.113.9"),
        (0, "203.0.113.9", "198.51.100.1, 10.0.0.1", "203.0.113.9"),
        # One proxy: the entry it appended, the rightmost.
        (1, "10.0.0.1", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.1", "6.6.6.6,198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.1", " 198.51.100.1 ", "198.51.100.1"),
        # Two proxies: the second entry from the right.
        (2, "10.0.0.2", "198.51.100.1, 10.0.0.1", "198.51.100.1"),
        (2, "10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        # Fewer entries than proxies, or none: the address that connected.
        (1, "10.0.0.1", None, "10.0.0.1"),
        (1, "10.0.0.1", "", "10.0.0.1"),
        (1, "10.0.0.1", " , ,", "10.0.0.1"),
        (2, "10.0.0.2", "198.51.100.1", "10.0.0.2"),
        # IPv6 in its one canonical spelling.
        (0, "2001:DB8::1", None, "2001:db8::1"),
        (0, "2001:0db8:0000:0000:0000:0000:0000:0001", None, "2001:db8::1"),
        (1, "10.0.0.1", "2001:DB8:0::1", "2001:db8::1"),
        # Garbage where an address should be: the address that connected.
        (1, "10.0.0.1", "not-an-address", "10.0.0.1"),
        (1, "10.0.0.1", "6.6.6.6, <script>", "10.0.0.1"),
        (1, "10.0.0.1", "999.1.1.1", "10.0.0.1"),
        (2, "10.0.0.2", "unknown, 10.0.0.1", "10.0.0.2"),
    ],
)
def test_client_ip(settings, proxies, remote, forwarded, expected):
    settings.COMMUNIQUE_PROXY_COUNT = proxies
    assert client_ip(request_from(remote, forwarded)) == expected


def test_client_ip_without_a_remote_address(settings):
    """A server on a Unix socket may give no address at all."""
    settings.COMMUNIQUE_PROXY_COUNT = 0
    assert client_ip(request_from("")) == ""


@pytest.mark.django_db
def test_forged_header_does_not_change_the_fingerprint(settings):
    settings.COMMUNIQUE_PROXY_COUNT = 0
    honest = request_fingerprint(request_from("203.0.113.9"))
    forged = request_fingerprint(request_from("203.0.113.9", "198.51.100.1"))
    assert forged == honest
    assert honest == fingerprint("203.0.113.9")


@pytest.mark.django_db
def test_spellings_of_one_address_share_a_fingerprint():
    assert request_fingerprint(request_from("2001:DB8::1")) == request_fingerprint(
        request_from("2001:db8:0:0::1")
    )


@pytest.mark.parametrize(
    ("ip", "client"),
    [
        # IPv4: the address.
        ("203.0.113.9", "203.0.113.9"),
        ("127.0.0.1", "127.0.0.1"),
        # IPv6: the /64 it is in.
        ("2001:db8::1", "2001:db8::/64"),
        ("2001:db8::ffff:ffff:ffff:ffff", "2001:db8::/64"),
        ("2001:DB8:0:0:1234:5678:9abc:def0", "2001:db8::/64"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::1", "::/64"),
        ("fe80::1", "fe80::/64"),
        # IPv4 written as IPv6 (dual-stack sockets): the IPv4 address.
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("::FFFF:cb00:7109", "203.0.113.9"),
        # Nothing to go by.
        ("", ""),
        ("not-an-address", ""),
    ],
)
def test_client_network(ip, client):
    assert client_network(ip) == client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("2001:db8::1", "2001:db8::2"),
        ("2001:db8::1", "2001:db8::ffff:ffff:ffff:ffff"),
        ("2001:db8:aa:bb:1111::1", "2001:db8:aa:bb:2222::2"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
    ],
)
def test_addresses_of_one_client_share_a_fingerprint(one, other):
    assert fingerprint(one) == fingerprint(other)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("2001:db8:0:0::1", "2001:db8:0:1::1"),  # neighbouring /64s
        ("203.0.113.9", "203.0.113.10"),  # IPv4 stays per address
        ("::ffff:203.0.113.9", "::ffff:203.0.113.10"),
        ("203.0.113.9", "2001:db8::1"),
    ],
)
def test_different_clients_have_different_fingerprints(one, other):
    assert fingerprint(one) != fingerprint(other)


@pytest.mark.django_db
def test_a_client_hopping_within_its_64_meets_one_rate_limit(settings, monkeypatch):
    """A client cannot rotate through its /64 to reset the per-client limits."""
    now = time.time()  # a clock that stands still keeps the test in one window
    monkeypatch.setattr(ratelimits, "time", SimpleNamespace(time=lambda: now))
    settings.COMMUNIQUE_ANTISPAM_RATE_LIMITS = True
    settings.COMMUNIQUE_PROXY_COUNT = 0
    cache.clear()
    keys = {
        ratelimits.client_key(request_from(f"2001:db8:5:6::{n:x}")) for n in range(1, 6)
    }
    assert len(keys) == 1
    (key,) = keys
    counted = [
        ratelimits.over_limit("test", key, limit=3, seconds=3600) for _ in range(5)
    ]
    assert counted == [False, False, False, True, True]
    other = ratelimits.client_key(request_from("2001:db8:5:7::1"))
    assert not ratelimits.over_limit("test", other, limit=3, seconds=3600)
