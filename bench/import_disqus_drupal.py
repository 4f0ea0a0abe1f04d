"""How long do the Drupal and Disqus importers take on a site-sized export?

Run: .venv/bin/python bench/import_disqus_drupal.py [--nodes 1000] [--comments 10000]

Writes, with its own generator, a Drupal nodes view (JSON) of --nodes nodes
and a comments view of --comments comments (a third of them replies, some
replies of replies), and a Disqus export of --comments posts on threads
whose links are those nodes' old path aliases. Then, in a throwaway SQLite
site, it runs `communique import-drupal`, again (nothing changed), then
`communique import-disqus`, and again, and prints each run's seconds
(whole commands, Python's start included) and items per second.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

WORDS = [
    "workers",
    "council",
    "river",
    "wages",
    "rent",
    "housing",
    "strike",
    "union",
    "water",
    "fair",
    "hours",
    "statement",
    "public",
    "right",
    "city",
    "school",
    "solidarity",
]
START = 1_500_000_000  # a Unix time in 2017


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def comments_of(rng: random.Random, count: int, nodes: int) -> list[dict]:
    """``count`` comments over ``nodes`` nodes; a third reply to an earlier
    comment on the same node."""
    rows, by_node = [], {}
    for cid in range(1, count + 1):
        nid = rng.randint(1, nodes)
        earlier = by_node.setdefault(nid, [])
        pid = rng.choice(earlier) if earlier and rng.random() < 0.33 else 0
        earlier.append(cid)
        rows.append(
            {
                "cid": cid,
                "nid": nid,
                "pid": pid,
                "name": f"Reader {rng.randint(1, 500)}",
                "mail": f"reader{cid}@example.net" if cid % 3 else "",
                "hostname": f"203.0.113.{cid % 250}",
                "created": START + nid * 86_400 + cid * 60,
                "status": 0 if cid % 10 == 0 else 1,
                "comment_body": f"<p>{sentence(rng, 25)}</p>",
            }
        )
    return rows


def write_drupal(folder: Path, rng: random.Random, nodes: int, comments: list[dict]):
    rows = [
        {
            "nid": nid,
            "title": sentence(rng, 6),
            "body": "".join(f"<p>{sentence(rng, 40)}</p>" for _ in range(5)),
            "created": START + nid * 86_400,
            "langcode": "en",
            "status": 1,
            "path": f"/archive/{nid}/statement-{nid}",
            "field_tags": ", ".join(rng.sample(WORDS, 2)),
        }
        for nid in range(1, nodes + 1)
    ]
    (folder / "nodes.json").write_text(json.dumps(rows))
    (folder / "comments.json").write_text(json.dumps(comments))


def write_disqus(folder: Path, nodes: int, comments: list[dict]) -> None:
    ns = 'xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals"'
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<disqus {ns}>\n']
    for nid in range(1, nodes + 1):
        parts.append(
            f'<thread dsq:id="{nid}"><link>http://old.example.org/archive/{nid}/'
            f"statement-{nid}</link><title>Statement {nid}</title></thread>\n"
        )
    for row in sorted(comments, key=lambda r: -r["cid"]):  # replies first
        parent = f'<parent dsq:id="{row["pid"]}"/>' if row["pid"] else ""
        parts.append(
            f'<post dsq:id="{row["cid"]}"><message><![CDATA[{row["comment_body"]}]]>'
            f"</message><createdAt>2020-01-01T10:00:00Z</createdAt>"
            f"<isDeleted>false</isDeleted><isSpam>false</isSpam><author>"
            f"<name>{escape(row['name'])}</name><email>{row['mail']}</email></author>"
            f"<ipAddress>{row['hostname']}</ipAddress>"
            f'<thread dsq:id="{row["nid"]}"/>{parent}</post>\n'
        )
    parts.append("</disqus>\n")
    (folder / "disqus.xml").write_text("".join(parts))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(env: dict[str, str], *args: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one command."""
    started, cpu = time.monotonic(), _children_cpu()
    subprocess.run(
        [sys.executable, "-m", "communique", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=3600,
    )
    return time.monotonic() - started, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=10_000)
    arguments = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        comments = comments_of(rng, arguments.comments, arguments.nodes)
        write_drupal(folder, rng, arguments.nodes, comments)
        write_disqus(folder, arguments.nodes, comments)
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
        env.update(COMMUNIQUE_DATA_DIR=str(folder / "site"))
        timed(env, "migrate", "--verbosity", "0")
        drupal = ("import-drupal", str(folder / "nodes.json"), "--comments")
        drupal += (str(folder / "comments.json"),)
        disqus = ("import-disqus", str(folder / "disqus.xml"))
        items = arguments.nodes + arguments.comments
        print(f"{arguments.nodes} nodes, {arguments.comments} comments")
        for label, command, count in (
            ("import-drupal, first run", drupal, items),
            ("import-drupal, unchanged", drupal, items),
            ("import-disqus, first run", disqus, arguments.comments),
            ("import-disqus, unchanged", disqus, arguments.comments),
        ):
            seconds, cpu = timed(env, *command)
            print(
                f"{label:26} {seconds:7.1f} s  {cpu:7.1f} s of CPU  "
                f"{count / seconds:7.0f} items/s"
            )


if __name__ == "__main__":
    main()
