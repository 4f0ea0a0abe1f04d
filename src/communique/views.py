"""Site-wide error pages that say what happened and keep what was typed."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_BAD_ORIGIN
from django.shortcuts import render
from django.utils.translation import gettext as _
from modern_csrf.middleware import REASON_BAD_SEC_FETCH_SITE

KEPT_FIELDS = ("author_name", "subject", "body")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form was refused as a possible cross-site request: keep the reader's
    text. Comment forms are refused when the browser says they came from
    another site (Fetch Metadata, Origin); forms of signed-in pages when their
    security token was missing or out of date."""
    kept = [
        (name, request.POST.get(name, ""))
        for name in KEPT_FIELDS
        if request.POST.get(name, "").strip()
    ]
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
    return render(request, "400.html", {"message": message}, status=400)
