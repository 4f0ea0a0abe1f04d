"""One demo site and one Chromium for all browser tests, and what they need.

Each test takes `key_page` (every entry of KEY_PAGES) and, when the width
matters, `viewport` (phone and desktop). A test that uses `browser`,
`axe_script` or `vnu_messages` is skipped, with what to install, when that tool
is missing, and fails instead when CI=true: CI must run them.
"""

import json
import os
import subprocess
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath

import pytest

from tests.browser import tools
from tests.browser.pages import KEY_PAGES, VIEWPORTS, KeyPage


def require(missing: str | None) -> None:
    if missing is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the browser tests: {missing}", pytrace=False)
    pytest.skip(missing)


# fixture name -> why it cannot be provided here (None when it can)
REQUIREMENTS: dict[str, Callable[[], str | None]] = {
    "browser": tools.browser_missing,
    "axe_script": tools.axe_missing,
    "vnu_messages": tools.vnu_missing,
}


def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before any fixture starts the server for a test that cannot run anyway.
    for fixture, missing in REQUIREMENTS.items():
        if fixture in item.fixturenames:
            require(missing())


@pytest.fixture(params=KEY_PAGES, ids=lambda page: page.name)
def key_page(request) -> KeyPage:
    return request.param


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Iterator[tools.DemoSite]:
    with tools.demo_site(tmp_path_factory.mktemp("browser-site")) as site:
        yield site


# Package scope, not session: while Playwright's synchronous API is running, the
# thread counts as async and Django refuses ORM calls (SynchronousOnlyOperation)
# in the database tests that run after this folder.
@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = tools.launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def tabs(browser, site):
    """One tab per width, JavaScript on or off, and signed in or not, that the
    tests share: each test loads its own page into it. (A fresh tab costs a new
    renderer process, which would double the time these tests take.)"""
    opened = {}

    def tab(viewport: str, javascript: bool, signed_in: bool):
        key = (viewport, javascript, signed_in)
        if key not in opened:
            context = browser.new_context(
                base_url=site.base_url,
                viewport=VIEWPORTS[viewport],
                java_script_enabled=javascript,
            )
            # The server is local: what takes longer than this is broken.
            context.set_default_timeout(10_000)
            if signed_in:
                context.add_cookies(site.session_cookies())
            opened[key] = context.new_page()
        return opened[key]

    yield tab
    for page in opened.values():
        page.context.close()


@pytest.fixture
def open_page(tabs, key_page, viewport):
    """A factory: the shared tab at `viewport`, signed in when `key_page` needs
    it. It still shows the previous test's page, so that a test can attach its
    listeners before it loads its own. (Going through about:blank would cost a
    renderer process each time, as a fresh tab would.)"""

    def open_(*, javascript: bool = True):
        return tabs(viewport, javascript, key_page.signed_in)

    return open_


@pytest.fixture(scope="session")
def axe_script() -> str:
    return tools.AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_messages(site, tmp_path_factory) -> dict[str, dict]:
    """The status and the Nu HTML Checker's messages of every key page, by name.

    Every page's HTML, as served, goes to one `java -jar vnu.jar` run: the JVM
    starts once per session.
    """
    folder = tmp_path_factory.mktemp("served-html")
    files, by_page = {}, {}
    for page in KEY_PAGES:
        status, body = site.get(page.path, signed_in=page.signed_in)
        by_page[page.name] = {"status": status, "messages": []}
        files[page.name] = folder / f"{page.name}.html"
        files[page.name].write_bytes(body)
    result = subprocess.run(
        ["java", "-jar", str(tools.VNU_JAR), "--format", "json", "--stdout"]
        + [str(path) for path in files.values()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu.jar gave no report:\n{result.stdout}\n{result.stderr}")
    for message in messages:
        # "url" is "file:/tmp/.../<page name>.html"
        name = PurePosixPath(urllib.parse.urlparse(message.get("url", "")).path).stem
        if name not in by_page:
            pytest.fail(f"vnu.jar reported on no key page: {message}")
        by_page[name]["messages"].append(message)
    return by_page
