"""Markdown (CommonMark and tables) for statement bodies, then sanitized."""

from markdown_it import MarkdownIt
from markdown_it.token import Token

from communique.textformats.sanitize import clean_editor_html

# The page's title is its only h1: a body heading written as h1 becomes h2.
TOP_BODY_HEADING = 2


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _demote_top_headings(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{max(int(token.tag[1]), TOP_BODY_HEADING)}"


def render_markdown(source: str) -> str:
    """Markdown to sanitized HTML. Raw HTML in the source is shown as text."""
    parser = _parser()
    tokens = parser.parse(source)
    _demote_top_headings(tokens)
    return clean_editor_html(parser.renderer.render(tokens, parser.options, {}))
