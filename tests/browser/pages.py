"""The key pages every browser test visits, and the widths it visits them at.

A new page joins every quality gate (axe-core, the Nu HTML Checker, no
JavaScript, no third-party request, the skip link) and `make screenshots` with
one line in KEY_PAGES. Its name becomes the test id and the screenshot's file name.
Paths point into the demo content (`communique demo`), loaded into a fresh site.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

# The demo's Persian statement (src/communique/publishing/demo_statements/).
PERSIAN_DEMO_SLUG = "ما-از-انتشار-باز-نمی\u200cایستیم"  # with a half-space

# A phone (an iPhone SE-sized screen) and a desktop browser window.
VIEWPORTS: dict[str, dict[str, int]] = {
    "phone": {"width": 375, "height": 740},
    "desktop": {"width": 1280, "height": 900},
}


def post_a_comment(page: Any, site: Any) -> None:
    """Preview, then save, a comment through the page's "Add new comment" form,
    in the page's language (fields and buttons are found by name, not label)."""
    statement_url = page.url
    width = page.viewport_size["width"]
    # One text per width: the spam guard holds a comment posted twice.
    if page.locator("html").get_attribute("lang") == "fa":
        name, text = "خواننده‌ای بی‌اسکریپت", f"در پهنای {width} پیکسل خواندم و نوشتم."
    else:
        name, text = "A reader without scripts", f"Read and answered at {width} pixels."
    form = page.locator("#comment-form form")
    form.locator("[name=author_name]").fill(name)
    form.locator("[name=body]").fill(text)
    submit(form, "preview", site)
    preview = page.locator(".comment-preview")
    assert preview.count(), f"no preview: {form_errors(page)}"
    assert text in preview.inner_text()
    submit(form, "save", site)  # the form kept everything but the CAPTCHA answer
    assert page.url.partition("#")[0] == statement_url, form_errors(page)
    assert page.locator(".messages").is_visible(), "saving shows no message"


CAPTCHA_COOKIE = "communique_captcha"


def captcha_cookie(page: Any) -> str | None:
    """The browser's challenge cookie, once the CAPTCHA image has loaded."""
    for cookie in page.context.cookies():
        if cookie["name"] == CAPTCHA_COOKIE:
            return cookie["value"]
    return None


def answer_captcha(form: Any, site: Any) -> None:
    """Read the code of the image the browser loaded, and type it."""
    captcha = form.locator("fieldset.captcha")
    if captcha.locator(".captcha-kept").count():
        return  # a preview kept the answer typed before it
    answer = captcha.locator("input[type=text]")
    answer.scroll_into_view_if_needed()
    answer.focus()  # with scripts on, reaching the form loads the image
    image = captcha.locator(".captcha-image img")
    if image.count():
        image.evaluate("img => img.complete || new Promise(done => img.onload = done)")
    value = captcha_cookie(form.page)
    assert value, "the CAPTCHA image set no challenge cookie"
    answer.fill(site.captcha_code(value))


def submit(form: Any, operation: str, site: Any) -> None:
    """Answer the form's CAPTCHA, if it has one, give the spam guard the time a
    person takes to write, and press the button of ``operation`` ("preview",
    "save")."""
    if form.locator("fieldset.captcha").count():
        answer_captcha(form, site)
    form.page.wait_for_timeout(1000 * site.setting("COMMUNIQUE_ANTISPAM_MIN_SECONDS"))
    form.locator(f"button[name=op][value={operation}]").click()


def form_errors(page: Any) -> list[str]:
    return page.locator(".errorlist, .form-errors").all_inner_texts()


@dataclass(frozen=True)
class KeyPage:
    name: str
    path: str
    status: int = 200
    # Seen by a signed-in moderator (the demo's `admin` account).
    signed_in: bool = False
    # What else must work with JavaScript off, called with the Playwright page
    # after it loaded `path`, and the DemoSite: e.g. posting a comment.
    without_javascript: Callable[[Any, Any], None] | None = None


