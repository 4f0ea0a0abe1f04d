"""Reading on paper and in the dark: the print stylesheet leaves out what is
there to click or fill in and prints black on white, and the dark colours keep
the contrast axe-core asks for."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.conftest import require
from tests.browser.pages import KEY_PAGES, PAPER, PERSIAN_DEMO_SLUG, VIEWPORTS
from tests.browser.test_quality_gates import RUN_AXE, WCAG_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.server]

PORT_ALDER = "/statements/port-alder-dockers-demand-safety-inquiry/"
STATEMENTS_WITH_COMMENTS = [PORT_ALDER, f"/fa/statements/{quote(PERSIAN_DEMO_SLUG)}/"]
# Its body links to another site.
LINKING_STATEMENT = "/statements/one-year-after-the-lantern-we-keep-publishing/"

# What a printed page leaves out: each is on the statement page on screen.
NOT_PRINTED = {
    "the skip link": ".skip-link",
    "the site's navigation": ".site-nav",
    "the languages": ".language-switcher",
    "the search form": ".site-search",
    "the comment form": "#comment-form",
    "the CAPTCHA": "fieldset.captcha",
    "the Reply links": ".comment-links a",
    "the comments' feed": ".subscribe",
    "the site's feeds": ".site-footer",
}

# The statement page printed 4 pages (Letter, 1 cm margins) while the form,
# the CAPTCHA and the navigation were printed too.
PAGES_PRINTED_BEFORE = 4

# Every element that shows, with a colour or background other than black on
# nothing (the paper).
NOT_BLACK_ON_WHITE = """() => [...document.querySelectorAll("body, body *")]
  .filter(element => element.checkVisibility())
  .map(element => [element, getComputedStyle(element)])
  .filter(([, style]) => style.color !== "rgb(0, 0, 0)"
    || style.backgroundColor !== "rgba(0, 0, 0, 0)"
    || style.backgroundImage !== "none")
  .map(([element, style]) =>
    `${element.outerHTML.slice(0, 80)}: ${style.color} on ${style.backgroundColor}`)"""


@pytest.fixture
def new_page(browser, site) -> Iterator[Any]:
    """A factory of tabs in fresh browser profiles at ``viewport``, with the
    browser's colour scheme set (never left to the shared tabs), signed in as
    the demo's moderator when asked."""
    contexts = []

    def new(
        viewport: str = "desktop",
        *,
        color_scheme: str = "light",
        signed_in: bool = False,
    ) -> Any:
        context = browser.new_context(
            base_url=site.base_url,
            viewport=VIEWPORTS[viewport],
            color_scheme=color_scheme,
        )
        context.set_default_timeout(10_000)
        if signed_in:
            context.add_cookies(site.session_cookies())
        contexts.append(context)
        return context.new_page()

    yield new
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def poppler() -> None:
    """pdfinfo and pdftotext, which read the printed PDF."""
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        require("install poppler-utils (apt-get install poppler-utils)")


