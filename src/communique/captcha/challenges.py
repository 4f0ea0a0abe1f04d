"""CAPTCHA challenges: made when their image is asked for, answered once.

The lifecycle:

1. **Issued** when a reader's browser asks for the image (or for the audio
   clip when it has no challenge yet): a random id (128 bits), a random code,
   the time, and the language of the interface the reader is in (the active
   language of that request: ``/fa/captcha/…`` is Persian). The language
   chooses the alphabet (``codes.alphabet_for``) and stays with the challenge,
   so that its image and its clip show and speak the code in that language
   even if the reader changes language in between. The code is stored
   masked with a key derived from the site's secret, in the database or, when
   the cache is Redis, in Redis, until it expires. The id travels only in
   the reader's challenge cookie (``captcha.cookie``), never in a page, so
   pages stay the same for everyone.
2. **Drawn and heard**: the image is drawn and the clip spoken with
   randomness seeded from the challenge (``seed_of``), never from the
   request, so that asking again for a challenge's image or clip gives the
   same bytes: adding up several drawings of one code would read it better
   than one. The clip reads the code and language of a challenge already
   issued again (``challenge_of``), so that it says what the image shows.
3. **Claimed** when the form comes back (``claim``): for each id the reader's
   cookie names, one atomic compare-and-claim marks it used if, and only if,
   it is unused, unexpired, old enough and its code is the answer. Of two
   requests racing on one id exactly one wins; nothing is read first and
   claimed later, so nothing can change in between. A wrong answer then uses
   up every challenge the cookie names that is old enough to be answered, so
   each image gives one guess. Challenges issued less than
   ``COMMUNIQUE_ANTISPAM_MIN_SECONDS`` ago are kept, and the reader is told
   to wait: that was quicker than a person writes.

A cookie names several challenges so that two tabs of the same statement, or
the image and a clip fetched later, each keep their own.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import redis
from django.conf import settings
from django.utils import timezone, translation

from communique.captcha import codes
from communique.captcha.models import Challenge

SALT = "communique.captcha"
TOKEN_BYTES = 16  # 128 bits
MAX_ID_LENGTH = 40
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
REDIS_PREFIX = "communique:captcha:"


class Outcome(enum.Enum):
    SOLVED = "solved"
    WRONG = "wrong"
    TOO_FAST = "too_fast"
    NONE_ISSUED = "none_issued"  # the reader's browser holds no challenge
    STALE = "stale"  # it holds some, but each was used or has expired


@dataclass(frozen=True)
class Issued:
    id: str
    code: str  # Latin characters, as answers are compared
    language: str = codes.ENGLISH.language  # the key of its codes.ALPHABETS

    @property
    def alphabet(self) -> codes.Alphabet:
        return codes.alphabet_for(self.language)


@dataclass(frozen=True)
class Claim:
    outcome: Outcome
    challenge_id: str | None = None  # the one solved


def _mask(challenge_id: str, text: str) -> str:
    """XOR ``text`` with a key stream derived from the secret key and the id.

    Applying it twice gives the text back; the stored value reveals nothing
    without the site's secret key.
    """
    stream = hmac.new(
        settings.SECRET_KEY.encode(), f"{SALT}:{challenge_id}".encode(), hashlib.sha256
    ).digest()
    return "".join(chr(ord(c) ^ (stream[i] & 0x1F)) for i, c in enumerate(text))


def seed_of(challenge_id: str) -> int:
    """The seed of a challenge's drawing and clip: an HMAC of its id under a
    key derived from the secret key, so the same for every request and not
    guessable from the id."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"{SALT}.drawing:{challenge_id}".encode(),
        hashlib.sha256,
    ).digest()
    return int.from_bytes(digest[:16], "big")


def _lifetime_seconds() -> int:
    return settings.COMMUNIQUE_CAPTCHA_EXPIRY_MINUTES * 60


