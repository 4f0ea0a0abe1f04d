from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from communique.publishing.models import Statement


class CommentQuerySet(models.QuerySet):
    """The read vocabulary for comments."""

    def published(self) -> CommentQuerySet:
        return self.filter(status="published")

    def pending(self) -> CommentQuerySet:
        return self.filter(status="pending")

    def on(self, statement: Statement) -> CommentQuerySet:
        return self.filter(statement=statement)

    def visible_on(self, statement: Statement) -> CommentQuerySet:
        """Published comments of ``statement``, in thread order."""
        return self.on(statement).published().order_by("path")

    def threads_on(self, statement: Statement) -> CommentQuerySet:
        """The published top-level comments of ``statement``, oldest first."""
        return self.visible_on(statement).filter(parent__isnull=True).order_by("pk")

    def in_threads(self, thread_ids: list[int]) -> CommentQuerySet:
        return self.filter(thread_id__in=thread_ids).published().order_by("path")
