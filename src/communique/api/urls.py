"""The JSON API, version 1, at /api/v1/: its endpoints, its refusals, and
its OpenAPI document at /api/v1/openapi.json (no interactive page: one would
load its scripts from another host, and the pages load nothing from any)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from communique.api import errors, posting, reads
from communique.api.router import router

api = NinjaAPI(
    title="Communiqué",
    version="1",
    description=(
        "Published statements, their topics and comments, and posting a "
        "comment under the same rules as the page's form. See docs/api.md."
    ),
    urls_namespace="api",
    docs_url=None,
    parser=posting.ParsedOnce(),
)
# Importing these modules added their endpoints to the router.
ENDPOINTS = (reads, posting)
api.add_router("", router)


@api.exception_handler(ValidationError)
def wrong_values(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return errors.wrong_values(request, exc)


@api.exception_handler(HttpError)
def refused(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return errors.error(exc.status_code, str(exc))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A 404 raised with a message says it; Django's own say the default."""
    message = str(exc) if exc.args and isinstance(exc.args[0], str) else None
    return errors.error(404, message or _("There is nothing at this address."))


app_name = "api"
urlpatterns = api.urls[0]
