from django.conf import settings
from django.core.paginator import InvalidPage, Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from communique.pagecache import cached_page, tag_page
from communique.pagecache.tags import STATEMENT_LIST, remember, statement_tag
from communique.pagination import KnownCountPaginator
from communique.publishing.models import Statement


def _page_of(request: HttpRequest, statements, per_page: int, *, name: str) -> Page:
    """A page of ``statements``; their count is remembered until they change."""
    count = remember(
        STATEMENT_LIST,
        name,
        statements.count,
        seconds=settings.COMMUNIQUE_PAGE_CACHE_SECONDS,
    )
    paginator = KnownCountPaginator(statements, per_page, count=count)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(_("There is no such page of statements.")) from error
    page.object_list = list(page.object_list)
    counts = Statement.objects.comment_counts([s.pk for s in page.object_list])
    for statement in page.object_list:
        statement.comment_count = counts.get(statement.pk, 0)
    return page


@cached_page(tags=[STATEMENT_LIST])
def front_page(request: HttpRequest) -> HttpResponse:
    """The newest published statements, a page at a time."""
    statements = Statement.objects.published().for_lists().newest_first()
    page = _page_of(
        request, statements, settings.COMMUNIQUE_STATEMENTS_PER_PAGE, name="front"
    )
    return render(request, "publishing/front_page.html", {"page": page})


@cached_page
def statement_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One statement with its comments. Drafts and scheduled ones only for staff."""
    statement = Statement.objects.find(
        slug,
        language=request.GET.get("lang"),
        preferred=settings.LANGUAGE_CODE,
        user=request.user,
    )
    if statement is None:
        raise Http404(_("There is no published statement at this address."))
    return render_statement_page(request, statement)


def render_statement_page(
    request: HttpRequest,
    statement: Statement,
    *,
    comment_form=None,
    comment_preview=None,
    status: int = 200,
) -> HttpResponse:
    """The statement with its comments (the ``comment_section`` tag of the
    comments app); the comment views reuse it to show a form again."""
    tag_page(request, statement_tag(statement.pk))
    context = {
        "statement": statement,
        "comment_form": comment_form,
        "comment_preview": comment_preview,
    }
    return render(request, "publishing/statement.html", context, status=status)


@cached_page(tags=[STATEMENT_LIST])
def archive(request: HttpRequest) -> HttpResponse:
    """Every year that has published statements, with how many."""
    years = remember(
        STATEMENT_LIST,
        "archive-years",
        Statement.objects.published().years,
        seconds=settings.COMMUNIQUE_PAGE_CACHE_SECONDS,
    )
    return render(request, "publishing/archive.html", {"years": years})


@cached_page(tags=[STATEMENT_LIST])
def archive_year(request: HttpRequest, year: int) -> HttpResponse:
    """The published statements dated in one year, newest first."""
    statements = (
        Statement.objects.published().for_lists().of_year(year).order_by("-date", "-pk")
    )
    page = _page_of(
        request,
        statements,
        settings.COMMUNIQUE_STATEMENTS_PER_PAGE,
        name=f"year-{year}",
    )
    if not page.object_list:
        raise Http404(_("No statements were published in %(year)s.") % {"year": year})
    return render(request, "publishing/archive_year.html", {"page": page, "year": year})
