from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import InvalidPage, Page
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from communique import localformats
from communique.alternates import set_alternates
from communique.pagecache import cached_page, tag_page
from communique.pagecache.tags import STATEMENT_LIST, remember, statement_tag
from communique.pagination import KnownCountPaginator
from communique.publishing import previews
from communique.publishing.models import Statement, Topic
from communique.publishing.querysets import StatementQuerySet


def feed(view: Feed) -> Callable[..., HttpResponse]:
    """A feed, cached like the lists: public, retired with them."""
    return cached_page(tags=[STATEMENT_LIST])(view)


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


def _listed() -> StatementQuerySet:
    """The published statements the lists of the page's language show."""
    return Statement.objects.published().listed_in(get_language()).for_lists()


@cached_page(tags=[STATEMENT_LIST])
def front_page(request: HttpRequest) -> HttpResponse:
    """The newest published statements, a page at a time."""
    page = _page_of(
        request,
        _listed().newest_first(),
        settings.COMMUNIQUE_STATEMENTS_PER_PAGE,
        name=f"front-{get_language()}",
    )
    return render(request, "publishing/front_page.html", {"page": page})


@cached_page
def statement_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One statement with its comments, in the interface of its language.

    Drafts and scheduled ones only for staff. An address in another language
    than the statement's (``/statements/<persian slug>/``, or the older
    ``?lang=fa``) redirects to the statement's own.
    """
    statement = Statement.objects.find(
        slug,
        language=None,
        preferred=request.GET.get("lang") or get_language(),
        user=request.user,
    )
    if statement is None:
        raise Http404(_("There is no published statement at this address."))
    address = statement.get_absolute_url()
    if address != address_of(request):
        return redirect_to_statement(request, address)
    return render_statement_page(request, statement)


def address_of(request: HttpRequest) -> str:
    path = escape_uri_path(request.path)
    language = request.GET.get("lang")
    return f"{path}?lang={language}" if language else path


def redirect_to_statement(request: HttpRequest, address: str) -> HttpResponse:
    """To the statement's own address, on the same page of its comments, in
    the same order."""
    kept = {name: request.GET.get(name) for name in ("order", "page")}
    kept = {name: value for name, value in kept.items() if value}
    if kept:
        address += ("&" if "?" in address else "?") + urlencode(kept)
    return HttpResponsePermanentRedirect(address)


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
    translations = Statement.objects.translations_of(statement)
    set_alternates(
        request,
        {
            other.language: other.get_absolute_url()
            for other in [statement, *translations]
        },
    )
    topics = Statement.objects.topics_of(statement)
    comments_feed_url = reverse("comments:statement_feed", args=[statement.slug])
    context = {
        "translations": translations,
        "statement": statement,
        "topics": topics,
        "comment_form": comment_form,
        "comment_preview": comment_preview,
        "comments_feed_url": comments_feed_url,
        "statement_head": previews.head_html(
            statement,
            translations=translations,
            topics=topics,
            comments_feed_url=comments_feed_url,
        ),
    }
    return render(request, "publishing/statement.html", context, status=status)


@cached_page(tags=[STATEMENT_LIST])
def archive(request: HttpRequest) -> HttpResponse:
    """Every year that has published statements, with how many."""
    language = get_language()
    years = remember(
        STATEMENT_LIST,
        f"archive-years-{language}",
        lambda: _listed().years(language),
        seconds=settings.COMMUNIQUE_PAGE_CACHE_SECONDS,
    )
    return render(request, "publishing/archive.html", {"years": years})


@cached_page(tags=[STATEMENT_LIST])
def archive_year(request: HttpRequest, year: int) -> HttpResponse:
    """The published statements dated in one year of the calendar of the
    page's language (Jalali for Persian), newest first."""
    language = get_language()
    statements = _listed().of_year(year, language).order_by("-date", "-pk")
    page = _page_of(
        request,
        statements,
        settings.COMMUNIQUE_STATEMENTS_PER_PAGE,
        name=f"year-{language}-{year}",
    )
    if not page.object_list:
        raise Http404(_("No statements were published in %(year)s.") % {"year": year})
    set_alternates(request, _same_year_in_each_language(year, language))
    months = remember(
        STATEMENT_LIST,
        f"archive-months-{language}-{year}",
        lambda: _listed().months(year, language),
        seconds=settings.COMMUNIQUE_PAGE_CACHE_SECONDS,
    )
    context = {
        "page": page,
        "year": year,
        "months": [
            (month, localformats.month_name(month, language), count)
            for month, count in months
        ],
    }
    return render(request, "publishing/archive_year.html", context)


@cached_page(tags=[STATEMENT_LIST])
def archive_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """The published statements dated in one month of the calendar of the
    page's language, newest first."""
    language = get_language()
    statements = _listed().of_month(year, month, language).order_by("-date", "-pk")
    page = _page_of(
        request,
        statements,
        settings.COMMUNIQUE_STATEMENTS_PER_PAGE,
        name=f"month-{language}-{year}-{month}",
    )
    if not page.object_list:
        raise Http404(_("No statements were published in that month."))
    set_alternates(request, {language: request.path})
    context = {
        "page": page,
        "year": year,
        "month": month,
        "month_name": localformats.month_name(month, language),
    }
    return render(request, "publishing/archive_month.html", context)


@cached_page(tags=[STATEMENT_LIST])
def topics(request: HttpRequest) -> HttpResponse:
    """The topics of the page's language that published statements carry."""
    found = remember(
        STATEMENT_LIST,
        f"topics-{get_language()}",
        lambda: list(Topic.objects.in_language(get_language()).in_use()),
        seconds=settings.COMMUNIQUE_PAGE_CACHE_SECONDS,
    )
    return render(request, "publishing/topics.html", {"topics": found})


@cached_page(tags=[STATEMENT_LIST])
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    """The statements of one topic, newest first."""
    language = get_language()
    found = Topic.objects.in_language(language).filter(slug=slug).first()
    if found is None:
        raise Http404(_("There is no such topic."))
    statements = Statement.objects.published().about(found).for_lists().newest_first()
    page = _page_of(
        request,
        statements,
        settings.COMMUNIQUE_STATEMENTS_PER_PAGE,
        name=f"topic-{found.pk}",
    )
    set_alternates(request, {language: request.path})
    return render(request, "publishing/topic.html", {"topic": found, "page": page})


def _same_year_in_each_language(year: int, language: str) -> dict[str, str]:
    """The archive year of each language's calendar that holds the middle of
    ``year``: 2022 is ۱۴۰۱ in Persian (which begins in March), and back."""
    first, last = localformats.calendar_year_bounds(year, language)
    middle = first + (last - first) / 2
    urls = {}
    for code, _name in settings.LANGUAGES:
        with override(code):
            urls[code] = reverse(
                "publishing:archive_year",
                args=[localformats.calendar_year(middle, code)],
            )
    return urls
