"""The one stylesheet serves both directions: it never says left or right."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import communique

SITE_CSS = Path(communique.__file__).parent / "static" / "communique" / "site.css"

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
_DECLARATION = re.compile(r"([-\w]+)\s*:\s*([^;{}]*)(?=[;}])")
_PHYSICAL = re.compile(r"(?<![-\w])(left|right)(?![-\w])")
_PHYSICAL_IN_NAME = re.compile(r"(^|-)(left|right)(-|$)")


def physical_declarations(css: str) -> list[str]:
    """The declarations of ``css`` that name a side: a property such as
    ``margin-left`` or ``left``, or a value such as ``text-align: right``."""
    css = _STRING.sub('""', _COMMENT.sub("", css))
    found = []
    for name, value in _DECLARATION.findall(css):
        if _PHYSICAL_IN_NAME.search(name) or _PHYSICAL.search(value):
            found.append(f"{name}: {value.strip()}")
    return found


@pytest.mark.parametrize(
    "css",
    [
        "p { margin-left: 1rem; }",
        "p { padding-right: 0 }",
        "p { text-align: left; }",
        "p { text-align:right }",
        "img { float: right; }",
        "div { clear: left; }",
        "blockquote { border-left: 4px solid; }",
        "blockquote { border-right-width: 2px; }",
        "a { position: absolute; left: 0; }",
        "a { right: 1rem; }",
        "b { border-top-left-radius: 2px; }",
        "b { background-position: right top; }",
        "b { scroll-margin-left: 2px; }",
        "@media print { p { margin-left: 0; } }",
    ],
)
def test_physical_sides_are_found(css):
    assert physical_declarations(css)


@pytest.mark.parametrize(
    "css",
    [
        "p { margin-inline-start: 1rem; padding-inline-end: 0; }",
        "p { text-align: start; float: inline-end; }",
        "a { inset-inline-start: 0; inset-block-start: -4rem; }",
        "blockquote { border-inline-start: 4px solid; }",
        "/* left and right */ p { margin: 0 }",
        'p::after { content: "left: right"; }',
        "p { margin-block: 0 1rem; padding: 0.5rem 1rem; }",
    ],
)
def test_logical_properties_pass(css):
    assert physical_declarations(css) == []


def test_site_css_uses_logical_properties_only():
    assert physical_declarations(SITE_CSS.read_text(encoding="utf-8")) == []


def test_site_css_loads_no_font_or_other_file():
    css = _COMMENT.sub("", SITE_CSS.read_text(encoding="utf-8"))
    assert "@font-face" not in css
    assert "@import" not in css
    assert "url(" not in css


def test_persian_text_gets_persian_fonts_first():
    css = _COMMENT.sub("", SITE_CSS.read_text(encoding="utf-8"))
    stack = re.search(r"--arabic-script:\s*([^;]+);", css).group(1)
    fonts = [font.strip().strip('"') for font in stack.split(",")]
    assert fonts[0] == "Vazirmatn"
    assert fonts.index("Noto Naskh Arabic") < fonts.index("system-ui")
    assert fonts[-1] == "sans-serif"
    persian_rule = re.search(r'\[lang\|="fa"\][^{]*\{([^}]*)\}', css).group(1)
    assert "--text-font: var(--arabic-script)" in persian_rule
    assert "--ui-font: var(--arabic-script)" in persian_rule
