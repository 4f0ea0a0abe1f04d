from collections.abc import Callable
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from communique.request_bodies import (
    FORM_CONTENT_TYPE,
    LATE_BODY,
    TOO_LARGE_BODY,
    content_length,
    is_chunked,
    largest_body,
)
from communique.views import (
    STORED_ANSWER,
    UNAVAILABLE_ERRORS,
    bad_request,
    late_body,
    log_unavailable,
    part_unavailable,
    service_unavailable,
    too_large,
    unsupported_body,
)

__all__ = ["UNAVAILABLE_ERRORS"]

# Pages load nothing from another host: no fonts, scripts, images or frames.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Tell browsers to refuse any resource that is not the site's own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class OnionLocationMiddleware:
    """Name each page's copy at the site's onion address, when it has one
    (``COMMUNIQUE_ONION_URL``), in ``Onion-Location``: Tor Browser offers the
    reader that copy. The header is the same for every reader of a page, so
    the page cache keeps it with the page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        onion = settings.COMMUNIQUE_ONION_URL
        if (
            onion
            and request.method in ("GET", "HEAD")
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
        ):
            response.headers["Onion-Location"] = onion + request.get_full_path()
        return response


class LanguageFromPathMiddleware:
    """Speak the language the address names, and nothing else decides it.

    Pages of other languages than the site's default live under their code
    (``/fa/archive/``); every other address is in the default language. No
    cookie and no ``Accept-Language`` take part, so an address is the same
    page for everyone and caches in front need no ``Vary``. The default's own
    prefix (``/en/archive/``) redirects to the address without it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.split("/", 2)[1] == settings.LANGUAGE_CODE:
            return _without_default_prefix(request, settings.LANGUAGE_CODE)
        language = (
            translation.get_language_from_path(request.path_info)
            or settings.LANGUAGE_CODE
        )
        request.LANGUAGE_CODE = language
        # Only for this request: the thread's next one, or a test, starts anew.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _without_default_prefix(request: HttpRequest, language: str) -> HttpResponse:
    path = request.get_full_path().removeprefix(f"/{language}")
    return HttpResponsePermanentRedirect(path if path.startswith("/") else "/" + path)


class UnreadableInputMiddleware:
    """Refuse input that no page can use, with a clear 400, before any view.

    NUL characters in the address (PostgreSQL cannot compare text with them),
    and URL-encoded forms whose text is not UTF-8 (Django would decode them
    with replacement characters and the garbled text would be stored). A body
    that did not arrive in time (``communique.request_bodies``) gets a 408; one
    larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` a 413, unread. A POST to a view
    marked ``form_encoded_only`` that is not a URL-encoded form gets a 415
    before anything reads it: no upload is parsed, no temporary file written.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if LATE_BODY in request.META:
            return late_body(request, seconds=request.META[LATE_BODY])
        largest = largest_body()
        if TOO_LARGE_BODY in request.META or (
            largest is not None and content_length(request.META) > largest
        ):
            return too_large(request)
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return bad_request(
                request,
                BadRequest("NUL in the address."),
                message=_("The address contains a character that is not allowed."),
            )
        if request.method == "POST" and request.content_type == FORM_CONTENT_TYPE:
            try:
                parse_qsl(
                    request.body.decode("ascii"),
                    keep_blank_values=True,
                    encoding="utf-8",
                    errors="strict",
                    max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
                )
            except UnicodeDecodeError:
                return bad_request(
                    request,
                    BadRequest("The form's text is not UTF-8."),
                    message=_(
                        "The text you sent could not be read: it is not in the "
                        "UTF-8 encoding. Please go back and send it again."
                    ),
                )
            except ValueError:
                return bad_request(request, BadRequest("Too many fields."))
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], *args: object
    ) -> HttpResponse | None:
        # An empty body has nothing to parse, whatever its type: the form
        # then says what is missing.
        if (
            getattr(view, "form_encoded_only", False)
            and request.method == "POST"
            and request.content_type != FORM_CONTENT_TYPE
            and (content_length(request.META) or is_chunked(request.META))
        ):
            return unsupported_body(request)
        return None


class MethodNotAllowedPageMiddleware:
    """Give a 405 a page that says what to do, keeping its Allow header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content:
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page


class UnavailablePartMiddleware:
    """Answer 503 with ``Retry-After``, keeping the reader's text, when the
    database or the cache fails under a view; log what failed.

    Errors raised elsewhere (a middleware, an error page, the session saved
    after the view) reach ``communique.views.server_error``, which does the
    same. A view that stored what it was sent and then fails answers with what
    it recorded by ``answer_once_stored``: the text is saved, and an error
    page would say it was not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not part_unavailable(exception):
            return None
        log_unavailable(request, exception)
        stored = getattr(request, STORED_ANSWER, None)
        return stored if stored is not None else service_unavailable(request)
