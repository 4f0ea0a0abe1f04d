"""What the statement page shows of its comments: one page of threads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import InvalidPage, Page
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from communique.captcha import policy as captcha_policy
from communique.comments import articles, blank_form
from communique.comments.edits import can_edit
from communique.comments.forms import CommentForm
from communique.comments.models import Comment
from communique.comments.services import accepts_comments
from communique.pagecache.tags import remember, statement_tag
from communique.pagination import KnownCountPaginator, page_links
from communique.worker_memory import Kept

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from communique.accounts.models import User
    from communique.publishing.models import Statement

_kept_navigations: Kept[tuple, dict[str, Any]] = Kept("comment navigation", size=1000)

PAGE_PARAMETER = "page"
ORDER_PARAMETER = "order"
ORDERS = ("oldest", "newest")


def site_order() -> str:
    """The order the site shows comments in by default (``COMMENTS_ORDER``)."""
    return settings.COMMUNIQUE_COMMENTS_ORDER


def read_order(request: HttpRequest) -> str:
    """The order ``?order=`` asks for, else the site's. Anything but a known
    order is no page, as a page number that is not one is (404)."""
    order = request.GET.get(ORDER_PARAMETER) or site_order()
    if order not in ORDERS:
        raise Http404(_("There is no such order of comments."))
    return order


def thread_page_number(comment: Comment) -> int:
    """The page of the statement's comments on which ``comment`` stands, in
    the site's order."""
    root_pk = comment.thread_id or comment.pk
    threads = Comment.objects.threads_on(comment.statement)
    if site_order() == "newest":
        before = threads.filter(pk__gt=root_pk)
    else:
        before = threads.filter(pk__lt=root_pk)
    return before.count() // settings.COMMUNIQUE_COMMENTS_PER_PAGE + 1


def comment_location(comment: Comment) -> str:
    """The statement page address that shows ``comment``, with a jump to it."""
    url = comment.statement.get_absolute_url()
    page = thread_page_number(comment)
    if page > 1:
        url += ("&" if "?" in url else "?") + f"{PAGE_PARAMETER}={page}"
    return f"{url}#comment-{comment.pk}"


def page_address(
    statement: Statement, *, page: int, order: str, fragment: str = "#comments"
) -> str:
    """The address of one page of ``statement``'s comments in ``order``: the
    order named only when it is not the site's, page 1 without a number."""
    url = statement.get_absolute_url()
    query = {}
    if order != site_order():
        query[ORDER_PARAMETER] = order
    if page > 1:
        query[PAGE_PARAMETER] = page
    if query:
        url += ("&" if "?" in url else "?") + urlencode(query)
    return url + fragment


def _editable_by(user: User | AnonymousUser, ids: list[int]) -> set[int]:
    """Which of the comments ``ids`` ``user`` may edit (none for readers)."""
    if not user.is_authenticated:
        return set()
    return {
        comment.pk
        for comment in Comment.objects.filter(pk__in=ids)
        if can_edit(comment, user)
    }


def _figures_of(statement: Statement) -> tuple[int, int, int | None]:
    """(published comments, published threads, the newest thread's id) under
    ``statement``: one query."""
    threads = Q(parent__isnull=True)
    figures = Comment.objects.visible_on(statement).aggregate(
        comments=Count("pk"),
        threads=Count("pk", filter=threads),
        newest=Max("pk", filter=threads),
    )
    return figures["comments"], figures["threads"], figures["newest"]


def _tools_html(
    *, form_shown: bool, newest_url: str | None, other_orders: list[tuple[str, str]]
) -> SafeString:
    """The links above the comments: past them to the form, to the newest, to
    the other order."""
    context = {
        "form_shown": form_shown,
        "newest_url": newest_url,
        "other_orders": other_orders,
    }
    return SafeString(render_to_string("comments/_tools.html", context))


