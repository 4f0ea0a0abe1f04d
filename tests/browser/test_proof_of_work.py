"""A reader with JavaScript posts a comment without typing the code: the
ALTCHA widget, loaded from our own static files once the reader starts using
the form, solves the proof of work in the background. A second server on the
demo site's data keeps the work small (COMMUNIQUE_ALTCHA_MAX_NUMBER)."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.pages import VIEWPORTS, form_errors
from tests.live_server import running_server

pytestmark = [pytest.mark.browser, pytest.mark.server]

STATEMENT = "/statements/port-alder-dockers-demand-safety-inquiry/"
DONE = "you need not type the code"


@pytest.fixture(scope="module")
def light_site(site) -> Iterator[str]:
    env = {
        "COMMUNIQUE_ALTCHA_MAX_NUMBER": "4",
        "COMMUNIQUE_ANTISPAM_COMMENTS_PER_MINUTE": "60",
        "COMMUNIQUE_ANTISPAM_COMMENTS_PER_HOUR": "600",
    }
    with running_server(site.data_dir, env=env) as base_url:
        yield base_url


@pytest.fixture
def page(browser, light_site) -> Iterator[Any]:
    context = browser.new_context(base_url=light_site, viewport=VIEWPORTS["phone"])
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_a_reader_with_javascript_posts_without_typing_the_code(page, site):
    hosts = set()
    page.on("request", lambda r: hosts.add(urllib.parse.urlsplit(r.url).netloc))
    widget_requests = []
    page.on("request", lambda r: "altcha" in r.url and widget_requests.append(r.url))
    page.goto(STATEMENT)
    assert widget_requests == []  # nothing loads for a reader who only reads
    form = page.locator("#comment-form form")
    form.get_by_label("Your name").fill("A reader with scripts")
    form.get_by_label("Comment", exact=True).fill("Posted without typing a code.")
    status = form.locator(".captcha-proof [role=status]")
    status.filter(has_text=DONE).wait_for()
    proof = form.locator("input[name=captcha_proof]")
    assert proof.input_value()
    assert form.get_by_label("What code is in the image?").input_value() == ""
    page.wait_for_timeout(1000 * site.setting("COMMUNIQUE_ANTISPAM_MIN_SECONDS"))
    form.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator(".messages").is_visible(), form_errors(page)
    assert hosts == {urllib.parse.urlsplit(page.url).netloc}
    assert any(url.endswith(".js") for url in widget_requests)
