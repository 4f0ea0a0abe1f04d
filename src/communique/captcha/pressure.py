"""How hard the proof of work is: COMMUNIQUE_ALTCHA_MAX_NUMBER, doubled while
refusals spike.

Every CAPTCHA refusal (a wrong, stale or missing answer, a proof that does
not check out) is counted in the shared cache, in one counter per minute, so
that every worker process agrees. When the last ``WINDOW_MINUTES`` hold at
least COMMUNIQUE_ALTCHA_RISE_AFTER_REFUSALS of them, new challenges ask for
twice the work; at twice as many refusals again, four times; at most
``2 ** MAX_DOUBLINGS`` times. As the minutes of the spike leave the window the
work falls back by itself. Challenges already issued keep their difficulty.
A count may miss a refusal when two arrive at once on the file cache (as the
rate limits may): a threshold, not a ledger.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches

WINDOW_MINUTES = 10
MAX_DOUBLINGS = 3
PREFIX = "captcha:refusals:"


def _minute(now: float) -> int:
    return int(now // 60)


def note_refusal(*, now: float | None = None) -> None:
    """Count one refusal in the current minute."""
    cache = caches["default"]
    key = f"{PREFIX}{_minute(time.time() if now is None else now)}"
    timeout = (WINDOW_MINUTES + 1) * 60
    cache.add(key, 0, timeout)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout)


def recent_refusals(*, now: float | None = None) -> int:
    """Refusals counted in the last WINDOW_MINUTES minutes, this one included."""
    last = _minute(time.time() if now is None else now)
    first = last - WINDOW_MINUTES + 1
    keys = [f"{PREFIX}{minute}" for minute in range(first, last + 1)]
    return sum(caches["default"].get_many(keys).values())


def doublings(*, now: float | None = None) -> int:
    """How many times the work is doubled now: 0 in calm times."""
    threshold = settings.COMMUNIQUE_ALTCHA_RISE_AFTER_REFUSALS
    if not threshold:
        return 0
    # 1 at the threshold, 2 at twice it, 3 at four times it.
    return min(MAX_DOUBLINGS, (recent_refusals(now=now) // threshold).bit_length())


def max_number(*, now: float | None = None) -> int:
    """The max number of the challenges issued now."""
    return settings.COMMUNIQUE_ALTCHA_MAX_NUMBER * 2 ** doublings(now=now)
