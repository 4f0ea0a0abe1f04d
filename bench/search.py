"""How long does a search take with 100,000 statements?

Run: .venv/bin/python bench/search.py [--statements 100000] [--repeats 100]
     [--postgres postgres://127.0.0.1:5432/test] [--no-postgres]

Builds a throwaway site per database: a temporary SQLite file, and a scratch
database on the PostgreSQL server that --postgres names (created as
bench_search_<random> and dropped at the end; skipped when the server does
not answer). Fills it with `communique generate`, turns one statement in ten
into a Persian one, and plants two rare words (one English, one Persian) in
twenty statements each. Then, in that site's own process, it runs ten
queries as the search page runs them, without the page cache (count, first
page of ten results, snippets), --repeats times each after one warm-up, and
prints median and p99 latency per query and database as a markdown table.
Target: p99 under 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit

QUERIES = [
    ("English, common word", "workers"),
    ("English, two common words", "union strike"),
    ("English, three common words", "harbour rent solidarity"),
    ("English, rare word", "lighthouse"),
    ("English, a title's number", "12345"),
    ("English, no match", "zzyzx"),
    ("Persian, common word", "کارگران"),
    ("Persian, Arabic letters", "كتاب"),
    ("Persian, without the half-space", "میخواهیم"),
    ("Persian, rare word", "فانوس"),
]
PERSIAN_WORDS = [
    "کارگران",
    "اتحادیه",
    "شورا",
    "بندر",
    "مدرسه",
    "مستاجران",
    "اجاره",
    "اعتصاب",
    "مجمع",
    "همبستگی",
    "بیانیه",
    "کمیته",
    "اعضا",
    "شهر",
    "رودخانه",
    "معلمان",
    "مطبوعات",
    "آزادی",
    "مطالبه",
    "تحقیق",
    "ایمنی",
    "دستمزد",
    "می\u200cخواهیم",
    "کتاب",
    "نامه",
    "جلسه",
]


def _fill(statements: int) -> None:
    """Generate, then make one statement in ten Persian and plant rare words."""
    from django.core.management import call_command

    from communique import textformats
    from communique.publishing.models import EXCERPT_WORDS, Statement
    from communique.search import index

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("generate", statements=statements, stdout=quiet)
    rng = random.Random(7)
    ids = list(Statement.objects.order_by("pk").values_list("pk", flat=True))
    persian = ids[::10]
    bodies = []
    for _ in range(200):
        paragraphs = [
            " ".join(rng.choice(PERSIAN_WORDS) for _ in range(rng.randint(20, 40)))
            for _ in range(6)
        ]
        bodies.append("\n\n".join(paragraphs))
    rare = set(rng.sample(persian, 20))
    changed = []
    for number, pk in enumerate(persian):
        body = bodies[number % len(bodies)] + (" فانوس" if pk in rare else "")
        html = textformats.render("markdown", body)
        changed.append(
            Statement(
                pk=pk,
                language="fa",
                title=" ".join(rng.choice(PERSIAN_WORDS) for _ in range(5)),
                body_source=body,
                body_html=html,
                excerpt=textformats.plain_excerpt(html, EXCERPT_WORDS),
            )
        )
    english = [pk for pk in ids if pk not in set(persian)]
    for pk in rng.sample(english, 20):
        statement = Statement.objects.get(pk=pk)
        statement.body_html += "<p>The lighthouse keepers.</p>"
        changed.append(statement)
    Statement.objects.bulk_update(
        changed[: len(persian)],
        ["language", "title", "body_source", "body_html", "excerpt"],
        batch_size=1000,
    )
    Statement.objects.bulk_update(changed[len(persian) :], ["body_html"])
    index.index_statements(
        Statement.objects.filter(pk__in=[s.pk for s in changed]).only(
            "pk", "title", "body_html", "signature", "language"
        )
    )
    numbered = Statement.objects.filter(title__contains="(12345)").count()
    if statements > 12345 and numbered != 1:
        raise SystemExit("expected one statement numbered 12345")
    _analyze()


def _analyze() -> None:
    """Give PostgreSQL's planner statistics of the new rows, as autovacuum
    would soon after a bulk load (a server may run with it off: without
    statistics, the planner reads every vector for a word that matches none)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _measure(repeats: int) -> dict:
    from django.db import connection

    from communique.search import index, results

    figures = {}
    for label, query in QUERIES:
        terms = index.query_terms(query)
        times = []
        for attempt in range(repeats + 1):
            start = time.perf_counter()
            found = results.Results(results.STATEMENTS, terms, language="en")
            count = found.count()
            page = found[0:10]
            elapsed = (time.perf_counter() - start) * 1000
            if attempt:  # the first warms the caches
                times.append(elapsed)
        times.sort()
        figures[label] = {
            "query": query,
            "count": count,
            "shown": len(page),
            "median": statistics.median(times),
            "p99": times[min(len(times) - 1, round(0.99 * (len(times) - 1)))],
        }
    return {"vendor": connection.vendor, "figures": figures}


