"""What the statement page shows of its comments: one page of threads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from communique.captcha import policy as captcha_policy
from communique.comments import articles, blank_form
from communique.comments.forms import CommentForm
from communique.comments.models import Comment
from communique.comments.services import accepts_comments, can_edit
from communique.pagecache.tags import remember, statement_tag
from communique.pagination import KnownCountPaginator

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from communique.accounts.models import User
    from communique.publishing.models import Statement

PAGE_PARAMETER = "page"


def thread_page_number(comment: Comment) -> int:
    """The page of the statement's comments on which ``comment`` stands."""
    root_pk = comment.thread_id or comment.pk
    earlier = Comment.objects.threads_on(comment.statement).filter(pk__lt=root_pk)
    return earlier.count() // settings.COMMUNIQUE_COMMENTS_PER_PAGE + 1


def comment_location(comment: Comment) -> str:
    """The statement page address that shows ``comment``, with a jump to it."""
    url = comment.statement.get_absolute_url()
    page = thread_page_number(comment)
    if page > 1:
        url += ("&" if "?" in url else "?") + f"{PAGE_PARAMETER}={page}"
    return f"{url}#comment-{comment.pk}"


def _editable_by(user: User | AnonymousUser, ids: list[int]) -> set[int]:
    """Which of the comments ``ids`` ``user`` may edit (none for readers)."""
    if not user.is_authenticated:
        return set()
    return {
        comment.pk
        for comment in Comment.objects.filter(pk__in=ids)
        if can_edit(comment, user)
    }


def _counts_of(statement: Statement) -> tuple[int, int]:
    """(published comments, published threads) under ``statement``."""
    published = Comment.objects.visible_on(statement)
    return published.count(), published.filter(parent__isnull=True).count()


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
    comment_count, thread_count = remember(
        statement_tag(statement.pk),
        f"comment-counts:{statement.pk}",
        lambda: _counts_of(statement),
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
            statement.pk, start=threads.start, stop=threads.stop
        )
    )
    form_html = None
    if form is None and accepts_comments(statement):
        form_html = blank_form.render(
            request,
            statement,
            captcha=captcha_policy.is_required(request, "comment"),
        )
    return {
        "comments_shown": True,
        "comments_open": accepts_comments(statement),
        # A draft or scheduled statement whose comments will be open.
        "comments_wait": not statement.is_public
        and statement.commenting == statement.Commenting.OPEN,
        "comment_articles": articles.articles_html(
            rows,
            replies_allowed=accepts_comments(statement),
            editable=_editable_by(request.user, [row.pk for row in rows]),
        ),
        "comment_page": page,
        "comment_page_query": urlencode(
            {"lang": statement.language}
            if statement.language != settings.LANGUAGE_CODE
            else {}
        ),
        "comment_count": comment_count,
        "comment_form": form,
        "comment_form_html": form_html,
        "comment_preview": preview,
    }
