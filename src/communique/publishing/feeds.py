"""Feeds of statements: what the front page of a language lists, everything
the site publishes, and the statements of one topic."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from communique import textformats
from communique.publishing.models import Statement, Topic
from communique.publishing.querysets import StatementQuerySet
from communique.syndication import ENTRIES, Listing, SiteFeed, absolute_url


class StatementFeed(SiteFeed):
    """The newest statements of the front page of the page's language, with
    their full text."""

    def statements(self, listing: Listing) -> StatementQuerySet:
        return Statement.objects.published().listed_in(get_language())

    def items(self, listing: Listing) -> list[Statement]:
        statements = self.statements(listing).prefetch_related("topics")
        return list(statements.newest_first()[:ENTRIES])

    def title(self, listing: Listing) -> str:
        return self.site_name()

    def link(self, listing: Listing) -> str:
        return absolute_url(reverse("publishing:front_page"))

    def description(self, listing: Listing) -> str:
        return _("The newest statements of %(site)s.") % {"site": self.site_name()}

    def item_title(self, statement: Statement) -> str:
        return statement.title

    def item_description(self, statement: Statement) -> str:
        return statement.excerpt

    def item_extra_kwargs(self, statement: Statement) -> dict[str, str]:
        return {
            "content": textformats.stored_html(statement.body_html),
            "language": statement.language,
        }

    def item_pubdate(self, statement: Statement):
        return statement.published_at

    def item_updateddate(self, statement: Statement):
        return max(statement.updated, statement.published_at)

    def item_author_name(self, statement: Statement) -> str | None:
        return statement.signature or None

    def item_categories(self, statement: Statement) -> list[str]:
        return [topic.name for topic in statement.topics.all()]


class EverythingFeed(StatementFeed):
    """Every published statement, in whatever language."""

    def statements(self, listing: Listing) -> StatementQuerySet:
        return Statement.objects.published()

    def title(self, listing: Listing) -> str:
        return _("%(site)s, in every language") % {"site": self.site_name()}


class TopicFeed(StatementFeed):
    """The newest statements of one topic."""

    def subject(self, request: HttpRequest, slug: str) -> Topic:
        topic = Topic.objects.filter(language=get_language(), slug=slug).first()
        if topic is None:
            raise Http404(_("There is no such topic."))
        return topic

    def statements(self, listing: Listing) -> StatementQuerySet:
        return Statement.objects.published().about(listing.subject)

    def title(self, listing: Listing) -> str:
        return f"{listing.subject.name} — {self.site_name()}"

    def link(self, listing: Listing) -> str:
        return absolute_url(listing.subject.get_absolute_url())

    def description(self, listing: Listing) -> str:
        return _("Statements about %(topic)s.") % {"topic": listing.subject.name}
