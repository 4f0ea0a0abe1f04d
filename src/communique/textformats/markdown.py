"""Markdown (CommonMark and tables) for statement bodies, then sanitized.

Bare web and e-mail addresses in the text become links by the rules of the
comments' plain text (``plain_text.find_links``), never inside a link or code.
"""

from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from communique.textformats.plain_text import find_links
from communique.textformats.sanitize import clean_editor_html

# The page's title is its only h1: a body heading written as h1 becomes h2.
TOP_BODY_HEADING = 2


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    parser.core.ruler.push("bare_addresses", _link_bare_addresses)
    return parser


def _demote_top_headings(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{max(int(token.tag[1]), TOP_BODY_HEADING)}"


def _link_bare_addresses(state: StateCore) -> None:
    """Split the text outside links into text and links to its addresses.
    Code spans are tokens of their own, so their text stays as typed."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        depth = 0
        for token in block.children:
            depth += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type == "text" and depth == 0:
                children.extend(_with_links(token))
            else:
                children.append(token)
        block.children = children


def _with_links(token: Token) -> Iterator[Token]:
    text, position = token.content, 0
    for index, href, shown in find_links(text):
        if index > position:
            yield Token("text", "", 0, content=text[position:index], level=token.level)
        # The address as comments link it; the renderer escapes it.
        yield Token("link_open", "a", 1, attrs={"href": href}, level=token.level)
        yield Token("text", "", 0, content=shown, level=token.level + 1)
        yield Token("link_close", "a", -1, level=token.level)
        position = index + len(shown)
    if position == 0:
        yield token
    elif position < len(text):
        yield Token("text", "", 0, content=text[position:], level=token.level)


def render_markdown(source: str) -> str:
    """Markdown to sanitized HTML. Raw HTML in the source is shown as text;
    bare addresses become links."""
    parser = _parser()
    tokens = parser.parse(source)
    _demote_top_headings(tokens)
    return clean_editor_html(parser.renderer.render(tokens, parser.options, {}))
