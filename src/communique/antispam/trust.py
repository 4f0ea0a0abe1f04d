"""Trust earned by approved comments (``COMMUNIQUE_TRUST_AFTER_APPROVALS``).

A client (its fingerprint, ``antispam.fingerprints``) whose comments
moderators approved N times has its next comments published at once, until
one of its comments is marked as spam: then its count starts again from
nought. 0, the default, turns trust off: nothing is counted or consulted.
The spam rules still judge every comment of a trusted client; trust only
skips the wait for a moderator. A fingerprint changes when its key is
rotated, and the trust it earned goes with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from communique.antispam.models import TrustedClient


def approvals_needed() -> int:
    """N, or 0 when trust is off."""
    return settings.COMMUNIQUE_TRUST_AFTER_APPROVALS


def is_trusted(fingerprint: str) -> bool:
    needed = approvals_needed()
    if not needed or not fingerprint:
        return False
    return TrustedClient.objects.filter(
        fingerprint=fingerprint, approvals__gte=needed
    ).exists()


def count_approvals(fingerprints: Iterable[str]) -> None:
    """One more approved comment for each fingerprint listed (a fingerprint
    listed twice counts twice)."""
    if not approvals_needed():
        return
    for fingerprint, count in Counter(f for f in fingerprints if f).items():
        _add(fingerprint, count)


def _add(fingerprint: str, count: int) -> None:
    rows = TrustedClient.objects.filter(fingerprint=fingerprint)
    if rows.update(approvals=F("approvals") + count):
        return
    try:
        with transaction.atomic():
            TrustedClient.objects.create(fingerprint=fingerprint, approvals=count)
    except IntegrityError:  # another moderator's approval created it first
        rows.update(approvals=F("approvals") + count)


def lose_trust(fingerprints: Iterable[str]) -> None:
    """A comment of each of these clients was marked as spam."""
    listed = {f for f in fingerprints if f}
    if listed:
        TrustedClient.objects.filter(fingerprint__in=listed).delete()
