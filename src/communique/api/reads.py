"""The read endpoints: statements, one statement, topics, a statement's comments.

Their answers are the same for every client, so they are pages of the page
cache like any other (``@cached_page``, tagged with what they show): kept,
sent ``Cache-Control: public`` with an ``ETag``, answered with 304 when the
client has them, and retired when a statement or a comment they show
changes. The query parameters they read are the ones the cache tells apart
(``pagecache.keys.READ_PARAMETERS``): ``page``, ``lang``, ``topic``,
``order``. Every other parameter reaches the same answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Path, Query
from ninja.decorators import decorate_view

from communique.api import schemas
from communique.api.router import router
from communique.api.schemas import MAX_ID, Error
from communique.comments import articles, display
from communique.comments.models import Comment
from communique.comments.services import accepts_comments, shows_comments
from communique.pagecache import cached_page, tag_page
from communique.pagecache.tags import STATEMENT_LIST, remember, statement_tag
from communique.pagination import KnownCountPaginator
from communique.publishing.models import Statement, Topic

View = Callable[..., Any]
STATEMENTS_PER_PAGE = 20
LANGUAGE = r"^[a-z]{2,3}(-[a-zA-Z0-9]{2,8})?$"
SLUG = r"^[-\w]+$"
# Any request may be refused as unreadable (400: a NUL in the address) or
# find a part of the site not answering (503).
REFUSALS = {400: Error, 422: Error, 503: Error}
NOT_FOUND = {404: Error, **REFUSALS}

StatementId = Path(..., ge=1, le=MAX_ID, description="The statement's id.")
PageNumber = Query(1, ge=1, le=10**9, description="The page, from 1.")
LanguageCode = Query(
    None, max_length=12, pattern=LANGUAGE, description="A language code: en, fa."
)


def read(path: str, **options: Any) -> Callable[[View], View]:
    """Register a GET endpoint that answers HEAD too, as pages do (the page
    cache answers HEAD for what it holds). HEAD stays out of the document,
    where an operation id names one operation only."""

    def register(view: View) -> View:
        router.api_operation(["HEAD"], path, include_in_schema=False, **options)(view)
        return router.get(path, **options)(view)

    return register


def _page_of(
    request: HttpRequest, paginator: Paginator, number: int, what: str
) -> Page:
    try:
        return paginator.page(number)
    except InvalidPage as error:
        raise Http404(
            _("There is no page %(number)s of %(what)s.")
            % {"number": number, "what": what}
        ) from error


def _check_language(lang: str | None) -> None:
    """A language no published statement is in is no list (404): answers
    for every code a client can make up would each be kept in the cache."""
    if not lang:
        return
    languages = remember(
        STATEMENT_LIST,
        "api-languages",
        lambda: set(
            Statement.objects.published()
            .order_by()
            .values_list("language", flat=True)
            .distinct()
        ),
        seconds=settings.COMMUNIQUE_PAGE_CACHE_SECONDS,
    )
    if lang not in languages:
        raise Http404(_("There are no statements in this language."))


def _page_address(request: HttpRequest, number: int | None) -> str | None:
    """The address of another page of the same list, or None."""
    if number is None:
        return None
    query = {name: value for name, value in request.GET.items() if name != "page"}
    kept = {name: query[name] for name in ("lang", "topic", "order") if name in query}
    if number > 1:
        kept["page"] = str(number)
    suffix = f"?{urlencode(kept)}" if kept else ""
    return request.build_absolute_uri(request.path + suffix)


def _page_fields(request: HttpRequest, page) -> dict:
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": _page_address(
            request, page.next_page_number() if page.has_next() else None
        ),
        "previous": _page_address(
            request, page.previous_page_number() if page.has_previous() else None
        ),
    }


def _topic_ref(request: HttpRequest, topic: Topic) -> dict:
    return {
        "name": topic.name,
        "slug": topic.slug,
        "url": request.build_absolute_uri(topic.get_absolute_url()),
    }


def _summary(
    request: HttpRequest, statement: Statement, topics: list[Topic], comments: int
) -> dict:
    return {
        "id": statement.pk,
        "title": statement.title,
        "slug": statement.slug,
        "language": statement.language,
        "signature": statement.signature,
        "date": statement.date,
        "published_at": statement.published_at,
        "updated": statement.updated,
        "excerpt": statement.excerpt,
        "url": request.build_absolute_uri(statement.get_absolute_url()),
        "topics": [_topic_ref(request, topic) for topic in topics],
        "comment_count": comments if shows_comments(statement) else 0,
    }


@read(
    "/statements/",
    response={200: schemas.StatementPage, **NOT_FOUND},
    summary="Published statements, newest first",
    tags=["read"],
)
@decorate_view(cached_page(tags=[STATEMENT_LIST]))
def statements(
    request: HttpRequest,
    lang: str | None = LanguageCode,
    topic: str | None = Query(
        None, max_length=100, pattern=SLUG, description="A topic's slug."
    ),
    page: int = PageNumber,
) -> dict:
    """Published statements, newest first, a page at a time; only those of one
    language (``lang``) or about one topic (``topic``, in ``lang`` if given)."""
    _check_language(lang)
    found = Statement.objects.published()
    if lang:
        found = found.filter(language=lang)
    if topic:
        topics = Topic.objects.filter(slug=topic)
        if lang:
            topics = topics.in_language(lang)
        topic_ids = list(topics.values_list("pk", flat=True))
        if not topic_ids:
            raise Http404(_("There is no such topic."))
        found = found.filter(topics__in=topic_ids).distinct()
    found = found.for_lists().newest_first().prefetch_related("topics")
    count = remember(
        STATEMENT_LIST,
        f"api-statements-{lang}-{topic}",
        found.count,
        seconds=settings.COMMUNIQUE_PAGE_CACHE_SECONDS,
    )
    paginator = KnownCountPaginator(found, STATEMENTS_PER_PAGE, count=count)
    listed = _page_of(request, paginator, page, _("statements"))
    shown = list(listed.object_list)
    counts = Statement.objects.comment_counts([s.pk for s in shown])
    return {
        **_page_fields(request, listed),
        "results": [
            _summary(request, s, list(s.topics.all()), counts.get(s.pk, 0))
            for s in shown
        ],
    }


def published_statement(statement_id: int) -> Statement:
    found = Statement.objects.published().filter(pk=statement_id).first()
    if found is None:
        raise Http404(_("There is no published statement with this id."))
    return found


@read(
    "/statements/{statement_id}/",
    response={200: schemas.Statement, **NOT_FOUND},
    summary="One published statement",
    tags=["read"],
)
@decorate_view(cached_page)
def statement(request: HttpRequest, statement_id: int = StatementId) -> dict:
    """One published statement with its body, topics and translations."""
    found = published_statement(statement_id)
    tag_page(request, statement_tag(found.pk))
    count = Statement.objects.comment_counts([found.pk]).get(found.pk, 0)
    topics = Statement.objects.topics_of(found)
    return {
        **_summary(request, found, topics, count),
        "body_html": found.body_html,
        "translations": [
            {
                "id": other.pk,
                "language": other.language,
                "title": other.title,
                "url": request.build_absolute_uri(other.get_absolute_url()),
            }
            for other in Statement.objects.translations_of(found)
        ],
        "comments_shown": shows_comments(found),
        "comments_open": accepts_comments(found),
    }


@read(
    "/topics/",
    response={200: schemas.TopicList, 404: Error, **REFUSALS},
    summary="Topics that published statements carry",
    tags=["read"],
)
@decorate_view(cached_page(tags=[STATEMENT_LIST]))
def topics(request: HttpRequest, lang: str | None = LanguageCode) -> dict:
    """The topics published statements carry, the most used first; only one
    language's with ``lang``."""
    _check_language(lang)
    found = Topic.objects.all()
    if lang:
        found = found.in_language(lang)
    return {
        "results": [
            {
                **_topic_ref(request, topic),
                "language": topic.language,
                "statement_count": topic.statement_count,
            }
            for topic in found.in_use()
        ]
    }


