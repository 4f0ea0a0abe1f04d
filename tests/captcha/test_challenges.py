import datetime as dt
import multiprocessing
from types import SimpleNamespace

import pytest
from django.utils import timezone

from communique.captcha import challenges, codes
from communique.captcha.challenges import Outcome
from communique.captcha.models import Challenge
from tests.captcha import racers

pytestmark = pytest.mark.django_db


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


def test_ids_are_unguessable_and_well_formed(each_store):
    ids = {challenges.issue().id for _ in range(200)}
    assert len(ids) == 200
    assert all(len(challenge_id) >= 22 for challenge_id in ids)  # 16 bytes
    assert all(challenges.is_well_formed(challenge_id) for challenge_id in ids)


@pytest.mark.parametrize(
    "forged", ["", "abc:def", "x" * 500, "../../etc/passwd", "ÄÖÜ", "a\x00b"]
)
def test_forged_ids_are_refused(each_store, forged):
    assert challenges.code_of(forged) is None
    assert challenges.claim([forged], "ACE47").outcome is Outcome.NONE_ISSUED


def test_a_stored_code_is_masked(database_store):
    issued = challenges.issue()
    row = Challenge.objects.get()
    assert issued.code not in row.masked_code
    assert challenges.code_of(issued.id) == issued.code


def test_right_answer_passes_once(each_store):
    issued = challenges.issue()
    first = challenges.claim([issued.id], f" {issued.code.lower()} ")
    assert first == challenges.Claim(Outcome.SOLVED, issued.id)
    assert challenges.claim([issued.id], issued.code).outcome is Outcome.STALE
    assert challenges.code_of(issued.id) is None


def test_wrong_answer_uses_up_every_challenge_named(each_store):
    first, second = challenges.issue(), challenges.issue()
    ids = [first.id, second.id]
    assert challenges.claim(ids, "WRONG").outcome is Outcome.WRONG
    assert challenges.claim(ids, first.code).outcome is Outcome.STALE
    assert challenges.claim(ids, second.code).outcome is Outcome.STALE


def test_the_right_one_of_several_is_found_and_the_others_kept(each_store):
    first, second = challenges.issue(), challenges.issue()
    ids = [first.id, second.id]
    assert challenges.claim(ids, first.code).challenge_id == first.id
    assert challenges.claim(ids, second.code).challenge_id == second.id


def test_an_answer_too_soon_spends_nothing_young_but_old_ones(each_store, settings):
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 60
    young = challenges.issue()
    assert challenges.claim([young.id], young.code).outcome is Outcome.TOO_FAST
    assert challenges.code_of(young.id) == young.code
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 0
    assert challenges.claim([young.id], young.code).outcome is Outcome.SOLVED


def test_a_new_image_before_each_guess_does_not_keep_an_old_one_alive(
    each_store, settings, monkeypatch
):
    clock = [1_700_000_000.0]
    monkeypatch.setattr(challenges, "time", SimpleNamespace(time=lambda: clock[0]))
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 60
    old = challenges.issue()
    clock[0] += 120
    new = challenges.issue()  # fetched just before guessing at ``old``
    assert challenges.claim([old.id, new.id], "WRONG").outcome is Outcome.TOO_FAST
    assert challenges.code_of(old.id) is None  # the guess used it up
    assert challenges.code_of(new.id) == new.code  # too young to be guessed at


def test_answers_that_cannot_be_codes_never_reach_the_store(each_store):
    issued = challenges.issue()
    for answer in ("", "A\x00C", "Ä" * 5, "X" * 40):
        assert challenges.claim([issued.id], answer).outcome is Outcome.WRONG
        issued = challenges.issue()


def test_expired_challenge_fails_and_is_purged(database_store):
    issued = challenges.issue()
    Challenge.objects.update(expires=timezone.now() - dt.timedelta(seconds=1))
    assert challenges.code_of(issued.id) is None
    assert challenges.claim([issued.id], issued.code).outcome is Outcome.STALE
    challenges.DatabaseStore._last_purge = None
    challenges.issue()
    assert not Challenge.objects.filter(pk=issued.id).exists()


def test_challenges_expire_after_the_setting(database_store, settings):
    settings.COMMUNIQUE_CAPTCHA_EXPIRY_MINUTES = 30
    challenges.issue()
    lifetime = Challenge.objects.get().expires - timezone.now()
    assert dt.timedelta(minutes=29) < lifetime <= dt.timedelta(minutes=30)


def test_redis_challenges_expire_by_themselves(each_store, settings):
    if each_store != "redis":
        pytest.skip("about Redis's own expiry")
    settings.COMMUNIQUE_CAPTCHA_EXPIRY_MINUTES = 30
    issued = challenges.issue()
    store = challenges.store()
    ttl = store.client.ttl(challenges.REDIS_PREFIX + issued.id)
    assert 29 * 60 < ttl <= 30 * 60
    assert not Challenge.objects.exists()


def test_redis_cache_url_selects_the_redis_store(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    assert isinstance(challenges.store(), challenges.RedisStore)
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