def _kept_navigation(
    statement: Statement,
    page: Page,
    *,
    order: str,
    newest_thread: int | None,
    comment_count: int,
    form_shown: bool,
) -> dict[str, Any]:
    """The links between pages and orders, and those above the comments. The
    same for every reader of a page: each worker makes them once and keeps
    them (addresses and a template render would cost every request)."""
    key = (
        get_language(),
        statement.get_absolute_url(),
        page.number,
        page.paginator.count,
        settings.COMMUNIQUE_COMMENTS_PER_PAGE,
        order,
        site_order(),
        newest_thread,
        comment_count,
        form_shown,
    )
    navigation = _kept_navigations.get(key)
    if navigation is None:
        navigation = _navigation(statement, page, order, newest_thread)
        navigation["comment_tools"] = (
            _tools_html(
                form_shown=form_shown,
                newest_url=navigation["comment_newest_url"],
                other_orders=navigation["comment_other_orders"],
            )
            if comment_count
            else ""
        )
        _kept_navigations.put(key, navigation)
    return navigation


def _navigation(
    statement: Statement, page: Page, order: str, newest_thread: int | None
) -> dict[str, Any]:
    """The links between pages and orders (only where there is somewhere to go)."""
    paginator = page.paginator
    newest_page = 1 if order == "newest" else paginator.num_pages
    # Every name the templates ask for is set: a missing one costs an
    # exception and a log call per request.
    context: dict[str, Any] = {
        "comment_order": order,
        "comment_other_orders": [],
        "comment_newest_url": None,
        "comment_page_links": None,
        "comment_previous_url": None,
        "comment_next_url": None,
    }
    if paginator.count > 1:
        context["comment_other_orders"] = [
            (other, page_address(statement, page=1, order=other))
            for other in ORDERS
            if other != order
        ]
    if page.number != newest_page and newest_thread is not None:
        fragment = "#comments" if order == "newest" else f"#comment-{newest_thread}"
        context["comment_newest_url"] = page_address(
            statement, page=newest_page, order=order, fragment=fragment
        )
    if page.has_other_pages():
        context["comment_page_links"] = page_links(
            page, lambda number: page_address(statement, page=number, order=order)
        )
        if page.has_previous():
            context["comment_previous_url"] = page_address(
                statement, page=page.previous_page_number(), order=order
            )
        if page.has_next():
            context["comment_next_url"] = page_address(
                statement, page=page.next_page_number(), order=order
            )
    return context


def comment_section(
    request: HttpRequest,
    statement: Statement,
    *,
    form: CommentForm | None = None,
    preview: Comment | None = None,
) -> dict[str, Any]:
    """The template context for the comments under a statement."""
    if statement.commenting == statement.Commenting.HIDDEN:
        # A form sent just as comments were hidden still comes back, with its
        # text and the reason, so that nothing typed is lost.
        return {
            "comments_shown": False,
            "comments_open": False,
            "comment_form": form,
            "comment_form_html": None,
            "comment_preview": preview,
        }
    order = read_order(request)
    accepting = accepts_comments(statement)
    comment_count, thread_count, newest_thread = remember(
        statement_tag(statement.pk),
        f"comment-figures:{statement.pk}",
        lambda: _figures_of(statement),
        seconds=settings.COMMUNIQUE_PAGE_CACHE_SECONDS,
    )
    # The paginator numbers the threads; one query reads the page's comments.
    paginator = KnownCountPaginator(
        range(thread_count), settings.COMMUNIQUE_COMMENTS_PER_PAGE, count=thread_count
    )
    try:
        page = paginator.page(request.GET.get(PAGE_PARAMETER) or 1)
    except InvalidPage as error:
        raise Http404(_("There is no such page of comments.")) from error
    threads = page.object_list
    rows = articles.shown_in_order(
        Comment.objects.threads_page(
            statement.pk,
            start=threads.start,
            stop=threads.stop,
            newest_first=order == "newest",
        )
    )
    navigation = _kept_navigation(
        statement,
        page,
        order=order,
        newest_thread=newest_thread,
        comment_count=comment_count,
        form_shown=accepting or form is not None,
    )
    form_html = None
    if form is None and accepting:
        form_html = blank_form.render(
            request,
            statement,
            captcha=captcha_policy.is_required(request, "comment"),
        )
    return {
        "comments_shown": True,
        "comments_open": accepting,
        # A draft or scheduled statement whose comments will be open.
        "comments_wait": not statement.is_public
        and statement.commenting == statement.Commenting.OPEN,
        "comment_articles": articles.articles_html(
            rows,
            replies_allowed=accepting,
            editable=_editable_by(request.user, [row.pk for row in rows]),
        ),
        "comment_page": page,
        **navigation,
        "comment_count": comment_count,
        "comment_form": form,
        "comment_form_html": form_html,
        "comment_preview": preview,
    }
