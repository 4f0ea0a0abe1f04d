"""When a form asks for a CAPTCHA."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest

from communique.antispam.ratelimits import client_key, over_limit
from communique.captcha import cookie

SOLVED_UNTIL = "captcha_solved_until"
SKIP_PERMISSION = "captcha.skip_captcha"


def is_required(request: HttpRequest, form_name: str) -> bool:
    """Whether the form ``form_name`` (e.g. "comment", "reply") needs a CAPTCHA.

    Off when disabled site-wide or for that form, for people with the
    permission to skip it, and for a while after solving one when operators
    set COMMUNIQUE_CAPTCHA_SKIP_AFTER_SOLVED_MINUTES.
    """
    if not settings.COMMUNIQUE_CAPTCHA_ENABLED:
        return False
    if form_name not in settings.COMMUNIQUE_CAPTCHA_FORMS:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.has_perm(SKIP_PERMISSION):
        return False
    if settings.COMMUNIQUE_CAPTCHA_SKIP_AFTER_SOLVED_MINUTES:
        session = getattr(request, "session", None)
        if session is not None and session.get(SOLVED_UNTIL, 0) > time.time():
            return False
    return True


def remember_solved(request: HttpRequest) -> None:
    """Let this browser skip the CAPTCHA for a while, if operators allow it."""
    minutes = settings.COMMUNIQUE_CAPTCHA_SKIP_AFTER_SOLVED_MINUTES
    if minutes:
        request.session[SOLVED_UNTIL] = time.time() + minutes * 60


def challenges_for(request: HttpRequest, form_name: str) -> list[str] | None:
    """For a form being answered: None when it asks for no CAPTCHA, else the
    challenge ids the reader's browser holds."""
    if not is_required(request, form_name):
        return None
    return cookie.challenge_ids(request)


def asks_too_often(request: HttpRequest) -> bool:
    """Whether the client fetched more challenges (images, clips, proofs of
    work, the API's) this minute than ``COMMUNIQUE_CAPTCHA_REQUESTS_PER_MINUTE``;
    each call counts as one more."""
    return over_limit(
        "captcha",
        client_key(request),
        limit=settings.COMMUNIQUE_CAPTCHA_REQUESTS_PER_MINUTE,
        seconds=60,
    )
