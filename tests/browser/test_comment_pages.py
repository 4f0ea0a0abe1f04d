"""A statement with hundreds of comments, as a reader sees it in Chromium: page
numbers and the newest comments a click away, a link that takes the keyboard
past the comments to the form, the comment a permalink points at highlighted,
a name remembered only when asked, and long names that fit on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.pages import VIEWPORTS

pytestmark = [pytest.mark.browser, pytest.mark.server]

# The demo statement with 413 comments: 310 threads, seven pages of 50.
BUSY = "/statements/lowmarsh-teachers-stand-with-dismissed-colleagues/"
QUIET = "/statements/velmora-tenants-refuse-riverside-rent-review/"
REMEMBER_COOKIE = "communique_commenter"
# The background of a highlighted comment (--note in site.css).
NOTE = "rgb(255, 244, 214)"


@pytest.fixture
def context(browser, site) -> Iterator[Any]:
    """A fresh browser profile at a phone's width (390 px, as phones are)."""
    viewport = {**VIEWPORTS["phone"], "width": 390}
    context = browser.new_context(base_url=site.base_url, viewport=viewport)
    context.set_default_timeout(10_000)
    # No proof of work: its widget would hold the form until solved.
    context.route("**/captcha/altcha/", lambda route: route.abort())
    yield context
    context.close()


def numbers(page: Any) -> list[str]:
    return [
        item.inner_text().strip()
        for item in page.locator(".comment-pages li:not(:has([rel]))").all()
    ]


def test_page_numbers_and_the_newest_comments(context):
    page = context.new_page()
    page.goto(BUSY)
    assert numbers(page) == ["1", "2", "3", "…", "7"]
    current = page.locator(".comment-pages [aria-current=page]")
    assert current.inner_text() == "1"
    assert current.is_visible()
    page.get_by_role("link", name="Newest comments").click()
    page.wait_for_load_state()
    assert "page=7" in page.url
    assert numbers(page) == ["1", "…", "5", "6", "7"]
    # The newest thread is on screen, and marked as the one jumped to.
    newest = page.locator("article.comment:target")
    assert newest.count() == 1
    assert newest.is_visible()
    newest_id = newest.get_attribute("id")
    assert page.locator("article.comment-depth-1").last.get_attribute("id") == (
        newest_id
    )
    page.get_by_role("link", name="Show newest first").click()
    page.wait_for_load_state()
    assert page.url.endswith("?order=newest#comments")
    assert page.locator("article.comment").first.get_attribute("id") == newest_id
    assert numbers(page) == ["1", "2", "3", "…", "7"]


def test_add_a_comment_takes_the_keyboard_to_the_form(context):
    page = context.new_page()
    page.goto(BUSY)
    skip = page.locator(".comment-tools").get_by_role("link", name="Add a comment")
    skip.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.name, "
        "!!document.activeElement.closest('#comment-form')]"
    )
    assert focused == ["author_name", True]
    assert page.locator("#id_author_name").is_visible()


def test_a_permalink_highlights_its_comment(context, site):
    page = context.new_page()
    page.goto(BUSY)
    link = page.locator("article.comment .comment-permalink").nth(3)
    # Its accessible name: whose comment, and when.
    author = link.locator(".comment-author").inner_text()
    date = link.locator("time").inner_text()
    assert author
    assert page.get_by_role("link", name=f"{author} {date}").count() >= 1
    article_id = link.locator("xpath=ancestor::article").get_attribute("id")
    page.goto(link.get_attribute("href"))  # /comments/<id>/, redirected
    target = page.locator(f"#{article_id}")
    assert page.url.endswith(f"#{article_id}")
    assert target.is_visible()
    background = target.evaluate("a => getComputedStyle(a).backgroundColor")
    assert background == NOTE
    other = page.locator(f"article.comment:not(#{article_id})").first
    assert other.evaluate("a => getComputedStyle(a).backgroundColor") != NOTE


def remember_box(page: Any) -> Any:
    return page.locator("#comment-form").get_by_label("Remember my name on this device")


def preview(page: Any) -> None:
    """Send the form to be previewed (Preview does not check the CAPTCHA, but
    the browser wants its field filled)."""
    form = page.locator("#comment-form form")
    form.locator("[name=body]").fill("Only a preview: nothing is saved.")
    answer = form.locator("fieldset.captcha input[type=text]")
    if answer.count():
        answer.fill("ABCD")
    form.locator("button[name=op][value=preview]").click()
    page.wait_for_load_state()


def test_remember_my_name_round_trip(context):
    page = context.new_page()
    page.goto(QUIET)
    box = remember_box(page)
    assert box.is_visible()
    assert not box.is_checked()
    assert "cookie" in page.locator("#remember-note").inner_text()
    form = page.locator("#comment-form form")
    form.locator("[name=author_name]").fill("Ilse from block C")
    form.locator("[name=email]").fill("ilse@example.org")
    box.check()
    preview(page)
    assert REMEMBER_COOKIE in [cookie["name"] for cookie in context.cookies()]
    page.goto(QUIET)  # a fresh page, the same bytes as every reader's
    form = page.locator("#comment-form form")
    assert form.locator("[name=author_name]").input_value() == "Ilse from block C"
    assert form.locator("[name=email]").input_value() == "ilse@example.org"
    assert remember_box(page).is_checked()
    remember_box(page).uncheck()
    preview(page)
    assert REMEMBER_COOKIE not in [cookie["name"] for cookie in context.cookies()]
    page.goto(QUIET)
    form = page.locator("#comment-form form")
    assert form.locator("[name=author_name]").input_value() == ""
    assert form.locator("[name=email]").input_value() == ""
    assert not remember_box(page).is_checked()


def test_nothing_is_remembered_without_a_tick(context):
    page = context.new_page()
    page.goto(QUIET)
    page.locator("#comment-form [name=author_name]").fill("Passing reader")
    preview(page)
    assert REMEMBER_COOKIE not in [cookie["name"] for cookie in context.cookies()]


def test_without_javascript_the_box_is_not_offered(browser, site):
    context = browser.new_context(base_url=site.base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(QUIET)
        assert remember_box(page).count() == 1
        assert not remember_box(page).is_visible()
    finally:
        context.close()


LONG_NAME = "N" * 200
LONG_SUBJECT = "S" * 200


def test_long_unbroken_names_and_subjects_fit_a_phone(context, site):
    comment_id = site._python(
        "from communique.comments import services; "
        "from communique.comments.models import Comment; "
        "from communique.publishing.models import Statement; "
        "statement = Statement.objects.get(slug="
        "'we-keep-publishing-through-the-blocks', language='en'); "
        "comment = services.post_comment(statement=statement, parent=None, "
        f"draft=services.Draft(author_name={LONG_NAME!r}, subject={LONG_SUBJECT!r}, "
        "body='A long name.'), user=None, fingerprint='long-name', screened=False); "
        "from communique.accounts.models import User; "
        "services.approve_comments(Comment.objects.filter(pk=comment.pk), "
        "moderator=User.objects.get(username='admin')); "
        "print(comment.pk)"
    )
    page = context.new_page()
    for path in (f"/comments/{comment_id}/", f"/comments/{comment_id}/reply/"):
        page.goto(path)
        assert page.locator(f"#comment-{comment_id}").is_visible()
        assert LONG_NAME in page.locator(f"#comment-{comment_id}").inner_text()
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - innerWidth"
        )
        assert overflow <= 0, f"{path} is {overflow} px wider than the phone"
