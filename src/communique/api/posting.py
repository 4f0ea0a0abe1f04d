"""Posting a comment or a reply through the API, under the page form's rules.

The JSON body is turned into the form's data and validated by the same
``CommentForm``, and saved by the same ``services.post_comment``: the
honeypot, the CAPTCHA or proof of work, the least time, the limits, the spam
rules and moderation apply exactly as on the page. Only the answers differ:
JSON, with the status saying what happened (201, 400, 403, 404, 429, 503).

The CAPTCHA. A client asks ``/api/v1/challenge/`` first and gets what a
browser gets from the page: an image of a code (here as a ``data:`` URL, with
the token that names its challenge, the value a browser keeps in its
challenge cookie) and, when the site offers it, a proof of work. It sends the
code with the token, or the solved proof, with the comment. Either is spent
by the comment, as on the page.

Cross-site posts. Browsers may post JSON from scripts of other sites; such a
post is checked as the form's are (``modern_csrf``: Fetch Metadata, then
Origin), and refused with 403 unless its Origin is trusted. A client that is
not a browser sends neither header and passes, as with the form; it meets
the CAPTCHA, the limits and the spam rules all the same.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.forms.forms import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from modern_csrf.decorators import csrf_protect as cross_origin_protect
from ninja import Query
from ninja.decorators import decorate_view
from ninja.parser import Parser

from communique.antispam.fingerprints import request_fingerprint
from communique.api import schemas
from communique.api.errors import JSON, error
from communique.api.reads import (
    REFUSALS,
    LanguageCode,
    StatementId,
    published_statement,
    read,
)
from communique.api.router import router
from communique.api.schemas import Error
from communique.captcha import challenges, cookie, proofs
from communique.captcha import policy as captcha_policy
from communique.captcha.fields import HELP_TEXT
from communique.comments import replies, services
from communique.comments.forms import CommentForm
from communique.comments.models import Comment
from communique.comments.views.posting import CONFIRM_SENT, POSTED, QUEUED
from communique.publishing.models import Statement
from communique.request_bodies import content_length
from communique.views import answer_once_stored

# A comment of the longest length, every character escaped (\uXXXX), and the
# other fields, fit with room to spare; a larger body is refused unread.
MAX_BODY_BYTES = 128 * 1024
PARSED = "communique_api_json"


class ParsedOnce(Parser):
    """django-ninja's body parser, given the body ``json_only`` parsed."""

    def parse_body(self, request: HttpRequest) -> Any:
        if hasattr(request, PARSED):
            return getattr(request, PARSED)
        return super().parse_body(request)


def _parse(request: HttpRequest) -> HttpResponse | None:
    """Parse the body as JSON into ``request``; a refusal when it is not."""
    try:
        data = json.loads(request.body)
        # Lone surrogates ("\ud800") parse, but no database can store them.
        json.dumps(data, ensure_ascii=False).encode()
    except UnicodeError:
        return error(400, _("The body is not UTF-8, or holds text that is not."))
    except ValueError as problem:
        return error(400, _("The body is not JSON: %(problem)s") % {"problem": problem})
    except RecursionError:
        return error(400, _("The body's JSON is nested too deeply."))
    setattr(request, PARSED, data)
    return None


