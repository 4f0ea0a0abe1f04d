from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from communique.antispam.ratelimits import client_key, over_limit
from communique.pagecache import cached_page
from communique.pagecache.tags import STATEMENT_LIST
from communique.pagination import KnownCountPaginator
from communique.search import index, results


@cached_page(tags=[STATEMENT_LIST], keep=False)
def search(request: HttpRequest) -> HttpResponse:
    """Published statements (or, with ``in=comments``, the comments readers
    can see) that contain every word of ``q``, best first, those in the
    page's language before others. Each client may search
    ``COMMUNIQUE_SEARCHES_PER_MINUTE`` times a minute."""
    query = request.GET.get("q", "")
    kind = request.GET.get("in")
    kind = kind if kind in results.KINDS else results.STATEMENTS
    terms = index.query_terms(query)
    if terms and over_limit(
        "search",
        client_key(request),
        limit=settings.COMMUNIQUE_SEARCHES_PER_MINUTE,
        seconds=60,
    ):
        return _too_many(request, query)
    found = results.Results(kind, terms, language=get_language())
    paginator = KnownCountPaginator(
        found, settings.COMMUNIQUE_STATEMENTS_PER_PAGE, count=found.count()
    )
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(_("There is no such page of results.")) from error
    context = {
        "query": query.strip(),
        "kind": kind,
        "page": page,
        "page_query": urlencode({"q": query, "in": kind}),
        "statements_query": urlencode({"q": query}),
        "comments_query": urlencode({"q": query, "in": results.COMMENTS}),
    }
    return render(request, "search/search.html", context)


def _too_many(request: HttpRequest, query: str) -> HttpResponse:
    response = render(
        request, "search/too_many.html", {"query": query.strip()}, status=429
    )
    response["Retry-After"] = "60"
    return response
