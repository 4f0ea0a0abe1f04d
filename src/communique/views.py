"""Site-wide error pages that say what happened and keep what was typed."""

import logging
import sys

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_BAD_ORIGIN
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults
from modern_csrf.middleware import REASON_BAD_SEC_FETCH_SITE

from communique.alternates import set_alternates
from communique.context_processors import site_urls
from communique.pagecache.failures import CACHE_ERRORS

logger = logging.getLogger("communique")
KEPT_FIELDS = ("author_name", "subject", "body")
# What a part the site needs raises when it does not answer: the database
# (stopped, restarting, unreachable, its disk full; psycopg's errors arrive as
# these two) or the cache (Redis, the cache files).
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, *CACHE_ERRORS)
# The answer a request gave once what it was sent for was stored: see
# ``answer_once_stored``.
STORED_ANSWER = "communique_stored_answer"
# The message an error page shows, kept on its response (``bad_request``).
ERROR_MESSAGE = "communique_error_message"


def part_unavailable(error: BaseException | None) -> bool:
    """Whether ``error``, or an error it was raised from or while handling, is
    a part of the site not answering."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, UNAVAILABLE_ERRORS):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def answer_once_stored(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Record ``response`` as the request's answer now that what it sent is
    stored. If what still runs fails (the session saved by its middleware,
    say, when the database has just gone), ``server_error`` answers with it:
    a stored comment is never answered with an error."""
    setattr(request, STORED_ANSWER, response)
    return response


def kept_text(request: HttpRequest) -> list[tuple[str, str]]:
    """(field, text) of what the reader typed into a comment form, if anything."""
    try:
        data = request.POST if request.method == "POST" else {}
    except (OSError, ValueError):  # the body could not be read
        return []
    return [
        (name, data.get(name, "")) for name in KEPT_FIELDS if data.get(name, "").strip()
    ]


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form was refused as a possible cross-site request: keep the reader's
    text. Comment forms are refused when the browser says they came from
    another site (Fetch Metadata, Origin); forms of signed-in pages when their
    security token was missing or out of date."""
    kept = kept_text(request)
    cross_site = reason == REASON_BAD_SEC_FETCH_SITE or reason.startswith(
        REASON_BAD_ORIGIN.partition("%s")[0]
    )
    context = {"kept": kept, "cross_site": cross_site}
    return render(request, "csrf_failure.html", context, status=403)


def bad_request(
    request: HttpRequest, exception: Exception, message: str | None = None
) -> HttpResponse:
    """The 400 page, saying what was wrong when we know it."""
    if message is None and isinstance(exception, RequestDataTooBig):
        message = _(
            "What you sent is larger than this site accepts. Shorten it and try again."
        )
    if message is None:
        message = _(
            "The request could not be understood. Please go back and try again."
        )
    response = render(request, "400.html", {"message": message}, status=400)
    # What the page says, for answers that are not pages (the JSON API's).
    setattr(response, ERROR_MESSAGE, message)
    return response


def service_unavailable(request: HttpRequest, *, retry_after: int = 30) -> HttpResponse:
    """A part the site needs (the database, the cache) is not answering: a 503
    that keeps what the reader typed. Rendered without the request's context
    processors, which would ask the same part again (the session, the user)."""
    context = {
        "kept": kept_text(request),
        "site_name": settings.COMMUNIQUE_SITE_NAME,
        "site_urls": site_urls(),
        "user": AnonymousUser(),
        "perms": {},
        "messages": [],
    }
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler: Django calls it for an error raised anywhere, a
    middleware included, and for one raised by another error page. A part not
    answering gets the 503 page instead, or, if the request's text was
    already stored, the answer it had (``answer_once_stored``)."""
    error = sys.exc_info()[1]
    if not part_unavailable(error):
        return defaults.server_error(request)
    log_unavailable(request, error)
    stored = getattr(request, STORED_ANSWER, None)
    return stored if stored is not None else service_unavailable(request)


def log_unavailable(request: HttpRequest, error: BaseException) -> None:
    logger.error(
        "%s %s: a part did not answer (%s: %s)",
        request.method,
        request.path,
        type(error).__name__,
        error,
    )


def too_large(request: HttpRequest) -> HttpResponse:
    """The 413 page: the body is larger than the site takes; it was not read."""
    return render(request, "413.html", status=413)


def unsupported_body(request: HttpRequest) -> HttpResponse:
    """The 415 page: a form sent otherwise than its page sends it (as a file
    upload, JSON, ...); it was not read."""
    return render(request, "415.html", status=415)


def late_body(request: HttpRequest, *, seconds: int) -> HttpResponse:
    """The 408 page: what was sent did not fully arrive within ``seconds``."""
    return render(request, "408.html", {"seconds": seconds}, status=408)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 page, whose language switcher leads to the front pages:
    the missing page is missing in every language."""
    set_alternates(request, {})
    return defaults.page_not_found(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    set_alternates(request, {})
    return defaults.permission_denied(request, exception)