@pytest.mark.parametrize("path", STATEMENTS_WITH_COMMENTS, ids=["en", "fa"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_print_leaves_out_forms_and_navigation(new_page, path, color_scheme):
    page = new_page(color_scheme=color_scheme)
    page.goto(path)
    on_screen = {name: page.locator(css) for name, css in NOT_PRINTED.items()}
    for name, element in on_screen.items():
        assert element.count(), f"{name} is missing from {path}"
        # The skip link shows once focused: it is there, just off-screen.
        assert element.first.evaluate("e => e.checkVisibility()"), f"{name} is hidden"
    page.emulate_media(media="print")
    printed = [
        name for name, element in on_screen.items() if element.first.is_visible()
    ]
    assert not printed, f"printed from {path}: {printed}"
    assert (
        page.locator("nav").evaluate_all(
            "navs => navs.filter(nav => nav.checkVisibility()).length"
        )
        == 0
    ), "a navigation is printed"
    for kept in [
        "h1",
        ".statement-body",
        ".signature",
        ".comment-meta",
        ".comment-body",
    ]:
        assert page.locator(kept).first.is_visible(), f"{kept} is not printed"
    not_black_on_white = page.evaluate(NOT_BLACK_ON_WHITE)
    assert not not_black_on_white, "\n".join(not_black_on_white)
    # A comment's header (name, date, whom it answers) stays on one page, with
    # the start of the comment.
    header = page.locator(".comment-meta").first
    assert header.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    assert header.evaluate("e => getComputedStyle(e).breakAfter") == "avoid"


def test_print_writes_the_address_after_a_link_to_another_site(new_page):
    page = new_page()
    page.goto(LINKING_STATEMENT)
    link = page.locator('.statement-body a[href^="https://"]').first
    href = link.get_attribute("href")
    after = "e => getComputedStyle(e, '::after').content"
    assert link.evaluate(after) in {"none", "normal"}, "on screen, the text is enough"
    page.emulate_media(media="print")
    assert href in link.evaluate(after)


def test_a_statement_with_comments_prints_on_fewer_pages(new_page, poppler, tmp_path):
    page = new_page()
    page.goto(PORT_ALDER)
    pdf = tmp_path / "statement.pdf"
    page.pdf(path=pdf, **PAPER)
    info = run("pdfinfo", pdf)
    pages = int(
        next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]
    )
    assert pages < PAGES_PRINTED_BEFORE, f"{pages} pages"
    text = " ".join(run("pdftotext", "-layout", pdf, "-").split())
    title = page.locator("h1").inner_text()
    assert " ".join(title.split()) in text
    for comment in page.locator(".comment-body").all_inner_texts():
        assert " ".join(comment.split()) in text, "a comment is not printed"
    for left_out in [
        "Add new comment",
        "Your name",
        "CAPTCHA",
        "What code is in the image?",
        "Preview",
        "Reply",
        "Skip to main content",
        "Archive",
        "Follow the comments",
        "Atom feed",
    ]:
        assert left_out not in text, f"{left_out!r} is printed"


def run(*command: Any) -> str:
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout


# The statement page, the front page, and a comment form that shows errors.
def refused_comment(page: Any) -> None:
    """Send the statement's comment form empty: it comes back with errors."""
    form = page.locator("#comment-form form")
    form.evaluate("form => { form.noValidate = true; }")
    form.locator("button[name=op][value=save]").click()
    page.wait_for_load_state()
    assert page.locator(".errorlist").count(), "the empty form shows no error"


DARK_PAGES = {
    "front": ("/", None),
    "statement-comments": (PORT_ALDER, None),
    "comment-form-error": (PORT_ALDER, refused_comment),
    "fa-statement-comments": (STATEMENTS_WITH_COMMENTS[1], None),
}

BACKGROUND_LUMINANCE = """() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor
    .match(/\\d+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(DARK_PAGES))
def test_axe_finds_no_violation_in_dark_mode(new_page, axe_script, name, viewport):
    path, then = DARK_PAGES[name]
    page = new_page(viewport, color_scheme="dark")
    page.goto(path)
    if then:
        then(page)
    assert_accessible_in_the_dark(page, axe_script, f"{name} ({viewport})")


# Those not tested above, and not Django's admin, which has its own dark colours.
OTHER_PAGES = [
    page
    for page in KEY_PAGES
    if page.name not in DARK_PAGES and "admin" not in page.name
]


@pytest.mark.parametrize("other_page", OTHER_PAGES, ids=lambda page: page.name)
def test_every_other_key_page_is_accessible_in_dark_mode(
    other_page, new_page, axe_script
):
    """At one width: the colours are the same at both."""
    page = new_page(color_scheme="dark", signed_in=other_page.signed_in)
    assert page.goto(other_page.path).status == other_page.status
    assert_accessible_in_the_dark(page, axe_script, other_page.name)


def assert_accessible_in_the_dark(page: Any, axe_script: str, label: str) -> None:
    assert page.evaluate(BACKGROUND_LUMINANCE) < 0.2, f"{label} is not dark"
    page.evaluate(axe_script)
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    assert not violations, f"axe-core on {label} in dark mode:\n" + "\n".join(
        f"- {rule['id']}: {rule['help']}\n"
        + "\n".join(
            f"    at {node['target']}: {node['summary']}" for node in rule["nodes"]
        )
        for rule in violations
    )
