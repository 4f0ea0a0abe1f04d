"""How long does importing a large WordPress site take, and running it again?

Run: .venv/bin/python bench/import_wordpress.py [--posts 1000] [--comments 10000]

Writes a WordPress export file (WXR 1.2) of invented posts, a tenth of them
in Persian, with the comments spread over them (a third are replies, some
to replies), a few spam and pending; then, into a throwaway SQLite site,
times `communique import-wordpress FILE` once (everything created) and again
(everything unchanged), each in its own process as an operator runs it,
Django's start included. Prints the file's size and, for each run, seconds
of wall clock and of CPU (the fairer figure on a machine busy with more).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/">
<channel>
\t<title>Benchmark site</title>
\t<link>https://bench.example.org</link>
\t<pubDate>Mon, 02 Mar 2026 09:00:00 +0000</pubDate>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>https://bench.example.org</wp:base_site_url>
\t<wp:author><wp:author_login><![CDATA[board]]></wp:author_login>\
<wp:author_display_name><![CDATA[The Benchmark Board]]></wp:author_display_name>\
</wp:author>
"""
WORDS = [
    "harbour",
    "workers",
    "wages",
    "strike",
    "solidarity",
    "council",
    "statement",
    "rights",
    "tenants",
    "union",
    "assembly",
    "shift",
    "dock",
    "crane",
    "safety",
    "pension",
    "members",
    "vote",
]
PERSIAN = ["کارگران", "دستمزد", "همبستگی", "بیانیه", "اتحادیه", "حقوق", "اعتصاب"]


def _sentence(rng: random.Random, words: list[str], length: int) -> str:
    return " ".join(rng.choice(words) for _ in range(length)).capitalize() + "."


def _comment(rng, comment_id, parent, day, words) -> str:
    status = rng.choices(["1", "0", "spam"], weights=[90, 6, 4])[0]
    return f"""\t\t<wp:comment>
\t\t\t<wp:comment_id>{comment_id}</wp:comment_id>
\t\t\t<wp:comment_author><![CDATA[Reader {comment_id % 500}]]></wp:comment_author>
\t\t\t<wp:comment_author_email><![CDATA[r{comment_id % 500}@example.net]]>\
</wp:comment_author_email>
\t\t\t<wp:comment_author_IP><![CDATA[198.51.100.{comment_id % 250}]]>\
</wp:comment_author_IP>
\t\t\t<wp:comment_date_gmt><![CDATA[{day} 12:{comment_id % 60:02d}:00]]>\
</wp:comment_date_gmt>
\t\t\t<wp:comment_content><![CDATA[{_sentence(rng, words, 14)}

{_sentence(rng, words, 9)}]]></wp:comment_content>
\t\t\t<wp:comment_approved><![CDATA[{status}]]></wp:comment_approved>
\t\t\t<wp:comment_type><![CDATA[comment]]></wp:comment_type>
\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>
\t\t</wp:comment>
"""


def write_export(path: Path, posts: int, comments: int, seed: int = 1) -> None:
    """An export of ``posts`` posts sharing ``comments`` comments."""
    rng = random.Random(seed)
    per_post = [
        comments // posts + (1 if i < comments % posts else 0) for i in range(posts)
    ]
    comment_id = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for index in range(posts):
            post_id = index + 1
            persian = index % 10 == 9
            words = PERSIAN if persian else WORDS
            language = "fa" if persian else "en"
            day = f"{2015 + index % 10}-{1 + index % 12:02d}-{1 + index % 28:02d}"
            slug = f"statement-{post_id}"
            body = "\n\n".join(_sentence(rng, words, 30) for _ in range(5))
            out.write(
                f"""\t<item>
\t\t<title><![CDATA[{_sentence(rng, words, 6)}]]></title>
\t\t<link>https://bench.example.org/{day[:4]}/{day[5:7]}/{slug}/</link>
\t\t<dc:creator><![CDATA[board]]></dc:creator>
\t\t<guid isPermaLink="false">https://bench.example.org/?p={post_id}</guid>
\t\t<content:encoded><![CDATA[{body}]]></content:encoded>
\t\t<wp:post_id>{post_id}</wp:post_id>
\t\t<wp:post_date_gmt><![CDATA[{day} 09:00:00]]></wp:post_date_gmt>
\t\t<wp:comment_status><![CDATA[open]]></wp:comment_status>
\t\t<wp:post_name><![CDATA[{slug}]]></wp:post_name>
\t\t<wp:status><![CDATA[publish]]></wp:status>
\t\t<wp:post_type><![CDATA[post]]></wp:post_type>
\t\t<category domain="category" nicename="c{index % 8}">Topic {index % 8}</category>
\t\t<category domain="post_tag" nicename="t{index % 30}">Tag {index % 30}</category>
\t\t<category domain="language" nicename="{language}">-</category>
"""
            )
            ids: list[int] = []
            for _ in range(per_post[index]):
                comment_id += 1
                parent = rng.choice(ids) if ids and rng.random() < 0.33 else 0
                out.write(_comment(rng, comment_id, parent, day, words))
                ids.append(comment_id)
            out.write("\t</item>\n")
        out.write("</channel>\n</rss>\n")


def timed(env: dict[str, str], *args: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one command; CPU time says more than
    the clock on a machine busy with other work."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "communique", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=3600,
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=10000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="communique-wxr-") as folder:
        export = Path(folder) / "export.xml"
        write_export(export, arguments.posts, arguments.comments)
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
        env.update(COMMUNIQUE_DATA_DIR=str(Path(folder) / "site"))
        timed(env, "migrate", "--verbosity", "0")
        start = timed(env, "check")
        first = timed(env, "import-wordpress", str(export), "--verbosity", "0")
        second = timed(env, "import-wordpress", str(export), "--verbosity", "0")
        size = export.stat().st_size / 1e6
    print(
        f"{arguments.posts} posts, {arguments.comments} comments, "
        f"{size:.1f} MB of WXR, SQLite; seconds (wall clock, CPU)"
    )
    for name, (wall, cpu) in (
        ("a command's start (communique check)", start),
        ("first import (all created)", first),
        ("second import (all unchanged)", second),
    ):
        print(f"  {name:38} {wall:7.1f} {cpu:7.1f}")


if __name__ == "__main__":
    main()
