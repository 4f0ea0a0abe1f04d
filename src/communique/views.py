"""Site-wide error pages that say what happened and keep what was typed."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

KEPT_FIELDS = ("author_name", "subject", "body")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form came back without a valid security token: keep the reader's text."""
    kept = [
        (name, request.POST.get(name, ""))
        for name in KEPT_FIELDS
        if request.POST.get(name, "").strip()
    ]
    return render(request, "csrf_failure.html", {"kept": kept}, status=403)


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
    return render(request, "400.html", {"message": message}, status=400)


def late_body(request: HttpRequest, *, seconds: int) -> HttpResponse:
    """The 408 page: what was sent did not fully arrive within ``seconds``."""
    return render(request, "408.html", {"seconds": seconds}, status=408)
