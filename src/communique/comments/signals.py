"""Signals comments sends, for apps above it (search) to follow its writes."""

from django.dispatch import Signal

# Sent inside the transaction that saved a comment's text (a new comment, an
# edit), with ``comments``: the saved Comment objects.
comment_text_saved = Signal()
