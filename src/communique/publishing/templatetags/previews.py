from typing import Any

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def json_ld(data: dict[str, Any]) -> SafeString:
    """``data`` in a ``<script type="application/ld+json">`` block, escaped
    by Django's ``json_script`` (``<``, ``>`` and ``&`` as ``\\u`` escapes,
    so no text can close the element)."""
    block = json_script(data)
    # json_script names its own type; the data is untouched.
    return SafeString(block.replace("application/json", "application/ld+json", 1))
