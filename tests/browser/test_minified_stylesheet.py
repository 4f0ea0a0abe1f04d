"""The minified stylesheet that `communique serve` sends (and that the demo
site in these tests serves) styles every element exactly as the annotated one
in the source tree does: each is put in the page in turn and every element's
computed style compared. (Custom properties are left out: they keep their
text as written, spaces and all; the properties that use them are compared.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.staticfiles import finders

from communique.static_storage import minify_css

pytestmark = pytest.mark.browser

PATHS = ["/", "/statements/port-alder-dockers-demand-safety-inquiry/", "/fa/"]

COMPUTED_STYLES = """() => [...document.querySelectorAll('*')].flatMap(element =>
  [null, '::before', '::after'].map(pseudo => {
    const style = getComputedStyle(element, pseudo);
    return [...style].filter(name => !name.startsWith('--'))
      .map(name => name + ':' + style.getPropertyValue(name)).join(';');
  }))"""

SWAP_STYLESHEET = """css => {
  document.querySelector('link[rel=stylesheet], style').remove();
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
}"""


def annotated_site_css() -> str:
    with open(finders.find("communique/site.css"), encoding="utf-8") as handle:
        return handle.read()


@pytest.mark.parametrize("media", ["screen", "print"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_minified_stylesheet_styles_the_pages_alike(tabs, media, color_scheme):
    page: Any = tabs("desktop", True, False)
    page.emulate_media(media=media, color_scheme=color_scheme)
    annotated = annotated_site_css()
    minified = minify_css(annotated)
    try:
        for path in PATHS:
            page.goto(path)
            page.evaluate(SWAP_STYLESHEET, annotated)
            styles = page.evaluate(COMPUTED_STYLES)
            page.evaluate(SWAP_STYLESHEET, minified)
            assert page.evaluate(COMPUTED_STYLES) == styles, path
    finally:
        page.emulate_media(media="screen", color_scheme="light")
