"""The static copy in Chromium from file://, as from a USB stick: links lead
from the front page to a statement, the stylesheet applies, and no request
goes to any web host at all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_server import communique

pytestmark = [pytest.mark.browser]

SITE_URL = "https://statements.example.org"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Iterator[Path]:
    data_dir = tmp_path_factory.mktemp("static-copy-site")
    made = communique("demo", "--no-serve", data_dir=data_dir)
    assert made.returncode == 0, made.stderr
    copy = data_dir / "copy"
    env = {"COMMUNIQUE_SITE_URL": SITE_URL}
    result = communique("export_static", str(copy), data_dir=data_dir, env=env)
    assert result.returncode == 0, result.stderr
    yield copy


def test_the_copy_reads_from_file_urls_alone(browser, exported):
    context = browser.new_context()
    context.set_default_timeout(10_000)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    try:
        page.goto((exported / "index.html").as_uri())
        first = page.locator("article.summary h2 a").first
        title = first.inner_text()
        first.click()
        page.wait_for_load_state("load")
        assert page.url.startswith("file://")
        assert page.url.endswith("/index.html")
        assert page.locator("h1").inner_text() == title
        # site.css places the skip link out of sight until it has focus.
        position = page.eval_on_selector(
            ".skip-link", "link => getComputedStyle(link).position"
        )
        assert position == "absolute"
        link = page.get_by_role("link", name="Comment on the main site")
        assert link.get_attribute("href").startswith(SITE_URL + "/statements/")
        page.get_by_role("link", name="Archive").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/archive/index.html")
    finally:
        context.close()
    assert any(url.endswith(".css") for url in requested)
    web = [url for url in requested if not url.startswith("file://")]
    assert web == []
