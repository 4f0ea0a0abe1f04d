"""Markdown (CommonMark and tables) for statement bodies, then sanitized."""

from markdown_it import MarkdownIt
from markdown_it.token import Token

from communique.textformats.sanitize import clean_editor_html

# The page's title is its only h1, so body headings start one level below it.
HEADING_SHIFT = 1
DEEPEST_HEADING = 6


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _shift_headings(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            level = min(int(token.tag[1]) + HEADING_SHIFT, DEEPEST_HEADING)
            token.tag = f"h{level}"


def render_markdown(source: str) -> str:
    """Markdown to sanitized HTML. Raw HTML in the source is shown as text."""
    parser = _parser()
    tokens = parser.parse(source)
    _shift_headings(tokens)
    return clean_editor_html(parser.renderer.render(tokens, parser.options, {}))