def _comment(request: HttpRequest, comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "depth": comment.depth,
        "author_name": comment.author_name,
        "subject": comment.subject,
        "created": comment.created,
        "edited": comment.edited,
        "body_html": comment.body_html,
        "permalink": request.build_absolute_uri(
            reverse("comments:permalink", args=[comment.pk])
        ),
    }


@read(
    "/statements/{statement_id}/comments/",
    response={200: schemas.CommentPage, **NOT_FOUND},
    summary="A statement's published comments, in threads",
    tags=["read"],
)
@decorate_view(cached_page)
def comments(
    request: HttpRequest,
    statement_id: int = StatementId,
    page: int = PageNumber,
    order: str | None = Query(
        None,
        pattern="^(oldest|newest)$",
        description="Threads oldest or newest first; the site's order by default.",
    ),
) -> dict:
    """A statement's published comments, a page of threads at a time, each
    thread in order (a reply after what it answers)."""
    found = published_statement(statement_id)
    tag_page(request, statement_tag(found.pk))
    if not shows_comments(found):
        raise Http404(_("The comments of this statement are not shown."))
    newest_first = (order or display.site_order()) == "newest"
    threads = Comment.objects.threads_on(found)
    if newest_first:
        threads = threads.order_by("-pk")
    paginator = Paginator(threads.values_list("pk", flat=True), _comments_per_page())
    listed = _page_of(request, paginator, page, _("comments"))
    thread_ids = list(listed.object_list)
    rows = Comment.objects.in_threads(thread_ids).only(*COMMENT_FIELDS)
    if newest_first:
        position = {pk: index for index, pk in enumerate(thread_ids)}
        rows = sorted(rows, key=lambda row: position[row.thread_id])
    shown = articles.shown_in_order(list(rows))
    return {
        **_page_fields(request, listed),
        "results": [_comment(request, comment) for comment in shown],
    }


COMMENT_FIELDS = (
    "parent_id",
    "thread_id",
    "depth",
    "author_name",
    "subject",
    "created",
    "edited",
    "body_html",
    "path",
)


def _comments_per_page() -> int:
    return settings.COMMUNIQUE_COMMENTS_PER_PAGE
