"""Feeds of published comments: those of one statement, and the newest of
the statements the page's language lists."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from communique.comments.models import Comment
from communique.comments.querysets import CommentQuerySet
from communique.pagecache import tag_page
from communique.pagecache.tags import statement_tag
from communique.publishing.models import Statement
from communique.syndication import ENTRIES, Listing, SiteFeed, absolute_url


class CommentFeed(SiteFeed):
    """The newest published comments under the statements the front page of
    the page's language lists."""

    def comments(self, listing: Listing) -> CommentQuerySet:
        listed = Statement.objects.published().listed_in(get_language())
        return Comment.objects.shown_to_readers().filter(statement__in=listed)

    def items(self, listing: Listing) -> list[Comment]:
        comments = self.comments(listing).select_related("statement")
        return list(comments.order_by("-created", "-pk")[:ENTRIES])

    def quiet_since(self, listing: Listing) -> Any:
        """No comment yet: when the newest listed statement was published."""
        newest = Statement.objects.published().listed_in(get_language())
        return newest.aggregate(latest=Max("published_at"))["latest"]

    def title(self, listing: Listing) -> str:
        return _("Comments — %(site)s") % {"site": self.site_name()}

    def link(self, listing: Listing) -> str:
        return absolute_url(reverse("publishing:front_page"))

    def description(self, listing: Listing) -> str:
        return _("The newest comments of readers.")

    def item_title(self, comment: Comment) -> str:
        return _("%(name)s on “%(statement)s”") % {
            "name": comment.author_name,
            "statement": comment.statement.title,
        }

    def item_description(self, comment: Comment) -> str:
        return comment.body_html

    def item_extra_kwargs(self, comment: Comment) -> dict[str, str]:
        return {"language": comment.language or comment.statement.language}

    def item_pubdate(self, comment: Comment):
        return comment.created

    def item_updateddate(self, comment: Comment):
        return comment.edited or comment.created

    def item_author_name(self, comment: Comment) -> str:
        return comment.author_name


class StatementCommentFeed(CommentFeed):
    """The newest published comments of one statement, whose comments are
    shown."""

    def subject(self, request: HttpRequest, slug: str) -> Statement:
        statement = Statement.objects.find(
            slug,
            language=None,
            preferred=request.GET.get("lang") or get_language(),
            user=request.user,
        )
        if (
            statement is None
            or not statement.is_public
            or statement.commenting == Statement.Commenting.HIDDEN
        ):
            raise Http404(_("This statement has no comments to follow."))
        tag_page(request, statement_tag(statement.pk))
        return statement

    def comments(self, listing: Listing) -> CommentQuerySet:
        return Comment.objects.published().on(listing.subject)

    def quiet_since(self, listing: Listing) -> Any:
        return listing.subject.published_at

    def title(self, listing: Listing) -> str:
        return _("Comments on “%(statement)s”") % {"statement": listing.subject.title}

    def link(self, listing: Listing) -> str:
        return absolute_url(listing.subject.get_absolute_url())

    def description(self, listing: Listing) -> str:
        return _("Readers' comments on “%(statement)s”, newest first.") % {
            "statement": listing.subject.title
        }

    def item_title(self, comment: Comment) -> str:
        return comment.subject or _("Comment by %(name)s") % {
            "name": comment.author_name
        }
