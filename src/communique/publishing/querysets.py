from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from communique import localformats, reads

if TYPE_CHECKING:
    from communique.accounts.models import User
    from communique.publishing.models import Statement, Topic


class StatementQuerySet(models.QuerySet):
    """The read vocabulary for statements, shared by pages, feeds and search."""

    def published(self) -> StatementQuerySet:
        """Statements a reader may see: published, and their time has come."""
        return self.filter(
            status="published", published_at__lte=timezone.now(), trashed_at=None
        )

    def not_trashed(self) -> StatementQuerySet:
        return self.filter(trashed_at=None)

    def trashed(self) -> StatementQuerySet:
        return self.exclude(trashed_at=None)

    def comment_counts(self, ids: list[int]) -> dict[int, int]:
        """The number of published comments of each statement in ``ids`` (a
        page's worth: counting them for every statement before the page is cut
        would read every comment)."""
        rows = (
            self.model.objects.filter(pk__in=ids)
            .annotate(
                count=models.Count(
                    "comments", filter=models.Q(comments__status="published")
                )
            )
            .values_list("pk", "count")
        )
        return dict(rows)

    def for_lists(self) -> StatementQuerySet:
        """Without the bodies, which lists show only as the stored excerpt."""
        return self.defer("body_source", "body_html")

    def newest_first(self) -> StatementQuerySet:
        return self.order_by("-published_at", "-date", "-pk")

    def listed_in(self, language: str) -> StatementQuerySet:
        """What the lists of ``language`` show: its statements, and those of
        other languages that have no published translation into it (shown in
        their own language rather than hidden from its readers), unless
        ``COMMUNIQUE_LIST_UNTRANSLATED`` is off."""
        if not settings.COMMUNIQUE_LIST_UNTRANSLATED:
            return self.filter(language=language)
        translated = self.model.objects.published().filter(language=language)
        return self.filter(
            models.Q(language=language)
            | ~models.Q(family__in=translated.values("family"))
        )

    def translations_of(self, statement: Statement) -> list[Statement]:
        """The published statements in other languages that translate
        ``statement``, or that it translates: one per language, by language
        code. Read by family (``reads.statements_of_family``); filters
        already on the queryset do not apply."""
        found: dict[str, Statement] = {}
        family = reads.statements_of_family(self.model, statement.family, using=self.db)
        for other in sorted(family, key=lambda s: (s.language, s.pk)):
            if other.language != statement.language and other.is_public:
                found.setdefault(other.language, other)
        return list(found.values())

    def topics_of(self, statement: Statement) -> list[Topic]:
        """The topics of ``statement``, by name. Read by hand
        (``reads.related_of``): every statement page asks."""
        return reads.related_of(self.model, "topics", statement.pk, using=self.db)

    def of_year(self, year: int, language: str | None = None) -> StatementQuerySet:
        """Dated in ``year`` of the calendar of ``language`` (the Jalali
        calendar's for Persian); none for a year the calendar cannot hold."""
        try:
            first, last = localformats.calendar_year_bounds(year, language)
        except ValueError:
            return self.none()
        return self.filter(date__range=(first, last))

    def of_month(
        self, year: int, month: int, language: str | None = None
    ) -> StatementQuerySet:
        """Dated in ``month`` of ``year`` of the calendar of ``language``."""
        try:
            first, last = localformats.calendar_month_bounds(year, month, language)
        except ValueError:
            return self.none()
        return self.filter(date__range=(first, last))

    def months(self, year: int, language: str | None = None) -> list[tuple[int, int]]:
        """(month, number of statements) pairs of ``year`` in the calendar of
        ``language``, from the first month."""
        counts = Counter(
            localformats.calendar_month(day, language)[1]
            for day in self.of_year(year, language).values_list("date", flat=True)
        )
        return sorted(counts.items())

    def about(self, topic: Topic) -> StatementQuerySet:
        return self.filter(topics=topic)

    def years(self, language: str | None = None) -> list[tuple[int, int]]:
        """(year, number of statements) pairs in the calendar of ``language``,
        newest year first."""
        if localformats.uses_jalali(language):
            counts = Counter(
                localformats.calendar_year(day, language)
                for day in self.values_list("date", flat=True)
            )
            return sorted(counts.items(), reverse=True)
        rows = (
            self.annotate(year=models.functions.ExtractYear("date"))
            .values("year")
            .annotate(count=models.Count("pk"))
            .order_by("-year")
        )
        return [(row["year"], row["count"]) for row in rows]

    def find(
        self, slug: str, *, language: str | None, preferred: str, user: User
    ) -> Statement | None:
        """The statement at ``slug`` that ``user`` may open, or None.

        Slugs are unique per language, so translations may share one: with no
        ``language`` asked for, the ``preferred`` one comes first, then the
        others by language code. Reads the few statements with that slug
        through its index and orders and judges them in Python: with every
        published statement matching the visibility filters, a database may
        otherwise choose to scan them all. Filters already on the queryset do
        not apply.
        """
        staff = user.is_active and user.is_staff
        statements = reads.statements_at_slug(self.model, slug, language, using=self.db)
        for statement in sorted(
            statements, key=lambda s: (s.language != preferred, s.language)
        ):
            if statement.trashed_at is None and (staff or statement.is_public):
                return statement
        return None


class TopicQuerySet(models.QuerySet):
    """The read vocabulary for topics."""

    def in_language(self, language: str) -> TopicQuerySet:
        return self.filter(language=language)

    def in_use(self) -> TopicQuerySet:
        """Topics that published statements carry, each with how many
        (``statement_count``), the most used first."""
        statements = self.model._meta.get_field("statements").related_model
        published = models.Q(statements__in=statements.objects.published().values("pk"))
        return (
            self.annotate(statement_count=models.Count("statements", filter=published))
            .filter(statement_count__gt=0)
            .order_by("-statement_count", "name")
        )
