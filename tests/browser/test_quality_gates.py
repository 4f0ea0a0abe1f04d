"""Every key page, in Debian's Chromium, at a phone's and a desktop's width:
accessible (axe-core, WCAG 2.2 A and AA), valid HTML (the Nu HTML Checker),
usable without JavaScript, asking nothing of any other host, and with a skip
link that a keyboard reaches first."""

import urllib.parse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN_AXE = """tags => axe.run(document, {
  runOnly: {type: "tag", values: tags},
  resultTypes: ["violations"],
}).then(results => results.violations.map(rule => ({
  id: rule.id,
  impact: rule.impact,
  help: rule.help,
  nodes: rule.nodes.map(node => ({
    target: node.target.join(" "),
    summary: node.failureSummary,
  })),
})))"""


def test_axe_finds_no_wcag_violation(key_page, viewport, open_page, axe_script):
    page = open_page()
    response = page.goto(key_page.path)
    assert response.status == key_page.status
    # Evaluated through the DevTools protocol: page.add_script_tag() would insert
    # an inline <script>, which the site's Content-Security-Policy refuses.
    page.evaluate(axe_script)
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    assert not violations, f"axe-core on {key_page.path} ({viewport}):\n" + "\n".join(
        f"- {rule['id']} ({rule['impact']}): {rule['help']}\n"
        + "\n".join(
            f"    at {node['target']}: {node['summary']}".replace("\n", "\n      ")
            for node in rule["nodes"]
        )
        for rule in violations
    )


def vnu_errors(messages: list[dict]) -> list[dict]:
    return [
        message
        for message in messages
        if message["type"] in {"error", "non-document-error"}
    ]


def test_nu_html_checker_finds_no_error(key_page, vnu_messages):
    report = vnu_messages[key_page.name]
    assert report["status"] == key_page.status
    errors = vnu_errors(report["messages"])
    assert not errors, f"vnu.jar on {key_page.path}:\n" + "\n".join(
        f"- line {error.get('lastLine', '?')}: {error['message']}\n"
        f"    {error.get('extract', '').strip()!r}"
        for error in errors
    )


# Form controls that readers cannot see, except those hidden from everyone on
# purpose (a spam trap, say): with the `hidden` attribute or aria-hidden.
HIDDEN_CONTROLS = """controls => controls
  .filter(control => control.type !== "hidden" && !control.checkVisibility()
    && !control.closest("[hidden], [aria-hidden=true]"))
  .map(control => control.outerHTML)"""


def test_usable_without_javascript(key_page, open_page, site):
    page = open_page(javascript=False)
    response = page.goto(key_page.path)
    assert response.status == key_page.status
    main = page.locator("main")
    assert main.is_visible()
    assert main.inner_text().strip(), "main shows no text without JavaScript"
    for heading in page.locator("h1").all():
        assert heading.is_visible(), f"{heading.inner_text()!r} is hidden"
    hidden_controls = main.locator("input, select, textarea, button").evaluate_all(
        HIDDEN_CONTROLS
    )
    assert not hidden_controls, f"hidden without JavaScript: {hidden_controls}"
    for link in page.locator("nav a").all():
        assert_link_works(page, link)
    if key_page.without_javascript:
        key_page.without_javascript(page, site)


def assert_link_works(page, link) -> None:
    """A link that needs no script: its address answers, or its target is here."""
    href = link.get_attribute("href") or ""
    url = link.evaluate("a => a.href")
    target = urllib.parse.urlsplit(url)
    assert href and target.scheme in {"http", "https"}, f"{href!r} needs a script"
    if href.startswith("#"):
        assert page.locator(f"[id='{href[1:]}']").count() == 1, f"{href} is missing"
        return
    if target.netloc != urllib.parse.urlsplit(page.url).netloc:
        return  # another site's page: these tests reach no other host
    # The browser's own HTTP client, with the tab's cookies: a page load would
    # prove no more, since the page itself has no script to run.
    response = page.request.get(url)
    assert response.status == 200, f"the link {href} answers {response.status}"


def test_no_request_leaves_the_server(key_page, viewport, open_page, site):
    page = open_page()
    server = urllib.parse.urlsplit(site.base_url).netloc
    requested = []

    def log(request) -> None:
        requested.append(request.url)

    def elsewhere(url: str) -> bool:
        return urllib.parse.urlsplit(url).netloc != server

    page.on("request", log)
    page.on("websocket", log)
    # Nothing may actually leave this machine, even when a page asks.
    page.route(elsewhere, lambda route: route.abort())
    try:
        page.goto(key_page.path)
    finally:
        page.remove_listener("request", log)
        page.remove_listener("websocket", log)
        page.unroute(elsewhere)
    foreign = [
        url
        for url in requested
        if urllib.parse.urlsplit(url).scheme != "data" and elsewhere(url)
    ]
    assert not foreign, f"{key_page.path} asks other hosts for: {foreign}"
    assert requested, "the request log is empty; is the listener working?"


FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const box = element.getBoundingClientRect();
  return {
    html: element.outerHTML.slice(0, 120),
    text: element.textContent.trim(),
    inMain: element.closest("main") !== null,
    onScreen: box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0
      && box.bottom <= innerHeight && box.right <= innerWidth,
  };
}"""


SETTLED = """() => new Promise(done =>
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0))))"""


def test_first_tab_reaches_the_skip_link(key_page, viewport, open_page):
    page = open_page()
    page.goto(key_page.path)
    # The browser applies `autofocus` after loading, on a later frame: let it,
    # or a Tab pressed in between races with it.
    page.wait_for_load_state("load")
    page.evaluate(SETTLED)
    autofocused = page.evaluate(FOCUSED)
    if autofocused:
        # A page may put the keyboard in its one form at once (Django's admin
        # login does), but only inside main. Shift+Tab back out of the page, so
        # that the next Tab starts from its top, as on every other page.
        assert autofocused["inMain"], f"focus starts outside main: {autofocused}"
        for _ in range(50):
            page.keyboard.press("Shift+Tab")
            if page.evaluate(FOCUSED) is None:
                break
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    # Ours, or the admin's own; in whatever language the page speaks.
    skip_links = ('class="skip-link" href="#main"', 'href="#content-start"')
    assert focused and any(link in focused["html"] for link in skip_links), (
        f"the first Tab reaches {focused and focused['html']}"
    )
    assert focused["onScreen"], "the focused skip link is not visible on screen"
    page.keyboard.press("Enter")
    focused = page.evaluate(FOCUSED)
    assert focused and focused["inMain"], f"the skip link moved focus to {focused}"
