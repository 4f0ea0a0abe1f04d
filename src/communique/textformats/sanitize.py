"""The HTML that editors' formats may produce, enforced with nh3."""

import nh3

EDITOR_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong",
        "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
EDITOR_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def clean_editor_html(html: str) -> str:
    """Keep only the tags, attributes and link schemes an editor may use."""
    return nh3.clean(
        html,
        tags=set(EDITOR_TAGS),
        attributes={tag: set(names) for tag, names in EDITOR_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
