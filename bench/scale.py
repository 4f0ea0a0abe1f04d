"""Does a page cost the same with a million comments as with a thousand?

Run: .venv/bin/python bench/scale.py [--large 1000000] [--requests 40]

Builds two temporary SQLite sites with `communique generate`: one with 1,000
comments spread over 100 statements, one with --large comments over 100,000
statements. Both also get a statement with 50 comments and one with 10,000.
Then it times uncached renders (page cache off, through Django's test client,
in a fresh process per site) and prints p50 and p99 for: the 50-comment
statement, the first and last comment page of the 10,000-comment statement,
the front page and the archive, with each large figure's ratio to the small.
Target: every ratio at most 2.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def communique(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "communique", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=1800,
    )


def build(folder: Path, statements: int, comments: int) -> tuple[dict[str, str], float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
    env.update(COMMUNIQUE_DATA_DIR=str(folder), COMMUNIQUE_PAGE_CACHE="false")
    communique(env, "migrate", "--verbosity", "0")
    started = time.monotonic()
    communique(
        env, "generate", "--statements", str(statements), "--comments", str(comments)
    )
    seconds = time.monotonic() - started
    communique(env, "generate", "--statements", "2", "--seed", "7")
    return env, seconds


def measure(requests: int) -> dict[str, list[float]]:
    """Run inside a site's process: time each page ``requests`` times."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from communique.comments.models import Comment
    from communique.publishing.models import Statement

    settings.ALLOWED_HOSTS.append("testserver")
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    small, large = Statement.objects.order_by("-pk")[:2]
    call = [sys.executable, "-m", "communique", "generate", "--comments"]
    subprocess.run(
        [*call, "50", "--statement", small.slug], check=True, stdout=subprocess.DEVNULL
    )
    subprocess.run(
        [*call, "10000", "--statement", large.slug],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    threads = Comment.objects.threads_on(large).count()
    last_page = -(-threads // settings.COMMUNIQUE_COMMENTS_PER_PAGE)
    pages = {
        "statement, 50 comments": small.get_absolute_url(),
        "statement, 10,000 comments, page 1": large.get_absolute_url(),
        f"statement, 10,000 comments, page {last_page}": (
            f"{large.get_absolute_url()}?page={last_page}"
        ),
        "front page": "/",
        "archive": "/archive/",
    }
    client = Client()
    timings: dict[str, list[float]] = {}
    for label, url in pages.items():
        assert client.get(url).status_code == 200, url
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        timings[label.replace(f"page {last_page}", "last page")] = samples
    return timings


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.measure:
        print(json.dumps(measure(arguments.requests)))
        return
    results = {}
    with tempfile.TemporaryDirectory(prefix="communique-scale-") as folder:
        for label, statements, comments in (
            ("small", 100, 1000),
            ("large", max(100, arguments.large // 10), arguments.large),
        ):
            env, seconds = build(Path(folder) / label, statements, comments)
            print(f"{label}: generated {statements} statements, {comments} comments "
                  f"in {seconds:.0f} s")  # fmt: skip
            output = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--measure",
                    "--requests",
                    str(arguments.requests),
                ],
                env={**env, "DJANGO_SETTINGS_MODULE": "communique.settings"},
                capture_output=True,
                text=True,
                check=True,
                timeout=3600,
            ).stdout
            results[label] = json.loads(output.strip().splitlines()[-1])
    print(f"\nuncached renders, {arguments.requests} each; ms")
    header = ("page", "p50 1k", "p99 1k", "p50 big", "p99 big", "ratio")
    print(f"{header[0]:38}" + "".join(f" {name:>8}" for name in header[1:]))
    for page, small in results["small"].items():
        large = results["large"][page]
        ratio = statistics.median(large) / statistics.median(small)
        figures = [percentile(small, 0.5), percentile(small, 0.99)]
        figures += [percentile(large, 0.5), percentile(large, 0.99)]
        print(
            f"{page:38}" + "".join(f" {f:>8.1f}" for f in figures) + f" {ratio:>8.2f}"
        )


if __name__ == "__main__":
    main()