def worker(statements: int, repeats: int) -> None:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "communique.settings"
    django.setup()
    started = time.perf_counter()
    _fill(statements)
    built = time.perf_counter() - started
    # Then measure in a process started as `communique serve` starts a worker
    # (what start-up built is frozen out of the garbage collector's walks).
    import communique.wsgi  # noqa: F401

    result = _measure(repeats)
    result["build_seconds"] = built
    print("RESULT " + json.dumps(result))


def _run_site(env_extra: dict[str, str], statements: int, repeats: int) -> dict:
    env = {**os.environ, **env_extra, "COMMUNIQUE_CAPTCHA_ENABLED": "0"}
    process = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            f"--statements={statements}",
            f"--repeats={repeats}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in process.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line.removeprefix("RESULT "))
    raise SystemExit(f"the worker failed:\n{process.stdout}\n{process.stderr}")


def _postgres_site(url: str, statements: int, repeats: int) -> dict | None:
    import psycopg

    parts = urlsplit(url)
    name = f"bench_search_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        print(f"PostgreSQL skipped: {error}".strip(), file=sys.stderr)
        return None
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            scratch = urlunsplit(parts._replace(path=f"/{name}"))
            with tempfile.TemporaryDirectory() as data_dir:
                return _run_site(
                    {
                        "COMMUNIQUE_DATABASE_URL": scratch,
                        "COMMUNIQUE_DATA_DIR": data_dir,
                    },
                    statements,
                    repeats,
                )
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--postgres", default="postgres://127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        worker(options.statements, options.repeats)
        return
    sites = []
    with tempfile.TemporaryDirectory() as data_dir:
        env = {"COMMUNIQUE_DATA_DIR": data_dir, "COMMUNIQUE_DATABASE_URL": ""}
        sites.append(_run_site(env, options.statements, options.repeats))
    if not options.no_postgres:
        site = _postgres_site(options.postgres, options.statements, options.repeats)
        if site:
            sites.append(site)
    vendors = [site["vendor"] for site in sites]
    print(f"{options.statements:,} statements, {options.repeats} runs per query\n")
    header = "| query | matches |" + "".join(
        f" {vendor} median ms | {vendor} p99 ms |" for vendor in vendors
    )
    print(header)
    print("|" + " --- |" * (2 + 2 * len(vendors)))
    for label, query in QUERIES:
        row = f"| {label} (`{query}`) | {sites[0]['figures'][label]['count']:,} |"
        for site in sites:
            figure = site["figures"][label]
            row += f" {figure['median']:.1f} | {figure['p99']:.1f} |"
        print(row)
    for site in sites:
        print(f"\n{site['vendor']}: site built in {site['build_seconds']:.0f} s")


if __name__ == "__main__":
    main()
