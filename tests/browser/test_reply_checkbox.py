"""The "E-mail me when someone replies" box, in a real browser without
JavaScript: it is on the form, its label ticks it, and saving keeps the
address for the thread, unconfirmed, with nothing else shown."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.pages import VIEWPORTS, answer_captcha, form_errors

pytestmark = pytest.mark.browser

STATEMENT = "/statements/port-alder-dockers-demand-safety-inquiry/"
ADDRESS = "replies-wanted@example.org"


@pytest.fixture
def page(browser, site) -> Iterator[Any]:
    context = browser.new_context(
        base_url=site.base_url,
        viewport=VIEWPORTS["phone"],
        java_script_enabled=False,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_the_box_is_on_the_form_and_works_without_javascript(page, site):
    page.goto(STATEMENT)
    form = page.locator("#comment-form form")
    box = form.get_by_label("E-mail me when someone replies")
    assert box.get_attribute("type") == "checkbox"
    assert not box.is_checked()
    # Label and box share one line, the box first, at a phone's width.
    label = form.locator("label[for=id_notify_replies]")
    box_place, label_place = box.bounding_box(), label.bounding_box()
    assert abs(box_place["y"] - label_place["y"]) < label_place["height"]
    assert box_place["x"] < label_place["x"]
    label.click()
    assert box.is_checked()
    form.get_by_label("Your name").fill("A reader who wants replies")
    form.get_by_label("E-mail", exact=True).fill(ADDRESS)
    form.get_by_label("Comment", exact=True).fill("Tell me when someone answers.")
    answer_captcha(form, site)
    page.wait_for_timeout(1000 * site.setting("COMMUNIQUE_ANTISPAM_MIN_SECONDS"))
    form.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    messages = page.locator(".messages")
    assert messages.is_visible(), form_errors(page)
    assert "open the link in the mail we sent you" in messages.inner_text()
    assert ADDRESS not in page.content()
    kept = site._python(
        "from communique.comments.models import ReplySubscription as R; "
        f"print(list(R.objects.filter(email={ADDRESS!r})"
        ".values_list('confirmed_at', flat=True)))"
    )
    assert kept == "[None]"
