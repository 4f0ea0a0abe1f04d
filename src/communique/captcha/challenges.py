"""Challenge ids, and where their codes are kept until they are answered.

A challenge id is issued with every form without touching any storage: it is
a random token signed with the site's key. Its code is made only when the
image or the audio is requested, and kept on the server (the database, or the
shared cache when that is Redis) until the first answer uses it up, right or
wrong. Asking for the image again after that shows a new code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
from typing import Protocol

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from communique import signatures
from communique.captcha import codes
from communique.captcha.models import Challenge

SALT = "communique.captcha"
TOKEN_BYTES = 16  # 128 bits
CACHE_PREFIX = "captcha:"


def new_challenge_id() -> str:
    """A fresh, unguessable, signed challenge id. Stores nothing."""
    return signatures.sign(SALT, signatures.urlsafe(os.urandom(TOKEN_BYTES)))


def is_genuine(challenge_id: str) -> bool:
    """True for ids this site issued (with any of its keys)."""
    if not challenge_id or len(challenge_id) > 100:
        return False
    try:
        signing.Signer(salt=SALT).unsign(challenge_id)
    except signing.BadSignature:
        return False
    return True


def _mask(challenge_id: str, text: str) -> str:
    """XOR ``text`` with a key stream derived from the secret key and the id.

    Applying it twice gives the text back; the stored value reveals nothing
    without the site's secret key.
    """
    stream = hmac.new(
        settings.SECRET_KEY.encode(), f"{SALT}:{challenge_id}".encode(), hashlib.sha256
    ).digest()
    return "".join(chr(ord(c) ^ (stream[i] & 0x1F)) for i, c in enumerate(text))


def _lifetime() -> dt.timedelta:
    return dt.timedelta(minutes=settings.COMMUNIQUE_CAPTCHA_EXPIRY_MINUTES)


class ChallengeStore(Protocol):
    def code_for(self, challenge_id: str) -> str | None: ...
    def take(self, challenge_id: str) -> str | None: ...


class DatabaseStore:
    """Challenges as rows: the default, right for one machine or many."""

    purge_every = dt.timedelta(minutes=1)
    _last_purge: dt.datetime | None = None

    def code_for(self, challenge_id: str) -> str | None:
        now = timezone.now()
        self._purge_expired(now)
        masked = _mask(challenge_id, codes.new_code(settings.COMMUNIQUE_CAPTCHA_LENGTH))
        fresh = {"masked_code": masked, "used": False, "expires": now + _lifetime()}
        # A used or expired code gives way to a new one: a reader whose page is
        # old (from the browser's cache, say) gets a new image, not an error.
        Challenge.objects.filter(pk=challenge_id).filter(
            Q(used=True) | Q(expires__lte=now)
        ).update(**fresh)
        try:
            with transaction.atomic():
                Challenge.objects.create(pk=challenge_id, **fresh)
        except IntegrityError:  # it exists, and is still waiting for its answer
            pass
        row = Challenge.objects.filter(pk=challenge_id).first()
        return _mask(challenge_id, row.masked_code) if row else None

    def take(self, challenge_id: str) -> str | None:
        row = Challenge.objects.filter(pk=challenge_id).first()
        if row is None:
            return None
        claimed = Challenge.objects.filter(
            pk=challenge_id, used=False, expires__gt=timezone.now()
        ).update(used=True)
        return _mask(challenge_id, row.masked_code) if claimed == 1 else None

    def _purge_expired(self, now: dt.datetime) -> None:
        last = DatabaseStore._last_purge
        if last is not None and now - last < self.purge_every:
            return
        DatabaseStore._last_purge = now
        Challenge.objects.filter(expires__lte=now).delete()


class CacheStore:
    """Challenges in the shared cache (Redis): they expire by themselves."""

    def __init__(self) -> None:
        self.cache = caches["default"]

    def code_for(self, challenge_id: str) -> str | None:
        key = CACHE_PREFIX + challenge_id
        code = codes.new_code(settings.COMMUNIQUE_CAPTCHA_LENGTH)
        # add() keeps a code that is still waiting; a used one was deleted.
        self.cache.add(key, _mask(challenge_id, code), int(_lifetime().total_seconds()))
        stored = self.cache.get(key)
        return None if stored is None else _mask(challenge_id, stored)

    def take(self, challenge_id: str) -> str | None:
        key = CACHE_PREFIX + challenge_id
        stored = self.cache.get(key)
        # delete() reports whether the key was still there: of two requests
        # racing on one id, exactly one sees True.
        if stored is None or not self.cache.delete(key):
            return None
        return _mask(challenge_id, stored)


def store() -> ChallengeStore:
    """The cache when it is Redis (shared by every app server), else the database."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend == "django.core.cache.backends.redis.RedisCache":
        return CacheStore()
    return DatabaseStore()


def code_for(challenge_id: str) -> str | None:
    """The code to draw for a genuine id: the one waiting for its answer, or a
    new one when there is none (first request, or the last one was used)."""
    if not is_genuine(challenge_id):
        return None
    return store().code_for(challenge_id)


def verify(challenge_id: str, answer: str) -> bool:
    """Check an answer. The first attempt uses the challenge up, right or wrong."""
    if not is_genuine(challenge_id):
        return False
    code = store().take(challenge_id)
    return code is not None and codes.matches(answer, code)
