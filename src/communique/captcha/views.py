"""The challenge's image and audio. Asking for either makes its code."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from communique.antispam.ratelimits import client_key, over_limit
from communique.captcha import challenges


def _media(
    request: HttpRequest,
    challenge_id: str,
    render: Callable[[str], bytes],
    content_type: str,
) -> HttpResponse:
    if over_limit(
        "captcha",
        client_key(request),
        limit=settings.COMMUNIQUE_CAPTCHA_REQUESTS_PER_MINUTE,
        seconds=60,
    ):
        response = HttpResponse(
            _("Too many CAPTCHA requests from your address. Wait a minute."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "60"
        return response
    code = challenges.code_for(challenge_id)
    if code is None:
        raise Http404(_("This CAPTCHA has expired or was already used."))
    response = HttpResponse(render(code), content_type=content_type)
    response["Cache-Control"] = "no-store, private"
    return response


@require_safe
def image(request: HttpRequest, challenge_id: str) -> HttpResponse:
    from communique.captcha.drawing import draw_png

    return _media(request, challenge_id, draw_png, "image/png")


@require_safe
def audio(request: HttpRequest, challenge_id: str) -> HttpResponse:
    from communique.captcha.audio import render_wav

    return _media(request, challenge_id, render_wav, "audio/wav")
