import datetime as dt
import multiprocessing

import pytest
from django.core.cache import caches
from django.utils import timezone

from communique.captcha import challenges, codes
from communique.captcha.models import Challenge
from tests.captcha import racers

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_store(settings):
    """Keep challenges in the database even when the suite runs on Redis."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("ac e 4", "ACE4"),
        ("  k7m3x ", "K7M3X"),
        ("۳۴۷۹", "3479"),  # Persian digits
        ("٣٤٧٩", "3479"),  # Arabic-Indic digits
        ("A\tC\nE", "ACE"),
    ],
)
def test_answers_are_normalized(typed, normalized):
    assert codes.normalize(typed) == normalized


def test_codes_use_the_alphabet_and_the_length():
    for length in range(codes.MIN_LENGTH, codes.MAX_LENGTH + 1):
        code = codes.new_code(length)
        assert len(code) == length
        assert set(code) <= set(codes.ALPHABET)
    with pytest.raises(ValueError):
        codes.new_code(3)


def test_alphabet_has_no_look_alikes():
    for pair in ("0O", "1I", "1L", "2Z", "5S", "8B", "6G", "UV"):
        assert not set(pair) <= set(codes.ALPHABET), pair


def test_ids_are_unguessable_and_signed():
    ids = {challenges.new_challenge_id() for _ in range(200)}
    assert len(ids) == 200
    token = next(iter(ids)).rsplit(":", 1)[0]
    assert len(token) >= 22  # 16 random bytes, base64
    assert all(challenges.is_genuine(challenge_id) for challenge_id in ids)


@pytest.mark.parametrize(
    "forged",
    ["", "abc", "abc:def", "x" * 500, "../../etc/passwd", None],
)
def test_forged_ids_are_refused(forged):
    assert not challenges.is_genuine(forged or "")
    assert challenges.code_for(forged or "") is None
    assert challenges.verify(forged or "", "ACE47") is False


def test_tampered_id_is_refused():
    genuine = challenges.new_challenge_id()
    token, signature = genuine.rsplit(":", 1)
    assert not challenges.is_genuine(f"{token}x:{signature}")


@pytest.mark.usefixtures("database_store")
def test_code_is_made_on_first_request_and_kept():
    challenge_id = challenges.new_challenge_id()
    assert not Challenge.objects.exists()
    code = challenges.code_for(challenge_id)
    assert code == challenges.code_for(challenge_id)
    row = Challenge.objects.get()
    assert code not in row.masked_code


def test_right_answer_passes_once():
    challenge_id = challenges.new_challenge_id()
    code = challenges.code_for(challenge_id)
    assert challenges.verify(challenge_id, code.lower())
    assert not challenges.verify(challenge_id, code)


def test_a_used_id_shows_a_new_code_which_the_old_answer_does_not_pass():
    challenge_id = challenges.new_challenge_id()
    old = challenges.code_for(challenge_id)
    assert challenges.verify(challenge_id, old)
    new = {challenges.code_for(challenge_id) for _ in range(3)}
    assert len(new) == 1
    assert new != {old}
    assert not challenges.verify(challenge_id, old)


def test_wrong_answer_uses_the_challenge_up():
    challenge_id = challenges.new_challenge_id()
    code = challenges.code_for(challenge_id)
    assert not challenges.verify(challenge_id, "WRONG")
    assert not challenges.verify(challenge_id, code)


def test_id_never_drawn_cannot_be_answered():
    assert not challenges.verify(challenges.new_challenge_id(), "ACE47")


@pytest.mark.usefixtures("database_store")
def test_expired_challenge_fails_and_is_purged(settings):
    challenge_id = challenges.new_challenge_id()
    code = challenges.code_for(challenge_id)
    Challenge.objects.update(expires=timezone.now() - dt.timedelta(seconds=1))
    assert not challenges.verify(challenge_id, code)
    challenges.DatabaseStore._last_purge = None
    challenges.code_for(challenges.new_challenge_id())
    assert not Challenge.objects.filter(pk=challenge_id).exists()
    assert challenges.code_for(challenge_id) != code


@pytest.mark.usefixtures("database_store")
def test_challenges_expire_after_the_setting(settings):
    settings.COMMUNIQUE_CAPTCHA_EXPIRY_MINUTES = 30
    challenges.code_for(challenges.new_challenge_id())
    lifetime = Challenge.objects.get().expires - timezone.now()
    assert dt.timedelta(minutes=29) < lifetime <= dt.timedelta(minutes=30)


def test_cache_store_is_single_use_too():
    store = challenges.CacheStore()
    challenge_id = challenges.new_challenge_id()
    code = store.code_for(challenge_id)
    assert code == store.code_for(challenge_id)
    stored = caches["default"].get(challenges.CACHE_PREFIX + challenge_id)
    assert stored != code
    assert store.take(challenge_id) == code
    assert store.take(challenge_id) is None
    assert store.code_for(challenge_id) not in (None, code)
    assert not Challenge.objects.exists()


def test_redis_cache_url_selects_the_cache_store(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    assert isinstance(challenges.store(), challenges.CacheStore)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    assert isinstance(challenges.store(), challenges.DatabaseStore)


@pytest.mark.server
def test_two_processes_racing_on_one_id_succeed_once(tmp_path, monkeypatch):
    """Two worker processes answer every challenge right at the same moment."""
    monkeypatch.setenv("COMMUNIQUE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "communique.settings")
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    preparer = context.Process(target=racers.prepare, args=(queue, 20))
    preparer.start()
    issued = queue.get(timeout=120)
    preparer.join(timeout=60)
    barrier = context.Barrier(2)
    processes = [
        context.Process(target=racers.race, args=(issued, barrier, queue))
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    outcomes = [queue.get(timeout=120) for _ in range(2 * len(issued))]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    wins = {challenge_id: 0 for challenge_id, _ in issued}
    for challenge_id, passed in outcomes:
        wins[challenge_id] += passed
    assert set(wins.values()) == {1}
