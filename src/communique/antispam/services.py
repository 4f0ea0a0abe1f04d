"""Counting what the spam guards turn away."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communique.antispam.models import Refusal

REASON_LABELS = {
    "captcha": _("wrong CAPTCHA"),
    "too_fast": _("sent too fast"),
    "form_time": _("form could not be checked"),
    "rate_limit": _("too many comments"),
    "duplicate": _("duplicate"),
    "honeypot": _("honeypot filled"),
    "too_many_links": _("too many links"),
    "blocked_term": _("blocked word"),
}


def count_refusal(reason: str) -> None:
    """Add one to today's count of ``reason``."""
    today = timezone.localdate()
    updated = Refusal.objects.filter(day=today, reason=reason).update(
        count=F("count") + 1
    )
    if updated:
        return
    try:
        with transaction.atomic():
            Refusal.objects.create(day=today, reason=reason, count=1)
    except IntegrityError:  # another request created today's row first
        Refusal.objects.filter(day=today, reason=reason).update(count=F("count") + 1)


def refused_today() -> list[tuple[str, int]]:
    """(reason label, count) pairs for today, most frequent first."""
    rows = Refusal.objects.filter(day=timezone.localdate()).order_by("-count")
    return [(REASON_LABELS.get(row.reason, row.reason), row.count) for row in rows]
