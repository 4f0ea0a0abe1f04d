"""Write full-page PNGs of every key page at every width to docs/screenshots/,
and of the pages in OTHER_WAYS printed and in the dark.

Run as `make screenshots` (or `python -m tests.browser.screenshots`); names
given after it (`statement-comments-print`, `front`) take only those pictures.
Starts the demo site the way the browser tests do, in a temporary data folder.
`--versions` takes only the versions pages, of statements it edits first.
"""

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.browser import tools
from tests.browser.pages import (
    KEY_PAGES,
    MAKE_EDITED,
    OTHER_WAYS,
    PAPER,
    VERSION_PAGES,
    VIEWPORTS,
    KeyPage,
)

OUTPUT = tools.REPO_ROOT / "docs" / "screenshots"

LOAD_LAZY_IMAGES = """() => Promise.all([...document.images].map(image => {
  image.loading = "eager";
  return image.decode().catch(() => null);
}))"""


def main(argv: list[str]) -> int:
    names = [name for name in argv if name != "--versions"]
    missing = tools.browser_missing()
    if missing:
        sys.stderr.write(f"Cannot take screenshots: {missing}.\n")
        return 1
    from playwright.sync_api import sync_playwright

    def wanted(name: str) -> bool:
        return not names or name in names

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="communique-screenshots-") as data_dir,
        tools.demo_site(Path(data_dir)) as site,
        sync_playwright() as playwright,
    ):
        browser = tools.launch_chromium(playwright)
        key_pages = KEY_PAGES
        if "--versions" in argv:
            site._python(MAKE_EDITED)
            key_pages = VERSION_PAGES
        for width, viewport in VIEWPORTS.items():
            for name, key_page, color_scheme in screen_pictures(key_pages):
                if not wanted(name):
                    continue
                context = browser.new_context(
                    base_url=site.base_url, viewport=viewport, color_scheme=color_scheme
                )
                path = OUTPUT / f"{name}-{width}.png"
                open_(context, key_page, site).screenshot(path=path, full_page=True)
                context.close()
                sys.stdout.write(f"{path.relative_to(tools.REPO_ROOT)}\n")
        for key_page in key_pages:
            name = f"{key_page.name}-print"
            if "print" in OTHER_WAYS.get(key_page.name, ()) and wanted(name):
                context = browser.new_context(base_url=site.base_url)
                print_pages(open_(context, key_page, site), name)
                context.close()
        browser.close()
    return 0


def screen_pictures(key_pages: list[KeyPage]) -> Iterator[tuple[str, KeyPage, str]]:
    """(picture name, key page, colour scheme) of each picture taken at every width."""
    for key_page in key_pages:
        yield key_page.name, key_page, "light"
        if "dark" in OTHER_WAYS.get(key_page.name, ()):
            yield f"{key_page.name}-dark", key_page, "dark"


def open_(context, key_page, site):
    """A tab of ``context`` showing ``key_page``, images and all."""
    if key_page.signed_in:
        context.add_cookies(site.session_cookies())
    page = context.new_page()
    page.goto(key_page.path)
    # A full-page picture shows what lies below the fold too, so
    # images loaded lazily (the CAPTCHA's) must be there.
    page.evaluate(LOAD_LAZY_IMAGES)
    return page


def print_pages(page, name: str) -> None:
    """Print ``page`` to PDF as the browser would, then write each of its
    pages as <name>-<number>.png (pdftoppm, from poppler-utils)."""
    if shutil.which("pdftoppm") is None:
        sys.stderr.write(f"No {name} pictures: install poppler-utils.\n")
        return
    for old in OUTPUT.glob(f"{name}-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / f"{name}.pdf"
        page.pdf(path=pdf, **PAPER)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "72", pdf, OUTPUT / name],
            check=True,
            timeout=60,
        )
    for path in sorted(OUTPUT.glob(f"{name}-*.png")):
        sys.stdout.write(f"{path.relative_to(tools.REPO_ROOT)}\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
