from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from communique import textformats
from communique.publishing.languages import (
    language_is_bidi,
    language_name,
    validate_language_code,
)
from communique.publishing.querysets import StatementQuerySet, TopicQuerySet

EXCERPT_WORDS = 40
BODY_FORMAT_CHOICES = [
    (name, textformats.get_format(name).label) for name in textformats.EDITOR_FORMATS
]


class Topic(models.Model):
    """What statements are about, chosen by editors: a topic belongs to one
    language, as its statements do, and has a page and a feed of its own."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.CharField(
        _("slug"),
        max_length=100,
        validators=[textformats.validate_slug],
        help_text=_("The last part of the topic's web address."),
    )
    language = models.CharField(
        _("language"),
        max_length=12,
        default="en",
        validators=[validate_language_code],
        help_text=_("The language of its name and of its statements."),
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["language", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"],
                name="publishing_topic_unique_slug_per_language",
                violation_error_message=_(
                    "Another topic in this language already has this slug."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _address_in(self.language, "publishing:topic", self.slug)

    @property
    def is_bidi(self) -> bool:
        return language_is_bidi(self.language)


def _address_in(language: str, name: str, slug: str) -> str:
    """The address of a page in ``language``: under its prefix when the site
    offers the language, else the default language's with ``?lang=``."""
    if language in dict(settings.LANGUAGES):
        with translation.override(language):
            return reverse(name, kwargs={"slug": slug})
    return f"{reverse(name, kwargs={'slug': slug})}?lang={language}"


