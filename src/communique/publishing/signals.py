"""Signals publishing sends, for apps above it (search) to follow its writes."""

from django.dispatch import Signal

# Sent inside the transaction that saved a statement's text (title, body,
# signature or language), with ``statements``: the saved Statement objects.
statement_text_saved = Signal()