class ChallengeStore(Protocol):
    def add(
        self, challenge_id: str, masked_code: str, issued_at: float, language: str
    ) -> None: ...
    def masked_code(self, challenge_id: str) -> str | None: ...
    def waiting(self, challenge_id: str) -> tuple[str, str] | None:
        """The masked code and the language of a challenge still waiting."""
        ...

    def claim_if(
        self, challenge_id: str, masked_answer: str, issued_before: float
    ) -> bool: ...
    def issued_after(self, challenge_ids: Sequence[str], moment: float) -> set[str]: ...
    def use_up(self, challenge_ids: Sequence[str]) -> None: ...


def _moment(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


class DatabaseStore:
    """Challenges as rows: the default, right for one machine or many."""

    purge_every = dt.timedelta(minutes=1)
    _last_purge: dt.datetime | None = None

    def add(
        self, challenge_id: str, masked_code: str, issued_at: float, language: str
    ) -> None:
        now = timezone.now()
        self._purge_expired(now)
        Challenge.objects.create(
            pk=challenge_id,
            masked_code=masked_code,
            language=language,
            issued_at=_moment(issued_at),
            expires=now + dt.timedelta(seconds=_lifetime_seconds()),
        )

    def _waiting(self):
        return Challenge.objects.filter(used=False, expires__gt=timezone.now())

    def masked_code(self, challenge_id: str) -> str | None:
        row = self._waiting().filter(pk=challenge_id).first()
        return row.masked_code if row else None

    def waiting(self, challenge_id: str) -> tuple[str, str] | None:
        return (
            self._waiting()
            .filter(pk=challenge_id)
            .values_list("masked_code", "language")
            .first()
        )

    def claim_if(
        self, challenge_id: str, masked_answer: str, issued_before: float
    ) -> bool:
        # One UPDATE compares and claims: the database decides who wins.
        return bool(
            self._waiting()
            .filter(
                pk=challenge_id,
                masked_code=masked_answer,
                issued_at__lte=_moment(issued_before),
            )
            .update(used=True)
        )

    def issued_after(self, challenge_ids: Sequence[str], moment: float) -> set[str]:
        return set(
            self._waiting()
            .filter(pk__in=challenge_ids, issued_at__gt=_moment(moment))
            .values_list("pk", flat=True)
        )

    def use_up(self, challenge_ids: Sequence[str]) -> None:
        Challenge.objects.filter(pk__in=challenge_ids).update(used=True)

    def _purge_expired(self, now: dt.datetime) -> None:
        last = DatabaseStore._last_purge
        if last is not None and now - last < self.purge_every:
            return
        DatabaseStore._last_purge = now
        Challenge.objects.filter(expires__lte=now).delete()


# Redis compares and deletes in one script: no other command runs in between.
_CLAIM_SCRIPT = """
local stored = redis.call('HMGET', KEYS[1], 'code', 'issued')
if not stored[1] then return 0 end
if stored[1] ~= ARGV[1] then return 0 end
if tonumber(stored[2]) > tonumber(ARGV[2]) then return 0 end
return redis.call('DEL', KEYS[1])
"""

_clients: dict[str, redis.Redis] = {}
_clients_lock = threading.Lock()


def _redis_client(url: str) -> redis.Redis:
    """One client (and connection pool) per Redis address, per process."""
    with _clients_lock:
        if url not in _clients:
            _clients[url] = redis.Redis.from_url(
                url, socket_timeout=2, socket_connect_timeout=2
            )
        return _clients[url]


class RedisStore:
    """Challenges in Redis, shared by every app server; they expire by themselves."""

    def __init__(self, url: str) -> None:
        self.client = _redis_client(url)
        self.claim_script = self.client.register_script(_CLAIM_SCRIPT)

    def add(
        self, challenge_id: str, masked_code: str, issued_at: float, language: str
    ) -> None:
        key = REDIS_PREFIX + challenge_id
        fields = {"code": masked_code, "issued": repr(issued_at), "language": language}
        with self.client.pipeline() as pipe:
            pipe.hset(key, mapping=fields)
            pipe.expire(key, _lifetime_seconds())
            pipe.execute()

    def masked_code(self, challenge_id: str) -> str | None:
        value = self.client.hget(REDIS_PREFIX + challenge_id, "code")
        return value.decode() if value is not None else None

    def waiting(self, challenge_id: str) -> tuple[str, str] | None:
        code, language = self.client.hmget(
            REDIS_PREFIX + challenge_id, ["code", "language"]
        )
        if code is None:
            return None
        # Challenges issued before languages were stored were all English.
        return code.decode(), language.decode() if language else codes.ENGLISH.language

    def claim_if(
        self, challenge_id: str, masked_answer: str, issued_before: float
    ) -> bool:
        keys = [REDIS_PREFIX + challenge_id]
        return bool(self.claim_script(keys=keys, args=[masked_answer, issued_before]))

    def issued_after(self, challenge_ids: Sequence[str], moment: float) -> set[str]:
        with self.client.pipeline(transaction=False) as pipe:
            for challenge_id in challenge_ids:
                pipe.hget(REDIS_PREFIX + challenge_id, "issued")
            issued = pipe.execute()
        return {
            challenge_id
            for challenge_id, value in zip(challenge_ids, issued, strict=True)
            if value is not None and float(value) > moment
        }

    def use_up(self, challenge_ids: Sequence[str]) -> None:
        if challenge_ids:
            self.client.delete(*(REDIS_PREFIX + id_ for id_ in challenge_ids))


def store() -> ChallengeStore:
    """Redis when the cache is Redis (shared by every app server), else the database."""
    cache = settings.CACHES["default"]
    if cache["BACKEND"] == REDIS_BACKEND:
        location = cache["LOCATION"]
        return RedisStore(location if isinstance(location, str) else location[0])
    return DatabaseStore()


def is_well_formed(challenge_id: str) -> bool:
    """Ids are URL-safe base64; anything else was never issued here."""
    return (
        0 < len(challenge_id) <= MAX_ID_LENGTH
        and challenge_id.replace("-", "").replace("_", "").isalnum()
        and challenge_id.isascii()
    )


def issue(language: str | None = None) -> Issued:
    """A new challenge, stored until it is answered or expires.

    Its code is in the alphabet of ``language``, by default the active
    language: the interface the reader asked for the image in.
    """
    alphabet = codes.alphabet_for(
        translation.get_language() if language is None else language
    )
    challenge_id = secrets.token_urlsafe(TOKEN_BYTES)
    code = codes.new_code(settings.COMMUNIQUE_CAPTCHA_LENGTH, alphabet)
    masked = _mask(challenge_id, code)
    store().add(challenge_id, masked, time.time(), alphabet.language)
    return Issued(challenge_id, code, alphabet.language)


def challenge_of(challenge_id: str) -> Issued | None:
    """A challenge still waiting for its answer, with its code and language;
    else None."""
    if not is_well_formed(challenge_id):
        return None
    found = store().waiting(challenge_id)
    if found is None:
        return None
    masked, language = found
    return Issued(challenge_id, _mask(challenge_id, masked), language)


def code_of(challenge_id: str) -> str | None:
    """The code of a challenge still waiting for its answer, else None."""
    issued = challenge_of(challenge_id)
    return None if issued is None else issued.code


def claim(challenge_ids: Sequence[str], answer: str) -> Claim:
    """Check ``answer`` against the challenges a reader holds, newest first."""
    ids = [id_ for id_ in challenge_ids if is_well_formed(id_)]
    if not ids:
        return Claim(Outcome.NONE_ISSUED)
    typed = codes.normalize(answer)
    chosen = store()
    now = time.time()
    issued_before = now - settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS
    if codes.could_be_a_code(typed):
        for challenge_id in reversed(ids):
            if chosen.claim_if(challenge_id, _mask(challenge_id, typed), issued_before):
                return Claim(Outcome.SOLVED, challenge_id)
    if not any(chosen.masked_code(id_) for id_ in ids):
        # A page left open too long, or sent twice: said as it is.
        return Claim(Outcome.STALE)
    # A guess uses up every challenge old enough to be answered, so that
    # fetching a new image before each guess cannot keep an old one alive.
    young = chosen.issued_after(ids, issued_before)
    chosen.use_up([id_ for id_ in ids if id_ not in young])
    return Claim(Outcome.TOO_FAST if young else Outcome.WRONG)
