from django.db import models
from django.utils.translation import gettext_lazy as _


class FingerprintKey(models.Model):
    """The secret that client fingerprints are keyed with, replaced periodically.

    Only the current key is kept, so a fingerprint from an earlier period can no
    longer be linked to an address by anyone, the operator included.
    """

    secret = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"fingerprint key of {self.created:%Y-%m-%d}"


class BlockedTerm(models.Model):
    """A word, address or domain that moderators do not want in comments."""

    class Action(models.TextChoices):
        HOLD = "hold", _("Hold for moderation")
        SPAM = "spam", _("Mark as spam")

    term = models.CharField(
        _("word, address or domain"),
        max_length=200,
        unique=True,
        help_text=_(
            "Matched in the name, e-mail, homepage and text of a comment without "
            "regard to case, Arabic or Persian letter forms (ي/ی, ك/ک), kashida, "
            "diacritics or half-spaces."
        ),
    )
    action = models.CharField(
        _("action"), max_length=8, choices=Action.choices, default=Action.SPAM
    )
    created = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked term")
        verbose_name_plural = _("blocked terms")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


class Refusal(models.Model):
    """How many submissions were turned away on one day, for one reason."""

    day = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=40)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("refusal count")
        verbose_name_plural = _("refusal counts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "reason"], name="antispam_refusal_one_row_per_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.reason}: {self.count}"


class TrustedClient(models.Model):
    """How many of one client's comments moderators approved, since its trust
    was last lost (``antispam.trust``). Keyed by fingerprint, so it lasts as
    long as the fingerprint key does (``COMMUNIQUE_FINGERPRINT_ROTATION_DAYS``).
    """

    fingerprint = models.CharField(_("client fingerprint"), max_length=64, unique=True)
    approvals = models.PositiveIntegerField(_("approved comments"), default=0)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("trusted client")
        verbose_name_plural = _("trusted clients")

    def __str__(self) -> str:
        return f"{self.fingerprint[:8]}…: {self.approvals}"
