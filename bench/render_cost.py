"""What one page costs inside a worker, without a server or a network.

Run: .venv/bin/python bench/render_cost.py [--requests 300]

Prepares the site `bench/pages.py` measures (the reference statement with 50
comments, on SQLite in a temporary folder), then calls the WSGI application
(`communique.wsgi.application`) in-process and prints the median and mean
time of:

  - the statement page and the front page rendered (page cache off);
  - the same pages served from the worker's memory by the page cache's WSGI
    layer (a CSRF token, a CAPTCHA id and a form time made per response).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import communique, prepare_site

MEASURE = """
import io, json, sys, time
from communique.wsgi import application

def environ(path):
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
        "SCRIPT_NAME": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
    }

def start_response(status, headers, exc_info=None):
    assert status == "200 OK", status

results = {}
for path in json.loads(sys.argv[1]):
    for _ in range(5):
        b"".join(application(environ(path), start_response))
    times = []
    for _ in range(int(sys.argv[2])):
        began = time.perf_counter()
        b"".join(application(environ(path), start_response))
        times.append((time.perf_counter() - began) * 1e6)
    results[path] = times
print(json.dumps(results))
"""


def measure(env: dict[str, str], paths: list[str], requests: int) -> dict:
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, json.dumps(paths), str(requests)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    return json.loads(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="communique-bench-") as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
        env["COMMUNIQUE_DATA_DIR"] = str(Path(folder) / "data")
        env["DJANGO_SETTINGS_MODULE"] = "communique.settings"
        statement = prepare_site(env)
        communique(env, "collectstatic", "--noinput", "--verbosity", "0")
        paths = [statement, "/"]
        rows = []
        for cache, label in (("false", "rendered"), ("true", "from memory")):
            found = measure(
                {**env, "COMMUNIQUE_PAGE_CACHE": cache}, paths, arguments.requests
            )
            for path, name in zip(paths, ("statement", "front page"), strict=True):
                times = found[path]
                median, mean = statistics.median(times), statistics.mean(times)
                rows.append((f"{name}, {label}", median, mean))
    print(f"\nin-process, {arguments.requests} requests each; microseconds")
    print(f"{'what':32} {'median':>10} {'mean':>10}")
    for label, median, mean in rows:
        print(f"{label:32} {median:>10.1f} {mean:>10.1f}")


if __name__ == "__main__":
    main()
