"""Readers in a real browser: no cookie for reading, the CAPTCHA's own cookie
only once the form is reached, and two tabs of one statement that both post."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.pages import (
    CAPTCHA_COOKIE,
    VIEWPORTS,
    answer_captcha,
    form_errors,
)

pytestmark = pytest.mark.browser

STATEMENTS = [
    "/statements/velmora-tenants-refuse-riverside-rent-review/",
    "/statements/one-year-after-the-lantern-we-keep-publishing/",
    "/statements/port-alder-dockers-demand-safety-inquiry/",
]


@pytest.fixture
def context(browser, site) -> Iterator[Any]:
    """A fresh browser profile (an empty cookie jar), at a phone's size."""
    context = browser.new_context(base_url=site.base_url, viewport=VIEWPORTS["phone"])
    context.set_default_timeout(10_000)
    yield context
    context.close()


def test_reading_pages_leaves_the_cookie_jar_empty(context):
    page = context.new_page()
    for path in ["/", *STATEMENTS]:
        response = page.goto(path)
        assert response.status == 200
        assert "public" in response.headers["cache-control"]
        page.wait_for_load_state("networkidle")
    assert context.cookies() == []
    assert page.locator(".captcha-image img").count() == 0  # never requested


def test_reaching_the_form_adds_only_the_challenge_cookie(context):
    page = context.new_page()
    page.goto(STATEMENTS[0])
    # The image loads once its place in the form comes into view; the form is
    # taller than a phone's screen, so its top alone may not bring it there.
    with page.expect_response("**/captcha/image.png") as image:
        page.locator("[data-captcha-image]").scroll_into_view_if_needed()
    assert image.value.status == 200
    image.value.finished()
    cookies = context.cookies()
    assert [cookie["name"] for cookie in cookies] == [CAPTCHA_COOKIE]
    assert cookies[0]["httpOnly"] is True
    assert cookies[0]["sameSite"] == "Lax"
    assert 0 < cookies[0]["expires"] - page.evaluate("Date.now() / 1000") <= 1800


def write(page: Any, site: Any, name: str, text: str) -> None:
    form = page.locator("#comment-form form")
    form.get_by_label("Your name").fill(name)
    form.get_by_label("Comment", exact=True).fill(text)
    answer_captcha(form, site)


def save(page: Any, site: Any) -> None:
    page.wait_for_timeout(1000 * site.setting("COMMUNIQUE_ANTISPAM_MIN_SECONDS"))
    page.locator("#comment-form form").get_by_role("button", name="Save").click()
    page.wait_for_load_state()


def test_two_tabs_of_one_statement_both_post(context, site):
    first, second = context.new_page(), context.new_page()
    for tab in (first, second):
        tab.goto(STATEMENTS[1])
    write(first, site, "First tab", "Written in the first of two tabs.")
    write(second, site, "Second tab", "Written in the second of two tabs.")
    for tab in (first, second):
        save(tab, site)
        assert tab.locator(".messages").is_visible(), form_errors(tab)


def test_a_refused_post_lands_on_the_form_with_the_text(context, site):
    page = context.new_page()
    # No proof of work (it would stand in for the wrong code): the image decides.
    page.route("**/captcha/altcha/", lambda route: route.abort())
    page.goto(STATEMENTS[2])
    write(page, site, "A hasty reader", "Words that must not be lost.")
    page.locator("#comment-form").get_by_label("What code is in the image?").fill(
        "WRONG"
    )
    save(page, site)
    assert page.url.endswith("#comment-form")
    assert page.locator("#comment-form textarea[name=body]").input_value() == (
        "Words that must not be lost."
    )
    assert "not correct" in " ".join(form_errors(page))
    assert page.locator("#comment-form").is_visible()
    # The new image is there to answer, in the same visit.
    page.locator(".captcha-image img").wait_for()
