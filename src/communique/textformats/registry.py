"""The text formats Communiqué knows, by name, with their labels and tips."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from communique.textformats.basic_html import render_basic_html
from communique.textformats.markdown import render_markdown
from communique.textformats.plain_text import render_plain_text
from communique.textformats.sanitize import EDITOR_TAGS


@dataclass(frozen=True)
class TextFormat:
    name: str
    label: Promise
    render: Callable[[str], str]
    tips: tuple[Promise, ...]


def _allowed_tags_tip() -> str:
    return " ".join(f"<{tag}>" for tag in sorted(EDITOR_TAGS))


FORMATS: dict[str, TextFormat] = {
    "markdown": TextFormat(
        name="markdown",
        label=_("Markdown"),
        render=render_markdown,
        tips=(
            _("A blank line starts a new paragraph."),
            _(
                "*emphasis*, **strong**, [a link](https://example.org), "
                "lists, > quotes and ## headings."
            ),
            _("HTML tags are shown as typed, not interpreted."),
            _("Web page addresses and email addresses turn into links automatically."),
        ),
    ),
    "basic_html": TextFormat(
        name="basic_html",
        label=_("Basic HTML"),
        render=render_basic_html,
        tips=(
            format_lazy(_("Allowed HTML tags: {tags}"), tags=_allowed_tags_tip()),
            _("Other tags, scripts and styles are removed."),
        ),
    ),
    "plain_text": TextFormat(
        name="plain_text",
        label=_("Plain text"),
        render=render_plain_text,
        tips=(
            _("No HTML tags allowed."),
            _("Web page addresses and email addresses turn into links automatically."),
            _("Lines and paragraphs break automatically."),
        ),
    ),
}

# The formats editors write statement bodies in. Plain text is for readers'
# comments only.
EDITOR_FORMATS: tuple[str, ...] = ("markdown", "basic_html")


def get_format(name: str) -> TextFormat:
    """The format called ``name``; ``KeyError`` for an unknown name."""
    return FORMATS[name]


def render(name: str, source: str) -> str:
    """Render ``source`` in the format ``name`` to sanitized HTML."""
    return get_format(name).render(source)
