"""The challenge's image and audio. The image always issues a new challenge;
the audio speaks the newest one the browser holds, or issues one. Both are
drawn from the challenge's own seed, so they are the same bytes each time. A challenge
is issued in the active language (``/fa/captcha/…`` for Persian) and is then
drawn and spoken in its own language, whatever the language of a later
request."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from communique.captcha import challenges, cookie, policy, proofs


def _too_many(request: HttpRequest) -> HttpResponse | None:
    if not policy.asks_too_often(request):
        return None
    response = HttpResponse(
        _("Too many CAPTCHA requests from your address. Wait a minute."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "60"
    return response


def _bound(
    request: HttpRequest, body: bytes, content_type: str, ids: list[str]
) -> HttpResponse:
    """The media, with the cookie that names its challenge; never stored."""
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "no-store"
    cookie.keep(request, response, ids)
    return response


@require_safe
def image(request: HttpRequest) -> HttpResponse:
    from communique.captcha.drawing import draw_png

    refused = _too_many(request)
    if refused is not None:
        return refused
    issued = challenges.issue()
    ids = [*cookie.challenge_ids(request), issued.id]
    png = draw_png(
        issued.alphabet.shown(issued.code), seed=challenges.seed_of(issued.id)
    )
    return _bound(request, png, "image/png", ids)


@require_safe
def audio(request: HttpRequest) -> HttpResponse:
    from communique.captcha.audio import render_wav

    refused = _too_many(request)
    if refused is not None:
        return refused
    ids = cookie.challenge_ids(request)
    issued = challenges.challenge_of(ids[-1]) if ids else None
    if issued is None:
        issued = challenges.issue()
        ids = [*ids, issued.id]
    wav = render_wav(
        issued.code,
        language=issued.alphabet.language,
        seed=challenges.seed_of(issued.id),
    )
    return _bound(request, wav, "audio/wav", ids)


@require_safe
def altcha(request: HttpRequest) -> HttpResponse:
    """A proof-of-work challenge for the widget (``captcha.proofs``): JSON,
    never stored, counted against the same limit as the image and the clip."""
    refused = _too_many(request)
    if refused is not None:
        return refused
    response = JsonResponse(proofs.new_challenge())
    response["Cache-Control"] = "no-store"
    return response
