"""Per-response values in pages that are otherwise the same for every reader.

A form renders ``MARKER`` where its challenge id goes; ``fill`` replaces every
occurrence with one fresh id, for each response, whether the page was just
rendered or comes from the page cache.
"""

from communique.captcha.challenges import new_challenge_id

MARKER = "communique-captcha-challenge-id"
MARKER_BYTES = MARKER.encode()


def fill(content: bytes) -> bytes:
    """``content`` with the marker replaced by a new challenge id (one pass)."""
    if MARKER_BYTES not in content:
        return content
    return content.replace(MARKER_BYTES, new_challenge_id().encode())
