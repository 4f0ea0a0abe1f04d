"""Synthetic statements and comments, for benchmarks and trying things at scale."""

import datetime as dt
import random

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from communique import pagecache, textformats
from communique.comments.models import Comment, path_segment
from communique.pagecache.tags import SITE
from communique.publishing.models import EXCERPT_WORDS, Statement

BATCH = 5000
VARIANTS = 200
WORDS = [
    "workers",
    "union",
    "council",
    "harbour",
    "school",
    "tenants",
    "rent",
    "strike",
    "assembly",
    "solidarity",
    "statement",
    "committee",
    "members",
    "city",
    "river",
    "teachers",
    "press",
    "freedom",
    "demand",
    "inquiry",
    "safety",
    "wages",
    "shift",
    "board",
    "vote",
    "meeting",
    "letter",
    "public",
    "justice",
    "rights",
    "report",
    "week",
    "month",
    "colleagues",
    "families",
    "together",
]


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _comment_body(rng: random.Random, length: int = 300) -> str:
    parts: list[str] = []
    while sum(len(part) + 1 for part in parts) < length:
        parts.append(_sentence(rng, rng.randint(6, 14)))
    if rng.random() < 0.2:
        parts.insert(
            1, f"See https://example.org/{rng.choice(WORDS)}/{rng.randint(1, 999)}"
        )
    return " ".join(parts)


class Command(BaseCommand):
    help = (
        "Create synthetic published statements and comments quickly, with bulk "
        "inserts: --statements N --comments M spreads M comments over the site; "
        "--statement SLUG --comments M adds M comments to one statement."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--statements", type=int, default=0)
        parser.add_argument("--comments", type=int, default=0)
        parser.add_argument("--statement", metavar="SLUG")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: object, **options) -> None:
        rng = random.Random(options["seed"])
        if options["statement"]:
            target = Statement.objects.filter(slug=options["statement"]).first()
            if target is None:
                raise CommandError(
                    f"No statement with the slug {options['statement']!r}."
                )
            targets = [target.pk]
        else:
            targets = self._statements(rng, options["statements"])
            targets = targets or list(Statement.objects.values_list("pk", flat=True))
        if options["comments"]:
            if not targets:
                raise CommandError("There is no statement to comment on.")
            self._comments(rng, targets, options["comments"])
        pagecache.invalidate(SITE)

    def _statements(self, rng: random.Random, count: int) -> list[int]:
        bodies = [
            "\n\n".join(_sentence(rng, rng.randint(20, 40)) for _ in range(6))
            for _ in range(VARIANTS)
        ]
        rendered = [textformats.render("markdown", body) for body in bodies]
        excerpts = [textformats.plain_excerpt(html, EXCERPT_WORDS) for html in rendered]
        now = timezone.now()
        created: list[int] = []
        for start in range(0, count, BATCH):
            batch = []
            for number in range(start, min(count, start + BATCH)):
                variant = rng.randrange(VARIANTS)
                published = now - dt.timedelta(minutes=number)
                batch.append(
                    Statement(
                        title=f"{_sentence(rng, 5)[:-1]} ({number})",
                        slug=f"synthetic-{number}-{rng.randrange(10**9)}",
                        body_source=bodies[variant],
                        body_html=rendered[variant],
                        excerpt=excerpts[variant],
                        signature="Synthetic Committee",
                        date=published.date(),
                        status=Statement.Status.PUBLISHED,
                        published_at=published,
                    )
                )
            with transaction.atomic():
                created += [s.pk for s in Statement.objects.bulk_create(batch)]
            self.stdout.write(f"statements: {len(created)}/{count}")
        return created

    def _comments(self, rng: random.Random, targets: list[int], count: int) -> None:
        bodies = [_comment_body(rng) for _ in range(VARIANTS)]
        rendered = [textformats.render("plain_text", body) for body in bodies]
        next_pk = (Comment.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        recent: dict[int, list[tuple[int, str, int, int]]] = {}
        now = timezone.now()
        made = 0
        while made < count:
            batch = []
            for _ in range(min(BATCH, count - made)):
                statement = rng.choice(targets)
                pk, made = next_pk, made + 1
                next_pk += 1
                parents = recent.setdefault(statement, [])
                parent = rng.choice(parents) if parents and rng.random() < 0.3 else None
                if parent and parent[3] >= 3:
                    parent = None
                path = f"{parent[1]}/{path_segment(pk)}" if parent else path_segment(pk)
                thread = parent[2] if parent else pk
                depth = parent[3] + 1 if parent else 1
                variant = rng.randrange(VARIANTS)
                batch.append(
                    Comment(
                        pk=pk,
                        statement_id=statement,
                        parent_id=parent[0] if parent else None,
                        thread_id=thread,
                        path=path,
                        depth=depth,
                        author_name=f"Reader {rng.randrange(5000)}",
                        body_source=bodies[variant],
                        body_html=rendered[variant],
                        subject="",
                        status=Comment.Status.PUBLISHED,
                        fingerprint=f"synthetic-{rng.randrange(5000)}",
                    )
                )
                parents.append((pk, path, thread, depth))
                del parents[:-20]
            with transaction.atomic():
                Comment.objects.bulk_create(batch)
            self.stdout.write(f"comments: {made}/{count}")
        Comment.objects.filter(created__gt=now).update(created=now)
