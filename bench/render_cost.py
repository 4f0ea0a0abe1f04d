"""What one page costs inside a worker, without a server or a network.

Run: .venv/bin/python bench/render_cost.py [--requests 300] [--instructions]

Prepares the site `bench/pages.py` measures (bench/serving.py: the reference
statement with 50 comments, on SQLite in a temporary folder), then calls the
WSGI application (`communique.wsgi.application`) in-process and prints the
median and mean time of:

  - the statement page and the front page rendered (page cache off);
  - of the rendered statement page, what making the page cache's entry
    costs (its digest and the gzip copy the storing request asks for), which
    every render pays, with the page cache on (a miss) or off;
  - the same pages served from the worker's memory by the page cache's WSGI
    layer, uncompressed (the same bytes for every reader: nothing is made
    per response).

``--instructions`` also counts the instructions each request takes, under
valgrind's callgrind: a figure that, unlike time, does not move with the
machine's load, for comparing the code before and after a change.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import communique, prepare_site

# Requests per page under callgrind, which runs the code some fifty times slower.
INSTRUCTION_REQUESTS = 50

# A path with this prefix measures storing the page instead of serving it
# (MEASURE repeats it).
STORING = "storing:"

MEASURE = """
import functools, io, json, sys, time
from communique.wsgi import application
STORING = "storing:"

def environ(path):
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
        "SCRIPT_NAME": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
    }

def start_response(status, headers, exc_info=None):
    assert status == "200 OK", status

def serve(path):
    return b"".join(application(environ(path), start_response))

def storing(path):
    # Making the page cache's entry of a rendered page: its digest, and the
    # gzip copy the storing request asks for (the page cache's own Entry).
    from communique.pagecache.pages import Entry
    body = serve(path)
    return lambda: Entry(body, (), {}, 0.0).variant("gzip")

results = {}
for path in json.loads(sys.argv[1]):
    if path.startswith(STORING):
        work = storing(path.removeprefix(STORING))
    else:
        work = functools.partial(serve, path)
    for _ in range(5):
        work()
    if sys.argv[3] == "instructions":
        # Under callgrind, which counts only inside functools.reduce: the
        # requests and nothing else.
        functools.reduce(lambda _, __: work(), range(int(sys.argv[2])), None)
        continue
    times = []
    for _ in range(int(sys.argv[2])):
        began = time.perf_counter()
        work()
        times.append((time.perf_counter() - began) * 1e6)
    results[path] = times
print(json.dumps(results))
"""


def measure(env: dict[str, str], paths: list[str], requests: int) -> dict:
    timed = subprocess.run(
        [sys.executable, "-c", MEASURE, json.dumps(paths), str(requests), "time"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if timed.returncode != 0:
        sys.exit(f"measuring failed ({timed.returncode}):\n{timed.stderr[-3000:]}")
    return json.loads(timed.stdout)


def count_instructions(
    env: dict[str, str], paths: list[str], requests: int, folder: Path
) -> dict[str, float]:
    """Instructions per request for each of ``paths``, counted by callgrind.

    Unlike time, the count is the same from one run to the next and from a
    busy machine to an idle one, so it shows what a change to the code did.
    """
    out = folder / f"callgrind-{env['COMMUNIQUE_PAGE_CACHE']}"
    counted = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
         "--toggle-collect=functools_reduce", "--dump-after=functools_reduce",
         sys.executable, "-c", MEASURE, json.dumps(paths), str(requests),
         "instructions"],
        env=env, capture_output=True, text=True, check=False, timeout=1800,
    )  # fmt: skip
    if counted.returncode != 0:
        sys.exit(f"callgrind failed ({counted.returncode}):\n{counted.stderr[-3000:]}")
    counts = {}
    for number, path in enumerate(paths, start=1):
        dump = Path(f"{out}.{number}").read_text()
        counts[path] = int(re.search(r"^summary: (\d+)", dump, re.M).group(1))
    return {path: count / requests for path, count in counts.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count instructions per request with valgrind (a few minutes)",
    )
    arguments = parser.parse_args()
    if arguments.instructions and not shutil.which("valgrind"):
        sys.exit("--instructions needs valgrind (apt-get install valgrind).")
    with tempfile.TemporaryDirectory(prefix="communique-bench-") as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
        env["COMMUNIQUE_DATA_DIR"] = str(Path(folder) / "data")
        env["DJANGO_SETTINGS_MODULE"] = "communique.settings"
        statement = prepare_site(env)
        communique(env, "collectstatic", "--noinput", "--verbosity", "0")
        names = {statement: "statement", "/": "front page"}
        names[STORING + statement] = "statement"
        rows = []
        for cache, label in (("false", "rendered"), ("true", "from memory")):
            paths = [statement, "/"]
            if cache == "false":
                paths.append(STORING + statement)
            run_env = {**env, "COMMUNIQUE_PAGE_CACHE": cache}
            found = measure(run_env, paths, arguments.requests)
            counted = (
                count_instructions(run_env, paths, INSTRUCTION_REQUESTS, Path(folder))
                if arguments.instructions
                else {}
            )
            for path in paths:
                what = f"{names[path]}, {label}"
                if path.startswith(STORING):
                    what = f"{names[path]}, of it: compressed and digested to store"
                times = found[path]
                median, mean = statistics.median(times), statistics.mean(times)
                rows.append((what, median, mean, counted.get(path)))
    print(f"\nin-process, {arguments.requests} requests each; microseconds")
    if arguments.instructions:
        print(f"instructions: per request, callgrind over {INSTRUCTION_REQUESTS}")
    heading = f"{'what':60} {'median':>10} {'mean':>10}"
    if arguments.instructions:
        heading += f" {'instructions':>14}"
    print(heading)
    for label, median, mean, instructions in rows:
        line = f"{label:60} {median:>10.1f} {mean:>10.1f}"
        if instructions is not None:
            line += f" {instructions:>14,.0f}"
        print(line)


if __name__ == "__main__":
    main()
