"""Every refusal under /api/ is JSON (``schemas.Error``), whichever part of the
site gives it.

Most refusals come from the endpoints and from django-ninja (a wrong value:
422). Others come before any endpoint runs, from parts the pages share: the
site's middleware (a body too large: 413, too late: 408; a part not
answering: 503), Django (an unknown address: 404) or the cross-site check
(403). Those render HTML pages; ``JsonErrorsMiddleware`` gives the API's
clients the same answer as JSON instead, with its status and headers
(``Allow``, ``Retry-After``) kept, so that no client has to read a page.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import ValidationError

from communique.views import ERROR_MESSAGE

PREFIX = "/api/"
JSON = "application/json"
KEPT_FIELDS = ("author_name", "subject", "body")
KEPT_HEADERS = ("Allow", "Retry-After", "Content-Language")


def is_api_path(path: str) -> bool:
    return path.startswith(PREFIX)


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _(
            "The request seemed to come from another site, and was refused. "
            "A browser posts from another site only with its Origin trusted "
            "(COMMUNIQUE_CSRF_TRUSTED_ORIGINS)."
        ),
        404: _("There is nothing at this address."),
        405: _("This address does not take that method."),
        408: _("What you sent did not fully arrive in time."),
        413: _("What you sent is larger than this site accepts."),
        415: _("Send JSON (Content-Type: application/json)."),
        429: _("Too many requests. Wait a minute."),
        503: _(
            "A part of the site is not answering. Nothing was stored; "
            "try again in a little while. What you sent is in `kept`."
        ),
    }


def error(
    status: int,
    detail: str | None = None,
    *,
    errors: Mapping[str, Iterable[str]] | None = None,
    kept: Mapping[str, str] | None = None,
) -> JsonResponse:
    """A refusal as every client of the API reads one."""
    body: dict[str, Any] = {
        "detail": detail if detail is not None else _messages().get(status, ""),
        "errors": {name: list(texts) for name, texts in (errors or {}).items()},
        "kept": dict(kept or {}),
    }
    response = JsonResponse(body, status=status, json_dumps_params={"indent": None})
    response["Cache-Control"] = "no-store"
    return response


def kept_text(request: HttpRequest) -> dict[str, str]:
    """What a client sent to be stored, to give back when it was not."""
    if request.method != "POST" or request.content_type != JSON:
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, OSError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        name: data[name]
        for name in KEPT_FIELDS
        if isinstance(data.get(name), str) and data[name].strip()
    }


def field_errors(exc: ValidationError) -> dict[str, list[str]]:
    """django-ninja's validation errors by field (the last part of each
    error's location: ``page``, ``body``, ``statement_id``)."""
    found: dict[str, list[str]] = {}
    for item in exc.errors:
        location = [str(part) for part in item.get("loc", ()) if part != "payload"]
        name = location[-1] if location else "request"
        if name in ("body", "query", "path") and len(location) == 1:
            name = "request"
        found.setdefault(name, []).append(str(item.get("msg", "")))
    return found


def wrong_values(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A value missing or of the wrong type: 422, naming the fields."""
    return error(
        422,
        _("Some values are missing or of the wrong type: see `errors`."),
        errors=field_errors(exc),
    )


class JsonErrorsMiddleware:
    """Under /api/, turn any refusal that is not JSON into JSON.

    Placed outside every middleware that answers with a page of its own
    (``UnreadableInputMiddleware``, ``MethodNotAllowedPageMiddleware``,
    ``UnavailablePartMiddleware``), and inside ``LanguageFromPathMiddleware``
    so that the messages speak the request's language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            not is_api_path(request.path_info)
            or response.status_code < 400
            or response.get("Content-Type", "").startswith(JSON)
        ):
            return response
        status = response.status_code
        detail = getattr(response, ERROR_MESSAGE, None)
        if detail is None and status not in _messages():
            detail = _("Something went wrong.")
        kept = kept_text(request) if status >= 500 else None
        answer = error(status, None if detail is None else str(detail), kept=kept)
        for name in KEPT_HEADERS:
            if name in response:
                answer[name] = response[name]
        return answer
