"""Where a challenge id goes in pages that are otherwise the same for every reader.

A form renders ``MARKER`` where its challenge id goes; the page cache's
placeholders replace every occurrence with one fresh id, for each response,
whether the page was just rendered or comes from the page cache.
"""

MARKER = "communique-captcha-challenge-id"
MARKER_BYTES = MARKER.encode()
