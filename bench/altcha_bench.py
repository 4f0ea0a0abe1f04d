"""What the proof of work (ALTCHA) costs an attacker and a reader, at a given
max number (by default the site's default, COMMUNIQUE_ALTCHA_MAX_NUMBER).

    .venv/bin/python bench/altcha_bench.py [--max-number N] [--attacks 20]
        [--solves 10] [--no-browser]

(a) The attacker: CPU seconds of one core to solve one challenge with the
    altcha library's own solver, which derives keys with Python's hashlib
    (OpenSSL's native PBKDF2), median over ``--attacks`` challenges.
(b) The reader: wall time in Debian's Chromium (Playwright) from putting the
    real widget (our vendored copy, under our Content-Security-Policy) into a
    page until it reports "verified", median over ``--solves`` solves, and
    the time the widget's own solver reports (the proof of work alone, without
    the widget's least duration of 0.5 s or fetching the challenge).

The challenges are made by ``communique.captcha.proofs.new_challenge`` and
served by a small local server; nothing leaves this machine.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ATTACKER_TARGET_S = 0.5
READER_TARGET_S = 2.0
STATIC = Path(__file__).resolve().parents[1] / "src/communique/static/communique"

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>ALTCHA bench</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/altcha/altcha.css">
<script type="module" src="/altcha/altcha.min.js"></script>
<script src="/bench.js" defer></script></head><body><form></form></body></html>"""

# The same steps as static/communique/captcha.js, timed.
SCRIPT = """
window.solveOnce = function () {
  $altcha.algorithms.set("PBKDF2/SHA-256", function () {
    return new Worker("/altcha/pbkdf2.js");
  });
  return new Promise(function (resolve, reject) {
    var form = document.querySelector("form");
    form.replaceChildren();
    var widget = document.createElement("altcha-widget");
    widget.setAttribute("challenge", "/challenge");
    widget.setAttribute("name", "proof");
    widget.setAttribute("auto", "onload");
    widget.setAttribute("display", "invisible");
    widget.setAttribute("configuration", JSON.stringify({
      hideFooter: true, hideLogo: true, humanInteractionSignature: false
    }));
    var start = performance.now();
    widget.addEventListener("statechange", function (event) {
      var state = event.detail && event.detail.state;
      if (state === "verified") {
        var payload = form.querySelector("input[name=proof]").value;
        resolve({ms: performance.now() - start, payload: payload});
      } else if (state === "error" || state === "expired") {
        reject(new Error(state));
      }
    });
    form.appendChild(widget);
  });
};
"""


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def setup_django(data_dir: str, max_number: int | None) -> None:
    os.environ["COMMUNIQUE_DATA_DIR"] = data_dir
    if max_number is not None:
        os.environ["COMMUNIQUE_ALTCHA_MAX_NUMBER"] = str(max_number)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communique.settings")
    import django

    django.setup()


def attacker(count: int) -> list[float]:
    """CPU seconds to solve each of ``count`` challenges with hashlib."""
    import altcha

    from communique.captcha import proofs

    spent = []
    for _ in range(count):
        challenge = altcha.Challenge.from_dict(proofs.new_challenge())
        start = time.process_time()
        solution = altcha.solve_challenge(challenge, timeout=600)
        spent.append(time.process_time() - start)
        assert solution is not None
    return spent


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        from communique.captcha import proofs
        from communique.middleware import CONTENT_SECURITY_POLICY

        if self.path == "/":
            body, kind = PAGE.encode(), "text/html; charset=utf-8"
        elif self.path == "/bench.js":
            body, kind = SCRIPT.encode(), "text/javascript"
        elif self.path == "/challenge":
            body = json.dumps(proofs.new_challenge()).encode()
            kind = "application/json"
        elif self.path.startswith("/altcha/") and ".." not in self.path:
            path = STATIC / self.path.lstrip("/")
            body = path.read_bytes()
            kind = "text/css" if path.suffix == ".css" else "text/javascript"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def reader(count: int) -> tuple[list[float], list[float], int]:
    """Wall seconds per solve in Chromium, the solver's own seconds, and the
    number of workers the widget used (one per core)."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.browser.tools import launch_chromium

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    walls, solver = [], []
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page()
            errors = []
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.goto(base + "/")
            page.wait_for_function("window.$altcha && window.solveOnce")
            cores = page.evaluate("navigator.hardwareConcurrency")
            page.evaluate("solveOnce()")  # warm-up: the workers' first start
            for _ in range(count):
                result = page.evaluate("solveOnce()")
                walls.append(result["ms"] / 1000)
                payload = json.loads(base64.b64decode(result["payload"]))
                solver.append(payload["solution"]["time"] / 1000)
            assert not errors, errors
            browser.close()
    finally:
        server.shutdown()
    return walls, solver, cores


def describe(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return (
        f"{name}: median {statistics.median(values):.3f} s, "
        f"mean {statistics.mean(values):.3f} s, p90 {p90:.3f} s, "
        f"max {ordered[-1]:.3f} s (n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-number", type=int, default=None)
    parser.add_argument("--attacks", type=int, default=20)
    parser.add_argument("--solves", type=int, default=10)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        setup_django(data_dir, args.max_number)
        from django.conf import settings

        from communique.captcha import proofs

        top = settings.COMMUNIQUE_ALTCHA_MAX_NUMBER
        out(
            f"{proofs.ALGORITHM}, {proofs.ITERATIONS:,} iterations a try, "
            f"max number {top} (counters drawn from [{top // 2}, {top}))"
        )
        spent = attacker(args.attacks)
        attack = statistics.median(spent)
        out(describe("attacker, CPU of one core (hashlib)", spent))
        verdict = "meets" if attack >= ATTACKER_TARGET_S else "MISSES"
        out(f"  {verdict} the target of at least {ATTACKER_TARGET_S} s")
        if args.no_browser:
            return
        walls, solver, cores = reader(args.solves)
        wall = statistics.median(walls)
        out(describe(f"reader, wall time in Chromium ({cores} workers)", walls))
        out(describe("  of which the proof of work (solver's own time)", solver))
        verdict = "meets" if wall <= READER_TARGET_S else "MISSES"
        out(f"  {verdict} the target of at most {READER_TARGET_S} s")
        pow_only = statistics.median(solver)
        out(
            f"attacker CPU / reader's proof-of-work wall time: "
            f"{attack / pow_only:.2f} (the reader's {cores} workers run "
            f"in parallel; per core the ratio is {attack / (pow_only * cores):.2f})"
        )


if __name__ == "__main__":
    main()
