"""Synthetic statements and comments, for benchmarks and trying things at scale."""

import datetime as dt
import random
from collections.abc import Iterable, Sequence

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connections, router, transaction
from django.db.models import DateField, Max, Model
from django.utils import timezone
from django.utils.translation import gettext

from communique import pagecache, textformats
from communique.comments.models import Comment, path_segment
from communique.pagecache.tags import SITE
from communique.publishing.models import EXCERPT_WORDS, Statement
from communique.search import index

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


def _next_pk(model: type[Model]) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _insert(
    model: type[Model], template: Model, varying: Sequence[str], rows: Iterable[tuple]
) -> None:
    """Insert ``rows`` of ``model`` in one transaction, with one prepared
    statement: each row gives the fields named in ``varying``, in order, and
    the other fields take ``template``'s values, prepared once.

    Building a model object and its SQL per row (``bulk_create``) costs most
    of the time at a million rows. Numbers and text in ``rows`` go to the
    database as they are; dates pass through their field.
    """
    connection = connections[router.db_for_write(model)]
    fields = {field.attname: field for field in model._meta.concrete_fields}
    constant = {
        name: field.get_db_prep_save(field.pre_save(template, add=True), connection)
        for name, field in fields.items()
        if name not in varying
    }
    dated = [
        (index, fields[name])
        for index, name in enumerate(varying)
        if isinstance(fields[name], DateField)
    ]
    quote = connection.ops.quote_name
    names = [*varying, *constant]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(fields[name].column) for name in names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    tail = tuple(constant.values())
    prepared = []
    for row in rows:
        if dated:
            row = list(row)
            for index, field in dated:
                row[index] = field.get_db_prep_save(row[index], connection)
        prepared.append((*row, *tail))
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


def _advance_sequences(*models: type[Model]) -> None:
    """Let the database's own numbering continue after the rows given their
    numbers here (PostgreSQL's sequences do not follow inserted ids)."""
    connection = connections[router.db_for_write(models[0])]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


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
        first_statement, first_comment = _next_pk(Statement), _next_pk(Comment)
        if options["statement"]:
            target = Statement.objects.filter(slug=options["statement"]).first()
            if target is None:
                raise CommandError(
                    gettext("No statement with the slug “%(slug)s”.")
                    % {"slug": options["statement"]}
                )
            targets = [target.pk]
        else:
            targets = self._statements(rng, options["statements"])
            targets = targets or list(Statement.objects.values_list("pk", flat=True))
        if options["comments"]:
            if not targets:
                raise CommandError(gettext("There is no statement to comment on."))
            self._comments(rng, targets, options["comments"])
        _advance_sequences(Statement, Comment)
        # What was inserted here, for search (the services' signals index
        # what they save; these rows bypass them).
        index.index_statements_from(first_statement)
        index.index_comments_from(first_comment)
        pagecache.invalidate(SITE)

    def _statements(self, rng: random.Random, count: int) -> list[int]:
        bodies = [
            "\n\n".join(_sentence(rng, rng.randint(20, 40)) for _ in range(6))
            for _ in range(VARIANTS)
        ]
        rendered = [textformats.render("markdown", body) for body in bodies]
        excerpts = [textformats.plain_excerpt(html, EXCERPT_WORDS) for html in rendered]
        template = Statement(
            signature="Synthetic Committee", status=Statement.Status.PUBLISHED
        )
        varying = ("id", "title", "slug", "body_source", "body_html", "excerpt")
        varying += ("date", "published_at", "family")
        now = timezone.now()
        first = _next_pk(Statement)
        for start in range(0, count, BATCH):
            rows = []
            for number in range(start, min(count, start + BATCH)):
                variant = rng.randrange(VARIANTS)
                published = now - dt.timedelta(minutes=number)
                slug = f"synthetic-{number}-{rng.randrange(10**9)}"
                rows.append(
                    (
                        first + number,
                        f"{_sentence(rng, 5)[:-1]} ({number})",
                        slug,
                        bodies[variant],
                        rendered[variant],
                        excerpts[variant],
                        published.date(),
                        published,
                        slug,  # its own family: no translations
                    )
                )
            _insert(Statement, template, varying, rows)
            self.stdout.write(
                gettext("statements: %(done)d/%(total)d")
                % {"done": start + len(rows), "total": count}
            )
        return list(range(first, first + count))

    def _comments(self, rng: random.Random, targets: list[int], count: int) -> None:
        bodies = [_comment_body(rng) for _ in range(VARIANTS)]
        rendered = [textformats.render("plain_text", body) for body in bodies]
        digests = [textformats.digest_for_matching(body) for body in bodies]
        template = Comment(subject="", status=Comment.Status.PUBLISHED)
        varying = ("id", "statement_id", "parent_id", "thread_id", "path", "depth")
        varying += ("author_name", "body_source", "body_html", "body_digest")
        varying += ("fingerprint",)
        next_pk = _next_pk(Comment)
        recent: dict[int, list[tuple[int, str, int, int]]] = {}
        made = 0
        while made < count:
            rows = []
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
                rows.append(
                    (
                        pk,
                        statement,
                        parent[0] if parent else None,
                        thread,
                        path,
                        depth,
                        f"Reader {rng.randrange(5000)}",
                        bodies[variant],
                        rendered[variant],
                        digests[variant],
                        f"synthetic-{rng.randrange(5000)}",
                    )
                )
                parents.append((pk, path, thread, depth))
                del parents[:-20]
            _insert(Comment, template, varying, rows)
            self.stdout.write(
                gettext("comments: %(done)d/%(total)d") % {"done": made, "total": count}
            )
