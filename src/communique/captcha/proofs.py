"""Proof of work (ALTCHA): what a reader's browser computes instead of reading
the image, when it runs JavaScript.

The lifecycle:

1. **Issued** when the reader starts using the comment form and our script
   asks for ``/captcha/altcha/`` (``new_challenge``): the ``altcha`` library
   draws a counter, at least half of and below the current max number
   (``pressure.max_number``), derives a key from a random nonce, salt and that
   counter with PBKDF2/SHA-256, and hands out the challenge: the first half
   of the key, its nonce and salt, when it expires, and two HMAC signatures
   under keys derived from the secret key, one of the parameters and one of
   the whole key. Nothing is stored: the signatures are the record. The page
   carries none of this, so it stays the same for everyone.
2. **Solved** in the browser: the widget tries counters from zero, deriving
   a key for each, until one starts with the given half. That costs on
   average three quarters of the max number times ``ITERATIONS`` rounds of
   SHA-256 (bench/altcha_bench.py measures it), and the widget puts the
   counter and the key, base64-encoded, into a hidden field of the form.
3. **Redeemed** when the form comes back (``redeem``): the library checks
   the signatures and the expiry and that the key is the signed one (one
   HMAC, no key derivation: checking costs the server next to nothing), and
   we then spend the challenge by recording its signature until it expires
   (``SpentStore``), so that one solution posts one comment. Of two requests
   racing with the same payload exactly one records it: an ``INSERT`` of the
   signature as a primary key on the database (the second waits for the
   first and fails), a ``SET NX`` on Redis. Nothing is read first and written
   later, so nothing can change in between.

Whatever is missing, expired, tampered with or spent, the form falls back to
the image and the clip (``captcha.fields``), which work as without
JavaScript.
"""

from __future__ import annotations

import binascii
import datetime as dt
import enum
import json
import math
import secrets
import time
from typing import Any, Protocol

import altcha
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from communique.captcha import challenges, pressure
from communique.captcha.models import Challenge

ALGORITHM = "PBKDF2/SHA-256"
# Rounds of SHA-256 per counter tried. Many rounds per try make the browser's
# own PBKDF2 (native code, behind one call) as fast as a native attacker's,
# instead of paying JavaScript's overhead on every hash.
ITERATIONS = 10_000
SALT = "communique.captcha.altcha"
SPENT_PREFIX = "altcha:"
MAX_PAYLOAD_LENGTH = 4096  # ours are about 700 characters


class Outcome(enum.Enum):
    SOLVED = "solved"
    ABSENT = "absent"  # no payload: no JavaScript, or not solved yet
    INVALID = "invalid"  # not ours, tampered with, or the wrong key
    EXPIRED = "expired"
    SPENT = "spent"  # used for a comment already
    TOO_FAST = "too_fast"  # issued less than COMMUNIQUE_ANTISPAM_MIN_SECONDS ago


def _secret(purpose: str) -> str:
    """A key for one purpose, derived from the secret key."""
    return salted_hmac(SALT, purpose).hexdigest()


def _lifetime_seconds() -> int:
    return settings.COMMUNIQUE_CAPTCHA_EXPIRY_MINUTES * 60


def new_challenge(*, now: float | None = None) -> dict[str, Any]:
    """A signed challenge at the current difficulty, as the widget reads it."""
    now = time.time() if now is None else now
    top = pressure.max_number(now=now)
    counter = top // 2 + secrets.randbelow(top - top // 2)
    challenge = altcha.create_challenge(
        ALGORITHM,
        ITERATIONS,
        counter=counter,
        expires_at=int(now) + _lifetime_seconds(),
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    )
    return challenge.to_dict()


class SpentStore(Protocol):
    def spend(self, signature: str, until: float) -> bool:
        """Record ``signature`` as used until ``until``: True the first time,
        False if it was recorded already."""
        ...


class DatabaseSpent:
    """Spent challenges as used rows of the challenge table, whose expired
    rows ``challenges.DatabaseStore`` already deletes."""

    def spend(self, signature: str, until: float) -> bool:
        moment = dt.datetime.fromtimestamp(until, tz=dt.UTC)
        try:
            with transaction.atomic():  # a savepoint inside the request's
                Challenge.objects.create(
                    pk=SPENT_PREFIX + signature,
                    masked_code="",
                    issued_at=moment,
                    expires=moment,
                    used=True,
                )
        except IntegrityError:  # recorded already, or by a request racing us
            return False
        return True


class RedisSpent:
    """Spent challenges as Redis keys that expire with the challenge."""

    def __init__(self, url: str) -> None:
        self.client = challenges._redis_client(url)

    def spend(self, signature: str, until: float) -> bool:
        seconds = max(1, math.ceil(until - time.time()))
        key = challenges.REDIS_PREFIX + SPENT_PREFIX + signature
        return bool(self.client.set(key, b"1", nx=True, ex=seconds))


def spent_store() -> SpentStore:
    """Where challenges are: Redis when the cache is Redis, else the database."""
    store = challenges.store()
    if isinstance(store, challenges.RedisStore):
        location = settings.CACHES["default"]["LOCATION"]
        return RedisSpent(location if isinstance(location, str) else location[0])
    return DatabaseSpent()


def _parameters(payload: str) -> tuple[str, float] | None:
    """The signature and the expiry of the payload's challenge, if readable."""
    try:
        challenge = altcha.Payload.from_base64(payload).challenge
    except (ValueError, KeyError, TypeError, binascii.Error, json.JSONDecodeError):
        return None
    expires_at = challenge.parameters.expires_at
    if not isinstance(challenge.signature, str) or not isinstance(
        expires_at, int | float
    ):
        return None
    return challenge.signature, float(expires_at)


def redeem(payload: str, *, now: float | None = None) -> Outcome:
    """Check a solved challenge from the form and spend it."""
    if not payload:
        return Outcome.ABSENT
    if len(payload) > MAX_PAYLOAD_LENGTH or not payload.isascii():
        return Outcome.INVALID
    now = time.time() if now is None else now
    result = altcha.verify_solution(
        payload, _secret("challenge"), hmac_key_secret=_secret("key")
    )
    if result.expired:
        return Outcome.EXPIRED
    parameters = _parameters(payload)
    if not result.verified or parameters is None:
        return Outcome.INVALID
    signature, expires_at = parameters
    if expires_at < now:  # by our clock, which tests may set
        return Outcome.EXPIRED
    issued_at = expires_at - _lifetime_seconds()
    if issued_at > now - settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS:
        # Not spent: the same payload passes when sent again a little later.
        return Outcome.TOO_FAST
    if not spent_store().spend(signature, expires_at):
        return Outcome.SPENT
    return Outcome.SOLVED
