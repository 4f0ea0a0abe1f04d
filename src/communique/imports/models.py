"""What importers remember: where each item came from, and its old addresses.

``ImportedItem`` ties an item of another system (a WordPress post, a Disqus
comment, a Drupal node) to the statement or comment made from it, with a
digest of the fields read, so that running an import again finds it, updates
it when the source changed, and leaves it alone when it did not. An item
deleted here since keeps its row, without a statement or comment: the next
run skips it rather than bringing it back.

``OldAddress`` keeps the addresses readers and search engines knew the item
by on the old site (``/node/123``, ``/?p=45``, ``/2022/01/slug/``); the site
answers them with a permanent redirect to the new page (``addresses``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from communique.comments.models import Comment
from communique.publishing.models import Statement


class ImportedItem(models.Model):
    source = models.CharField(_("source"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20)
    external_id = models.CharField(_("id in the source"), max_length=200)
    statement = models.ForeignKey(
        Statement,
        verbose_name=_("statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    digest = models.CharField(_("digest of the fields read"), max_length=64)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "external_id"],
                name="imports_one_row_per_source_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.external_id}"


class OldAddress(models.Model):
    # The path and query as ``addresses.normalise`` writes them.
    address = models.CharField(_("old address"), max_length=500, unique=True)
    statement = models.ForeignKey(
        Statement,
        verbose_name=_("statement"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="old_addresses",
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=20, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(statement__isnull=False)
                | models.Q(comment__isnull=False),
                name="imports_old_address_leads_somewhere",
            )
        ]

    def __str__(self) -> str:
        return self.address
