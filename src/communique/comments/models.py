from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from communique import textformats
from communique.comments.querysets import CommentQuerySet
from communique.publishing.models import Statement

PATH_DIGITS = 10
COMMENT_FORMAT = "plain_text"
SUBJECT_WORDS = 8
SUBJECT_LENGTH = 120


def subject_from(body: str) -> str:
    """The first words of a body, for a comment whose author gave no subject."""
    words = Truncator(" ".join(body.split())).words(SUBJECT_WORDS, truncate="…")
    return Truncator(words).chars(SUBJECT_LENGTH)


def path_segment(pk: int) -> str:
    """One step of a thread path: ids padded so that paths sort as text."""
    return f"{pk:0{PATH_DIGITS}d}"


class Comment(models.Model):
    """A reader's comment on a statement, possibly a reply to another."""

    # What render_body() derives from the source (`communique rebuild_html`).
    DERIVED_FIELDS: ClassVar[tuple[str, ...]] = ("body_html", "body_digest")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PUBLISHED = "published", _("Published")
        SPAM = "spam", _("Spam")
        DELETED = "deleted", _("Deleted")

    statement = models.ForeignKey(
        Statement,
        verbose_name=_("statement"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    thread = models.ForeignKey(
        "self",
        verbose_name=_("thread"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The top-level comment this one belongs under."),
    )
    path = models.CharField(
        _("thread path"), max_length=255, default="", editable=False
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=1)
    author_name = models.CharField(_("name"), max_length=60)
    email = models.EmailField(_("e-mail"), blank=True)
    homepage = models.URLField(
        _("homepage"), blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_LENGTH, blank=True)
    body_source = models.TextField(_("comment"))
    body_html = models.TextField(_("rendered comment"), editable=False, default="")
    # The body as the duplicate rule compares it: one equality lookup, among
    # the client's recent comments, finds another spelling of the same text.
    body_digest = models.CharField(
        _("text digest"), max_length=64, editable=False, default=""
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.PENDING,
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    edited = models.DateTimeField(_("edited"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    fingerprint = models.CharField(
        _("client fingerprint"),
        max_length=64,
        blank=True,
        help_text=_("A keyed hash of the client's address; the address is not kept."),
    )
    language = models.CharField(_("language"), max_length=12, blank=True)
    # Why it was held for a moderator, as codes (comments.holds names them).
    held_because = models.JSONField(
        _("held because"), default=list, blank=True, editable=False
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["statement", "status", "path"]),
            models.Index(fields=["status", "created"]),
            models.Index(fields=["thread", "status", "path"]),
            models.Index(fields=["fingerprint", "created"]),
        ]
        permissions = [
            ("skip_approval", _("Can post comments without approval")),
            ("moderate_comments", _("Can moderate comments")),
        ]

    def __str__(self) -> str:
        return self.subject or self.body_source[:40]

    def get_absolute_url(self) -> str:
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @property
    def body(self) -> SafeString:
        return textformats.stored_html(self.body_html)

    @property
    def has_own_subject(self) -> bool:
        """The author wrote a subject, rather than it being the body's first words."""
        return bool(self.subject) and self.subject != subject_from(self.body_source)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def render_body(self) -> None:
        """Derive ``body_html`` and ``body_digest`` from the source. Services
        call it before saving."""
        self.body_html = textformats.render(COMMENT_FORMAT, self.body_source)
        self.body_digest = textformats.digest_for_matching(self.body_source)


class CommentRevision(models.Model):
    """A comment's text as it was before an edit."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="revisions"
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_LENGTH, blank=True)
    body_source = models.TextField(_("comment"))
    replaced_at = models.DateTimeField(_("replaced at"), auto_now_add=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("comment revision")
        verbose_name_plural = _("comment revisions")
        ordering = ["-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.comment_id} @ {self.replaced_at:%Y-%m-%d %H:%M}"


class PendingEdit(models.Model):
    """An edit of a published comment that waits for a moderator.

    Readers go on seeing the comment's approved text; approving the edit
    publishes this one (the approved text is kept as a revision), rejecting it
    drops it. A comment has at most one: a newer edit replaces it.
    """

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, related_name="pending_edit"
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_LENGTH, blank=True)
    body_source = models.TextField(_("comment"))
    body_html = models.TextField(_("rendered comment"), editable=False, default="")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What held it: a spam rule's reason, or "approval" when the editor's
    # comments wait for approval anyway.
    reason = models.CharField(_("held because"), max_length=32, blank=True)
    proposed_at = models.DateTimeField(_("proposed at"), db_index=True)

    class Meta:
        verbose_name = _("pending edit")
        verbose_name_plural = _("pending edits")
        ordering = ["-proposed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.comment_id} @ {self.proposed_at:%Y-%m-%d %H:%M}"

    @property
    def body(self) -> SafeString:
        return textformats.stored_html(self.body_html)


class ModerationAction(models.Model):
    """Who changed a comment's status, when, and from what to what."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        SPAM = "spam", _("Marked as spam")
        DELETE = "delete", _("Deleted")
        UNDELETE = "undelete", _("Restored")
        EDIT = "edit", _("Edited")
        APPROVE_EDIT = "approve_edit", _("Edit approved")
        REJECT_EDIT = "reject_edit", _("Edit rejected")
        UNDO = "undo", _("Undone")

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="moderation_actions"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_status = models.CharField(
        _("from"), max_length=12, choices=Comment.Status.choices
    )
    to_status = models.CharField(_("to"), max_length=12, choices=Comment.Status.choices)
    created = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # The actions one click or one bulk form made share a batch; undoing one
    # records its reversal under the same batch.
    batch = models.UUIDField(_("batch"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.comment_id}"


class ModeratorNotification(models.Model):
    """When a moderator was last mailed about pending comments."""

    moderator = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    last_sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.moderator} @ {self.last_sent_at:%Y-%m-%d %H:%M}"


class ReplySubscription(models.Model):
    """An address to mail when someone replies in a thread (``replies``).

    Nothing is mailed before ``confirmed_at`` is set by the link of the
    confirmation mail; unsubscribing deletes the row, address and all.
    """

    thread = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="+", verbose_name=_("thread")
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=12, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_mailed_at = models.DateTimeField(_("last mailed"), null=True, blank=True)
    mailed = models.ManyToManyField(Comment, related_name="+", blank=True)

    class Meta:
        verbose_name = _("reply subscription")
        verbose_name_plural = _("reply subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "email"], name="comments_one_subscription_per_thread"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} on {self.thread_id}"