def json_only(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse a body that is too large (413) or not JSON (415, 400) before
    django-ninja reads it; parse it once."""

    @wraps(run)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if content_length(request.META) > MAX_BODY_BYTES:
            return error(413)
        if request.body:
            if request.content_type != JSON:
                return error(415)
            refused = _parse(request)
            if refused is not None:
                return refused
        return run(request, *args, **kwargs)

    return checked


def _too_many(request: HttpRequest) -> HttpResponse | None:
    """The CAPTCHA's own limit, shared with its image, clip and proof of work."""
    if not captcha_policy.asks_too_often(request):
        return None
    response = error(429, _("Too many CAPTCHA requests from your address."))
    response["Retry-After"] = "60"
    return response


def _issued_challenge(language: str) -> dict[str, Any]:
    from communique.captcha.drawing import draw_png

    with translation.override(language):
        issued = challenges.issue()
        help_text = str(HELP_TEXT)
    png = draw_png(
        issued.alphabet.shown(issued.code), seed=challenges.seed_of(issued.id)
    )
    return {
        "required": True,
        "token": cookie.signed([issued.id]),
        "image": "data:image/png;base64," + base64.b64encode(png).decode(),
        "digits_only": issued.alphabet.digits_only,
        "help": help_text,
        "expires_in": settings.COMMUNIQUE_CAPTCHA_EXPIRY_MINUTES * 60,
        "wait_at_least": settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS,
        "proof_of_work": (
            proofs.new_challenge() if settings.COMMUNIQUE_ALTCHA_ENABLED else None
        ),
    }


@read(
    "/challenge/",
    response={200: schemas.Challenge, 429: Error, **REFUSALS},
    summary="The CAPTCHA a comment must answer",
    tags=["comment"],
)
def challenge(
    request: HttpRequest,
    form: str = Query(
        "comment", pattern="^(comment|reply)$", description="comment or reply"
    ),
    lang: str | None = LanguageCode,
) -> HttpResponse:
    """A new challenge for the comment (or reply) form: its image and token,
    and a proof of work where the site offers one. Never stored by a cache."""
    if not captcha_policy.is_required(request, form):
        answer: dict[str, Any] = {"required": False}
    else:
        refused = _too_many(request)
        if refused is not None:
            return refused
        language = lang if lang in dict(settings.LANGUAGES) else None
        answer = _issued_challenge(language or settings.LANGUAGE_CODE)
    response = JsonResponse(schemas.Challenge(**answer).model_dump(mode="json"))
    response["Cache-Control"] = "no-store"
    return response


def _form_data(payload: schemas.NewComment) -> dict[str, Any]:
    data = payload.model_dump(exclude={"captcha_token"})
    data["parent"] = "" if payload.parent is None else payload.parent
    return data


def _challenge_ids(
    request: HttpRequest, payload: schemas.NewComment, kind: str
) -> list[str] | None:
    """None when the form asks for no CAPTCHA; else the challenges the
    client's cookie and token name."""
    held = captcha_policy.challenges_for(request, kind)
    if held is None:
        return None
    return [*held, *cookie.ids_in(payload.captcha_token)]


def _refused_form(form: CommentForm) -> HttpResponse:
    """The form's errors as JSON: 404 when the comment answered is not
    shown, 403 when comments are closed, else 400."""
    errors = {
        name: [item["message"] for item in items]
        for name, items in form.errors.get_json_data().items()
    }
    general = errors.get(NON_FIELD_ERRORS) or [
        _("The comment was not saved: see `errors`.")
    ]
    status = 400
    if form.has_error("parent", "parent_hidden"):
        status = 404
    elif form.has_error(NON_FIELD_ERRORS, "closed"):
        status = 403
    return error(status, general[0], errors=errors)


def _posted(request: HttpRequest, comment: Comment, *, confirm: bool) -> HttpResponse:
    published = comment.is_published
    detail = str(POSTED if published else QUEUED)
    if confirm:
        detail += " " + str(CONFIRM_SENT)
    permalink = None
    if published:
        permalink = request.build_absolute_uri(
            reverse("comments:permalink", args=[comment.pk])
        )
    body = schemas.Posted(
        id=comment.pk,
        # Spam too is "pending": the sender is told nothing else, as on the page.
        status="published" if published else "pending",
        detail=detail,
        permalink=permalink,
    )
    return JsonResponse(body.model_dump(mode="json"), status=201)


@router.post(
    "/statements/{statement_id}/comments/",
    response={
        201: schemas.Posted,
        **dict.fromkeys((400, 403, 404, 408, 413, 415, 422, 429, 503), Error),
    },
    summary="Post a comment or a reply",
    tags=["comment"],
)
@decorate_view(json_only, cross_origin_protect)
def post_comment(
    request: HttpRequest,
    payload: schemas.NewComment,
    statement_id: int = StatementId,
) -> HttpResponse:
    """Post a comment (or, with ``parent``, a reply): stored as published or
    pending as the page's form would store it. See docs/api.md."""
    statement = published_statement(statement_id)
    language = statement.language
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        return _post(request, statement, payload, language)


def _post(
    request: HttpRequest,
    statement: Statement,
    payload: schemas.NewComment,
    language: str,
) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    kind = "reply" if payload.parent else "comment"
    form = CommentForm(
        _form_data(payload),
        statement=statement,
        user=user,
        captcha=_challenge_ids(request, payload, kind),
    )
    if not form.is_valid():
        form.count_refusals()
        return _refused_form(form)
    try:
        comment = services.post_comment(
            statement=statement,
            parent=form.cleaned_data["parent"],
            draft=form.draft(),
            user=user,
            language=language,
            fingerprint=request_fingerprint(request),
            honeypot_filled=form.honeypot_filled,
        )
    except services.CommentsClosed:
        return error(403, _("Comments on this statement are closed."))
    except services.Refused as refusal:
        response = error(refusal.verdict.status, refusal.verdict.message)
        if refusal.verdict.status == 429:
            response["Retry-After"] = "60"
        return response
    notify = form.cleaned_data["notify_replies"]
    response = answer_once_stored(request, _posted(request, comment, confirm=notify))
    captcha_policy.remember_solved(request)
    if form.solved_challenge:
        cookie.forget(request, response, form.solved_challenge)
    if notify and comment.status != Comment.Status.SPAM:
        replies.subscribe(comment=comment, email=form.reply_address, language=language)
    return response