class Statement(models.Model):
    """A public statement: what was said, who signed it, and when."""

    # What render_body() derives from the source (`communique rebuild_html`).
    DERIVED_FIELDS: ClassVar[tuple[str, ...]] = ("body_html", "excerpt")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Commenting(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        HIDDEN = "hidden", _("Hidden")

    class Moderation(models.TextChoices):
        SITE_DEFAULT = "", _("As the site's default")
        BEFORE = "before", _("Before publishing")
        AFTER = "after", _("After publishing")

    title = models.CharField(_("title"), max_length=200)
    # A slug that may keep a half-space (U+200C) inside Persian words, which
    # SlugField's validator refuses.
    slug = models.CharField(
        _("slug"),
        max_length=200,
        db_index=True,
        validators=[textformats.validate_slug],
        help_text=_(
            "The last part of the statement's web address. "
            "Made from the title when left empty."
        ),
    )
    body_source = models.TextField(_("body"))
    body_format = models.CharField(
        _("body format"),
        max_length=20,
        choices=BODY_FORMAT_CHOICES,
        default="markdown",
    )
    body_html = models.TextField(_("rendered body"), editable=False, default="")
    excerpt = models.TextField(
        _("excerpt"),
        editable=False,
        default="",
        help_text=_("The first words of the body, as plain text."),
    )
    signature = models.CharField(
        _("signature"),
        max_length=300,
        blank=True,
        help_text=_("Who issued the statement, as it should be printed under it."),
    )
    date = models.DateField(
        _("date"),
        default=timezone.localdate,
        help_text=_("The statement's own date, printed with the signature."),
    )
    language = models.CharField(
        _("language"),
        max_length=12,
        default="en",
        validators=[validate_language_code],
        help_text=_("A language code such as en or fa."),
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_translations",
        help_text=_(
            "The statement in another language that this one translates. "
            "Statements in different languages that share a slug are "
            "translations of each other without it."
        ),
    )
    # The slug of the statement a group of translations started from: its own
    # slug, or that of the statement it translates. Set by the services.
    family = models.CharField(max_length=200, editable=False, default="")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.DRAFT,
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_(
            "When it appears to readers. A time in the future schedules it; "
            "set automatically on publishing when empty."
        ),
    )
    commenting = models.CharField(
        _("comments"),
        max_length=12,
        choices=Commenting.choices,
        default=Commenting.OPEN,
        help_text=_(
            "Open: readers may comment. Closed: comments are shown, no new ones. "
            "Hidden: no comments are shown."
        ),
    )
    moderation = models.CharField(
        _("comment moderation"),
        max_length=8,
        choices=Moderation.choices,
        default=Moderation.SITE_DEFAULT,
        blank=True,
        help_text=_(
            "Before publishing: readers' comments wait for a moderator. After "
            "publishing: they appear at once and moderators review them there. "
            "Comments that the spam rules hold wait in either case."
        ),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    topics = models.ManyToManyField(
        Topic,
        verbose_name=_("topics"),
        blank=True,
        related_name="statements",
        help_text=_("Topics in the statement's language."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # When the title, body or signature last changed while readers could see
    # the statement ("Updated on …"); None while it never did.
    text_updated_at = models.DateTimeField(
        _("text updated at"), null=True, blank=True, editable=False
    )
    trashed_at = models.DateTimeField(
        _("moved to the trash"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Deleted statements wait in the trash, restorable, for 30 days."),
    )

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-published_at", "-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"],
                name="publishing_statement_unique_slug_per_language",
                violation_error_message=_(
                    "Another statement in this language already has this slug."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # Addresses name the slug alone; the unique constraint starts with
            # the language, so it cannot serve that lookup.
            models.Index(fields=["slug"]),
            models.Index(fields=["family", "language"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The address in the statement's own language (``/fa/statements/…``
        for Persian); for a language the site does not offer, the default
        language's address names it (``?lang=de``)."""
        key = (self.language, self.slug)
        known = self.__dict__.get("_address")
        if known is None or known[0] != key:
            # A page asks several times (links, previews, the comment form).
            known = self.__dict__["_address"] = (
                key,
                _address_in(self.language, "publishing:statement", self.slug),
            )
        return known[1]

    def get_versions_url(self) -> str:
        """The public list of the versions readers have seen."""
        return _address_in(self.language, "publishing:versions", self.slug)

    def clean(self) -> None:
        if self.translation_of_id is None:
            return
        if self.translation_of_id == self.pk:
            raise ValidationError(
                {"translation_of": _("A statement cannot be its own translation.")}
            )
        if self.translation_of.language == self.language:
            raise ValidationError(
                {
                    "translation_of": _(
                        "A translation is in another language than the statement "
                        "it translates."
                    )
                }
            )

    @property
    def language_name(self) -> str:
        """The language's name in that language ("فارسی", "English")."""
        return language_name(self.language)

    @property
    def body(self) -> SafeString:
        """The rendered body, ready for a template."""
        return textformats.stored_html(self.body_html)

    @property
    def is_bidi(self) -> bool:
        return language_is_bidi(self.language)

    @property
    def is_public(self) -> bool:
        """Readers can see it now."""
        return (
            self.trashed_at is None
            and self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def moderates_before_publishing(self) -> bool:
        """Readers' comments wait for a moderator: this statement's choice, or
        the site's (``COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL``)."""
        if self.moderation == self.Moderation.SITE_DEFAULT:
            return settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL
        return self.moderation == self.Moderation.BEFORE

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def render_body(self) -> None:
        """Derive ``body_html`` and ``excerpt`` from the source. Services call
        it before saving."""
        self.body_html = textformats.render(self.body_format, self.body_source)
        self.excerpt = textformats.plain_excerpt(self.body_html, EXCERPT_WORDS)


class StatementRevision(models.Model):
    """A statement's title, body and signature as they were before an edit."""

    statement = models.ForeignKey(
        Statement,
        verbose_name=_("statement"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    title = models.CharField(_("title"), max_length=200)
    body_source = models.TextField(_("body"))
    body_format = models.CharField(
        _("body format"), max_length=20, choices=BODY_FORMAT_CHOICES
    )
    signature = models.CharField(_("signature"), max_length=300, blank=True)
    replaced_at = models.DateTimeField(_("replaced at"), auto_now_add=True)
    # Readers saw this text: the statement was public when it was replaced.
    # Only such versions are listed on the public pages.
    was_public = models.BooleanField(_("seen by readers"), default=False)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.replaced_at:%Y-%m-%d %H:%M})"
