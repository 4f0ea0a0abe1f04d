"""The challenge cookie: which CAPTCHA challenges this browser was shown.

Set by the image and audio responses, read when the form comes back; it is the
only thing that ties an answer to its image, since pages carry nothing per
reader. Short-lived (the challenges' lifetime), ``HttpOnly``, ``SameSite=Lax``,
and ``Secure`` on HTTPS. It names the newest few challenges, so that two open
tabs each keep theirs, and is signed, so that it names only ids issued here.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

NAME = "communique_captcha"
SALT = "communique.captcha.cookie"
KEPT = 5  # challenges named at most: a few tabs, an image and a clip


def _max_age() -> int:
    return settings.COMMUNIQUE_CAPTCHA_EXPIRY_MINUTES * 60


def challenge_ids(request: HttpRequest) -> list[str]:
    """The ids this browser holds, oldest first; none when the cookie is
    missing, expired or not ours."""
    return ids_in(request.COOKIES.get(NAME, ""))


def ids_in(value: str) -> list[str]:
    """The ids a signed value (the cookie's, or the token the JSON API hands
    out, which is the same value) names, oldest first; none when it is
    expired or not ours."""
    if not value:
        return []
    try:
        ids = signing.loads(value, salt=SALT, max_age=_max_age())
    except signing.BadSignature:
        return []
    if not isinstance(ids, list):
        return []
    return [id_ for id_ in ids if isinstance(id_, str)][-KEPT:]


def keep(request: HttpRequest, response: HttpResponse, ids: Sequence[str]) -> None:
    """Make the browser hold ``ids`` (the newest ``KEPT``), or nothing."""
    if not ids:
        if NAME in request.COOKIES:
            response.delete_cookie(NAME, samesite="Lax")
        return
    response.set_cookie(
        NAME,
        signed(ids),
        max_age=_max_age(),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def signed(ids: Sequence[str]) -> str:
    """The value that names ``ids`` (the newest ``KEPT``)."""
    return signing.dumps(list(ids)[-KEPT:], salt=SALT)


def forget(request: HttpRequest, response: HttpResponse, challenge_id: str) -> None:
    """Drop a used challenge from the browser's list."""
    ids = challenge_ids(request)
    if challenge_id in ids:
        keep(request, response, [id_ for id_ in ids if id_ != challenge_id])
