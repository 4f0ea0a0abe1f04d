"""Write full-page PNGs of every key page at every width to docs/screenshots/.

Run as `make screenshots` (or `python -m tests.browser.screenshots`). Starts the
demo site the way the browser tests do, in a temporary data folder.
`--versions` writes only the versions pages, of statements it edits first.
"""

import sys
import tempfile
from pathlib import Path

from tests.browser import tools
from tests.browser.pages import KEY_PAGES, MAKE_EDITED, VERSION_PAGES, VIEWPORTS

OUTPUT = tools.REPO_ROOT / "docs" / "screenshots"

LOAD_LAZY_IMAGES = """() => Promise.all([...document.images].map(image => {
  image.loading = "eager";
  return image.decode().catch(() => null);
}))"""


def main(argv: list[str]) -> int:
    missing = tools.browser_missing()
    if missing:
        sys.stderr.write(f"Cannot take screenshots: {missing}.\n")
        return 1
    from playwright.sync_api import sync_playwright

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
            for key_page in key_pages:
                context = browser.new_context(base_url=site.base_url, viewport=viewport)
                if key_page.signed_in:
                    context.add_cookies(site.session_cookies())
                page = context.new_page()
                page.goto(key_page.path)
                # A full-page picture shows what lies below the fold too, so
                # images loaded lazily (the CAPTCHA's) must be there.
                page.evaluate(LOAD_LAZY_IMAGES)
                path = OUTPUT / f"{key_page.name}-{width}.png"
                page.screenshot(path=path, full_page=True)
                context.close()
                sys.stdout.write(f"{path.relative_to(tools.REPO_ROOT)}\n")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
