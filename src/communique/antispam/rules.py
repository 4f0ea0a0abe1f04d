"""The rules a new comment passes through. Each returns a verdict and a reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communique.antispam.models import BlockedTerm
from communique.antispam.ratelimits import over_limit
from communique.textformats import skeleton_for_matching


class Action(Enum):
    ALLOW = "allow"
    HOLD = "hold"  # publish only after a moderator approves
    SPAM = "spam"  # keep as spam, tell the sender nothing different
    REFUSE = "refuse"  # do not keep; the form says why


@dataclass(frozen=True)
class Verdict:
    action: Action
    reason: str = ""
    message: str = ""
    status: int = 400


ALLOW = Verdict(Action.ALLOW)


@dataclass(frozen=True)
class Submission:
    """What the rules look at; built by the comments app."""

    fingerprint: str
    author_name: str
    email: str
    homepage: str
    body: str
    link_count: int
    honeypot_filled: bool = False
    # The same body, as ``skeleton_for_matching`` sees it, from the same fingerprint
    # since ``duplicate_window()``: the comments app looks, since it owns the
    # comments.
    is_duplicate: bool = False


def honeypot(submission: Submission) -> Verdict:
    if submission.honeypot_filled:
        return Verdict(Action.SPAM, "honeypot")
    return ALLOW


def rate_limits(submission: Submission) -> Verdict:
    for seconds, limit in (
        (60, settings.COMMUNIQUE_ANTISPAM_COMMENTS_PER_MINUTE),
        (3600, settings.COMMUNIQUE_ANTISPAM_COMMENTS_PER_HOUR),
    ):
        if over_limit("comment", submission.fingerprint, limit=limit, seconds=seconds):
            return Verdict(
                Action.REFUSE,
                "rate_limit",
                str(
                    _(
                        "You are posting comments faster than this site allows. "
                        "Please wait a while and press Save again; your text is "
                        "kept."
                    )
                ),
                status=429,
            )
    return ALLOW


def duplicate_window() -> dt.datetime | None:
    """Since when an identical comment counts as a duplicate; None: never."""
    minutes = settings.COMMUNIQUE_ANTISPAM_DUPLICATE_MINUTES
    if not minutes:
        return None
    return timezone.now() - dt.timedelta(minutes=minutes)


def duplicate(submission: Submission) -> Verdict:
    if submission.is_duplicate:
        return Verdict(
            Action.REFUSE,
            "duplicate",
            str(_("You have already posted this comment.")),
            status=409,
        )
    return ALLOW


def links(submission: Submission) -> Verdict:
    if submission.link_count > settings.COMMUNIQUE_ANTISPAM_LINKS_TO_SPAM:
        return Verdict(Action.SPAM, "too_many_links")
    if submission.link_count > settings.COMMUNIQUE_ANTISPAM_LINKS_TO_HOLD:
        return Verdict(Action.HOLD, "links")
    return ALLOW


# The terms are few and change seldom; the text is new with every comment.
_needle = lru_cache(maxsize=4096)(skeleton_for_matching)


def blocked_terms(submission: Submission) -> Verdict:
    """Terms and text are compared as ``skeleton_for_matching`` makes them:
    case, Arabic or Persian letter forms, kashida, diacritics, half-spaces and
    other invisible characters, full-width forms, look-alike letters of other
    scripts, and the ways of writing one host (UTS 46) make no difference."""
    haystack = skeleton_for_matching(
        " ".join(
            (
                submission.author_name,
                submission.email,
                submission.homepage,
                submission.body,
            )
        )
    )
    worst = ALLOW
    for term, action in BlockedTerm.objects.values_list("term", "action"):
        needle = _needle(term)
        if needle and needle in haystack:
            if action == BlockedTerm.Action.SPAM:
                return Verdict(Action.SPAM, "blocked_term")
            worst = Verdict(Action.HOLD, "blocked_term")
    return worst


RULES = (honeypot, rate_limits, duplicate, links, blocked_terms)


def judge(submission: Submission) -> Verdict:
    """The first refusal or spam verdict of the rules, else the first hold."""
    held = ALLOW
    for rule in RULES:
        verdict = rule(submission)
        if verdict.action in (Action.REFUSE, Action.SPAM):
            return verdict
        if verdict.action is Action.HOLD and held is ALLOW:
            held = verdict
    return held
