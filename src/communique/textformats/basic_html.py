"""Restricted HTML for editors who paste from elsewhere."""

from communique.textformats.sanitize import clean_editor_html


def render_basic_html(source: str) -> str:
    """Editor HTML with everything outside the allowed tags removed."""
    return clean_editor_html(source)