KEY_PAGES: list[KeyPage] = [
    KeyPage("front", "/"),
    KeyPage(
        "statement-short", "/statements/velmora-tenants-refuse-riverside-rent-review/"
    ),
    KeyPage(
        "statement-long", "/statements/one-year-after-the-lantern-we-keep-publishing/"
    ),
    KeyPage(
        "statement-comments",  # threaded comments, and the comment form in use
        "/statements/port-alder-dockers-demand-safety-inquiry/",
        without_javascript=post_a_comment,
    ),
    KeyPage(
        "statement-comment-pages",  # the last of seven pages of comments
        "/statements/lowmarsh-teachers-stand-with-dismissed-colleagues/?page=7",
    ),
    KeyPage("comment-reply", "/comments/1/reply/"),  # the first demo comment
    KeyPage("archive", "/archive/"),
    KeyPage("archive-year", "/archive/2025/"),
    KeyPage("archive-month", "/archive/2025/2/"),
    KeyPage("topics", "/topics/"),
    KeyPage("topic", "/topics/press-freedom/"),
    KeyPage("not-found", "/statements/no-such-statement/", status=404),
    KeyPage("admin-login", "/admin/login/"),
    KeyPage("moderation", "/moderation/", signed_in=True),
    KeyPage("moderation-log", "/moderation/log/", signed_in=True),
    KeyPage("comment-edit", "/comments/1/edit/", signed_in=True),
    # The same in Persian, right to left.
    KeyPage("fa-front", "/fa/"),
    KeyPage(
        "fa-statement-comments",
        f"/fa/statements/{quote(PERSIAN_DEMO_SLUG)}/",
        without_javascript=post_a_comment,
    ),
    KeyPage("fa-archive", "/fa/archive/"),
    KeyPage("fa-archive-year", "/fa/archive/1405/"),
    KeyPage("fa-archive-month", "/fa/archive/1405/8/"),
    KeyPage("fa-topic", f"/fa/topics/{quote('آزادی-مطبوعات')}/"),
    KeyPage("fa-not-found", "/fa/statements/no-such-statement/", status=404),
    KeyPage("fa-admin-login", "/fa/admin/login/"),
    KeyPage("fa-moderation", "/fa/moderation/", signed_in=True),
    KeyPage("fa-moderation-log", "/fa/moderation/log/", signed_in=True),
]

# Key pages that `make screenshots` also shows another way, each way a picture
# of its own: "dark" in the browser's dark colour scheme (at every width),
# "print" as the pages of the PDF the browser prints.
OTHER_WAYS: dict[str, tuple[str, ...]] = {
    "statement-comments": ("print", "dark"),
}
# The paper the statement page is printed on, in tests and screenshots.
PAPER: dict[str, Any] = {
    "format": "Letter",
    "margin": dict.fromkeys(("top", "right", "bottom", "left"), "1cm"),
}

# Two statements edited after publication, for the versions pages: made by
# `MAKE_EDITED` (run with DemoSite._python), which prints their versions'
# addresses. Not key pages: the demo content has no edited statement.
# Statements of their own, dated long ago so that the demo's lists and pages
# that other tests visit stay as they were.
MAKE_EDITED: str = """
import datetime as dt
from django.utils import timezone
from communique.publishing import services
from communique.publishing.models import Statement
for language, slug, title, before, after in [
    ("en", "browser-versions-en", "Harbour hours",
     "The harbour opens on Monday at noon.", "The harbour opens on Tuesday at noon."),
    ("fa", "browser-versions-fa", "ساعت بندر",
     "بندر دوشنبه باز می‌شود.", "بندر سه‌شنبه باز می‌شود."),
]:
    if Statement.objects.filter(slug=slug).exists():
        continue
    statement = services.save_statement(statement=Statement(
        slug=slug, title=title, body_source=before, language=language,
        status="published", date=dt.date(2001, 1, 1),
        published_at=timezone.now() - dt.timedelta(days=9000)))
    statement.body_source = after
    services.save_statement(statement=statement)
    print(statement.get_versions_url())
"""

VERSION_PAGES: list[KeyPage] = [
    KeyPage("versions", "/statements/browser-versions-en/versions/"),
    KeyPage("version-diff", "/statements/browser-versions-en/versions/2/"),
    KeyPage("fa-version-diff", "/fa/statements/browser-versions-fa/versions/2/"),
]
