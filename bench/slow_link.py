"""The statement page over a slow link, in Chromium: when its load event comes.

Run: .venv/bin/python bench/slow_link.py [--runs 5] [--down-kbit 250]
     [--up-kbit 100] [--latency-ms 300]

Prepares the site of bench/serving.py (the statement page with 50 comments)
and serves it with `communique serve` (two workers, page cache on, as
deployed). Then Debian's Chromium, driven by Playwright, loads the page with
the network emulated through the DevTools protocol
(`Network.emulateNetworkConditions`: 250 kbit/s down, 100 kbit/s up, 300 ms
added to every request's round trip), each run in a fresh browser context:
an empty HTTP cache, new connections, a first visit. It prints, for each way
of asking, the median time from navigation to the load event
(`loadEventStart` of the navigation timing entry) with the range, the
requests finished before it and the bytes they transferred (headers
included, from resource timing's `transferSize`):

  as Chromium asks    Accept-Encoding: gzip, deflate, br, zstd, as Chromium
                      sends it to a secure origin (127.0.0.1 counts as one,
                      as HTTPS would): the page comes brotli-compressed
  gzip                Accept-Encoding: gzip, deflate, as Chromium sends it
                      over plain HTTP: the page comes gzip-compressed
  nothing compressed  Accept-Encoding: identity: the page and the static
                      files as they are (before today the page itself was
                      sent so, and the static files compressed)

The header is set for the whole browser context (Chromium ignores one set
for a single intercepted request and keeps its own).

Chromium's emulation adds the latency once per request (no handshakes, no TCP
slow start) and shares the bandwidth between the requests in flight. The
CAPTCHA image loads only once the form is in view, so it is not part of the
load. Needs `apt-get install chromium`. Loopback only; every wait is bounded.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import fetch, free_port, prepare_site, site_server

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and without Chromium's own background traffic (as tests/browser).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]
# How each mode asks, and the Content-Encoding the page must come with.
MODES = {
    "as Chromium asks": (None, "br"),
    "gzip": ({"Accept-Encoding": "gzip, deflate"}, "gzip"),
    "nothing compressed": ({"Accept-Encoding": "identity"}, "none"),
}
TIMEOUT_MS = 60_000

TIMINGS = """() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  const load = navigation.loadEventStart;
  const resources = performance.getEntriesByType("resource")
    .filter((entry) => entry.responseEnd <= load);
  return {
    load,
    page: navigation.transferSize,
    requests: 1 + resources.length,
    bytes: navigation.transferSize
      + resources.reduce((sum, entry) => sum + entry.transferSize, 0),
  };
}"""


def load_once(browser, url: str, mode: str, conditions: dict) -> dict:
    """Load ``url`` in a fresh context over the emulated link."""
    headers, expected = MODES[mode]
    context = browser.new_context(extra_http_headers=headers)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        devtools.send("Network.emulateNetworkConditions", conditions)
        response = page.goto(url, wait_until="load")
        encoding = response.header_value("content-encoding") or "none"
        if response.status != 200 or encoding != expected:
            sys.exit(f"{mode}: the page came {response.status}, encoding {encoding}")
        return {**page.evaluate(TIMINGS), "encoding": encoding}
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--down-kbit", type=float, default=250)
    parser.add_argument("--up-kbit", type=float, default=100)
    parser.add_argument("--latency-ms", type=float, default=300)
    arguments = parser.parse_args()
    if not CHROMIUM.is_file():
        sys.exit("Needs Debian's chromium (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    conditions = {
        "offline": False,
        "latency": arguments.latency_ms,
        "downloadThroughput": arguments.down_kbit * 1000 / 8,  # bytes per second
        "uploadThroughput": arguments.up_kbit * 1000 / 8,
    }
    load_before = os.getloadavg()[0]
    results: dict[str, list[dict]] = {mode: [] for mode in MODES}
    with tempfile.TemporaryDirectory(prefix="communique-slow-") as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
        env["COMMUNIQUE_DATA_DIR"] = str(Path(folder) / "data")
        path = prepare_site(env)
        port = free_port()
        url = f"http://127.0.0.1:{port}{path}"
        with site_server(env, port, "granian"), sync_playwright() as playwright:
            for _ in range(4):  # rendered and stored, in both workers
                fetch(url)
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                load_once(browser, url, "gzip", {**conditions, "latency": 0})
                for _ in range(max(arguments.runs, 1)):
                    for mode in MODES:  # interleaved: drift affects all alike
                        results[mode].append(load_once(browser, url, mode, conditions))
            finally:
                browser.close()
    print(
        f"\nChromium {arguments.down_kbit:g} kbit/s down, {arguments.up_kbit:g} "
        f"kbit/s up, {arguments.latency_ms:g} ms added per request; page {path}; "
        f"{arguments.runs} runs each, a fresh context per run; load average "
        f"{load_before:.2f} before"
    )
    print(
        f"{'asked':20} {'load event s':>12} {'range s':>13} {'requests':>9} "
        f"{'page':>5} {'page bytes':>11} {'all bytes':>10}"
    )
    for mode, runs in results.items():
        loads = sorted(run["load"] / 1000 for run in runs)
        last = runs[-1]
        print(
            f"{mode:20} {statistics.median(loads):>12.2f} "
            f"{f'{loads[0]:.2f}-{loads[-1]:.2f}':>13} {last['requests']:>9} "
            f"{last['encoding']:>5} {last['page']:>11,} {last['bytes']:>10,}"
        )


if __name__ == "__main__":
    main()
