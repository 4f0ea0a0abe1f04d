"""A reader opens the versions of an edited statement and sees what changed:
inserted and deleted words stand out, left to right and right to left."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.pages import MAKE_EDITED, VIEWPORTS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def versions_urls(site) -> list[str]:
    printed = site._python(MAKE_EDITED).split()
    assert len(printed) == 2, printed
    return printed


@pytest.fixture
def page(browser, site) -> Iterator[Any]:
    context = browser.new_context(base_url=site.base_url, viewport=VIEWPORTS["phone"])
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def background_of(locator: Any) -> str:
    return locator.evaluate("element => getComputedStyle(element).backgroundColor")


@pytest.mark.parametrize(("index", "direction"), [(0, "ltr"), (1, "rtl")])
def test_the_changed_words_stand_out(page, versions_urls, index, direction):
    url = versions_urls[index]
    page.goto(url)
    listed = page.locator(".versions a")
    assert listed.count() == 2
    listed.first.click()
    page.wait_for_load_state()
    article = page.locator("article")
    assert article.get_attribute("dir") == direction
    inserted, deleted = article.locator("ins"), article.locator("del")
    assert inserted.count() == 1 and deleted.count() == 1
    for marked in (inserted.first, deleted.first):
        assert marked.is_visible()
        assert background_of(marked) not in {"rgba(0, 0, 0, 0)", "transparent"}
        assert background_of(marked) != background_of(article)
    assert background_of(inserted.first) != background_of(deleted.first)
    assert "line-through" in deleted.first.evaluate(
        "element => getComputedStyle(element).textDecorationLine"
    )


def test_the_statement_page_links_its_versions(page, versions_urls):
    page.goto(versions_urls[0].removesuffix("versions/"))
    line = page.locator(".statement-footer p", has_text="Updated on")
    assert line.is_visible()
    line.get_by_role("link").click()
    page.wait_for_load_state()
    assert page.url.endswith(versions_urls[0])
