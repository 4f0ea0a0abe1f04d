"""How long `communique export-static` takes: a full copy, a run when nothing
changed, and a run after one statement changed.

Run: .venv/bin/python bench/export_static.py [--statements 10000] [--comments 20000]
     [--no-page-cache]

Builds two throwaway SQLite sites in temporary folders: the demo site
(`communique demo --no-serve`) and one filled by `communique generate` with
--statements statements and --comments comments. For each, it times the
command as an operator runs it (a fresh process each time, start-up
included) into an empty folder, then again with nothing changed, then after
one statement's title was edited through the site's own service (which
retires its cached pages, as an edit in the admin does). It prints the
seconds and the counts the command reported.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SITE_URL = "https://statements.example.org"
# Run in the site's process: edit one statement as an editor would.
EDIT_ONE = """
import django
django.setup()
from communique.publishing import services
from communique.publishing.models import Statement
statement = Statement.objects.published().order_by("pk")[1]
statement.title += " (corrected)"
services.save_statement(statement=statement)
"""


def communique(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "communique", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    if result.returncode != 0:
        raise SystemExit(f"communique {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def site_env(data_dir: Path, page_cache: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
    env.update(
        COMMUNIQUE_DATA_DIR=str(data_dir),
        COMMUNIQUE_SITE_URL=SITE_URL,
        COMMUNIQUE_PAGE_CACHE="true" if page_cache else "false",
        DJANGO_SETTINGS_MODULE="communique.settings",
    )
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_export(env: dict[str, str], copy: Path) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds of one export, and its report's last line."""
    started, cpu = time.perf_counter(), _children_cpu()
    output = communique(env, "export-static", str(copy))
    seconds = time.perf_counter() - started
    return seconds, _children_cpu() - cpu, output.strip().splitlines()[-1]


def measure(name: str, env: dict[str, str], copy: Path) -> list[tuple[str, ...]]:
    rows = []
    for label in ("full", "nothing changed", "one statement changed"):
        if label == "one statement changed":
            subprocess.run([sys.executable, "-c", EDIT_ONE], env=env, check=True)
        seconds, cpu, report = timed_export(env, copy)
        counts = re.sub(r" in \S+:", ":", report)
        rows.append((name, label, f"{seconds:.1f}", f"{cpu:.1f}", counts))
        print(f"  {name}, {label}: {seconds:.1f} s ({counts})", file=sys.stderr)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="render every page afresh (COMMUNIQUE_PAGE_CACHE=false)",
    )
    options = parser.parse_args()
    before = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo"
        env = site_env(demo, not options.no_page_cache)
        communique(env, "demo", "--no-serve")
        rows += measure("demo site", env, demo / "copy")

        large = Path(folder) / "large"
        large.mkdir()
        env = site_env(large, not options.no_page_cache)
        communique(env, "migrate", "--verbosity", "0")
        communique(
            env,
            "generate",
            "--statements",
            str(options.statements),
            "--comments",
            str(options.comments),
        )
        name = f"{options.statements:,} statements, {options.comments:,} comments"
        rows += measure(name, env, large / "copy")
    print(f"load average before: {before[0]:.1f}, after: {os.getloadavg()[0]:.1f}")
    print("| site | run | seconds | CPU seconds | pages, files |")
    print("| --- | --- | ---: | ---: | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
