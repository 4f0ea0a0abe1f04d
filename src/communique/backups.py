"""A whole site in one file, and back: `communique dump` and `communique restore`.

A dump is gzip-compressed JSON Lines. The first line is a header::

    {"format": "communique-dump", "version": 1, "created": "...",
     "database": "sqlite", "communique": "0.1.0",
     "migrations": {"publishing": ["0001_initial", ...], ...},
     "counts": {"publishing.statement": 12, ...}}

and every further line is one row as Django's ``jsonl`` serializer writes it.
Foreign keys to content types, permissions, groups and users are written as
natural keys (``["fa", "publishing", "statement"]``-like lists), so that a dump
restores into a site whose own migrations numbered those rows differently.
Every other row keeps its primary key: links between statements, comments and
the admin's history stay as they were.

Consistent: every row is read inside one transaction that sees the database as
it was when the dump began (``_snapshot``): a comment written meanwhile is
either in the dump with its statement, or not in it at all. Writers are not
held up meanwhile.

Left out, because the site makes them again or they must not outlive their
purpose (``LEFT_OUT``): sessions (everyone signs in again), CAPTCHA challenges
(short-lived), the fingerprint key (replaced periodically so that old
fingerprints can no longer be linked to an address; a backup kept for years
must not undo that), and the content types and permissions that
`communique migrate` creates, and the search index (written again from the
restored statements and comments).

Restore goes into a migrated site with the same migrations applied, in one
transaction: on any error nothing is kept. It refuses a site that already has
content unless told to replace it. Sequences are moved past the restored keys,
and every cached page is retired.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

import communique
from communique import pagecache
from communique.pagecache.tags import SITE
from communique.search import index as search_index

FORMAT = "communique-dump"
VERSION = 1
SERIALIZER = "jsonl"
# Models whose rows are not dumped, and why (see the module's docstring).
LEFT_OUT = {
    "sessions.session": "sign-ins; everyone signs in again",
    "captcha.challenge": "CAPTCHA challenges live for minutes",
    "antispam.fingerprintkey": "replaced periodically; must not outlive its period",
    "contenttypes.contenttype": "created by `communique migrate`",
    "auth.permission": "created by `communique migrate`",
    "search.statementtext": "the search index, written again after a restore",
    "search.commenttext": "the search index, written again after a restore",
}
# Rows that `communique migrate` creates in an empty site (the roles), which a
# restore merges with rather than counting as content.
CREATED_BY_MIGRATIONS = frozenset({"auth.group"})


class BackupError(Exception):
    """A dump cannot be made or restored; the message says why, for the operator."""


def dumped_models() -> list[type[models.Model]]:
    """The models whose rows a dump holds, those others depend on first."""
    chosen = [
        (
            config,
            [
                model
                for model in config.get_models()
                if model._meta.label_lower not in LEFT_OUT
                and model._meta.managed
                and not model._meta.proxy
            ],
        )
        for config in apps.get_app_configs()
    ]
    return serializers.sort_dependencies(chosen, allow_cycles=True)


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """The names of the migrations applied to the database, by app."""
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return {}
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """One transaction in which every read sees the same moment, writers going on.

    SQLite (in WAL mode) gives a read transaction the database as of its first
    read; it is begun DEFERRED by hand because the site's connections begin
    theirs IMMEDIATE, which would take the write lock for the whole dump.
    PostgreSQL gives REPEATABLE READ the snapshot of its first statement.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError(_("A dump needs a transaction of its own."))
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                cursor.execute("SELECT count(*) FROM sqlite_master")
                yield
            finally:
                cursor.execute("ROLLBACK")
    else:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield


def dump(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Write a snapshot of the whole site to ``path``; return the rows per model.

    The file is written beside ``path`` and renamed into place when complete,
    readable by its owner only: it holds e-mail addresses and password hashes.
    """
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    to_dump = dumped_models()
    try:
        with _snapshot(using):
            counts = {
                model._meta.label_lower: model._base_manager.using(using).count()
                for model in to_dump
            }
            header = {
                "format": FORMAT,
                "version": VERSION,
                "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "database": connections[using].vendor,
                "communique": communique.__version__,
                "migrations": applied_migrations(using),
                "counts": counts,
            }
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with (
                open(descriptor, "wb") as raw,
                gzip.open(raw, "wt", encoding="utf-8") as out,
            ):
                out.write(json.dumps(header, ensure_ascii=False) + "\n")
                for model in to_dump:
                    _write_rows(model, out, using)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    return counts


class _LosslessEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to the millisecond; a backup keeps every
    microsecond, so that a restored site is the site that was dumped."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _write_rows(model: type[models.Model], out: IO[str], using: str) -> None:
    rows = model._base_manager.using(using).order_by("pk").iterator(chunk_size=500)
    serializers.serialize(
        SERIALIZER,
        rows,
        stream=out,
        cls=_LosslessEncoder,
        use_natural_foreign_keys=True,
        # Groups are matched by name with those migrations create; everything
        # else keeps its primary key.
        use_natural_primary_keys=model._meta.label_lower in CREATED_BY_MIGRATIONS,
    )


def read_header(path: Path) -> dict[str, Any]:
    """The header of the dump at ``path``; BackupError when it is not one."""
    with _open_dump(path) as lines:
        return _header_of(lines, path)


@contextmanager
def _open_dump(path: Path) -> Iterator[IO[str]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            yield lines
    except FileNotFoundError:
        raise BackupError(_("There is no file %(path)s.") % {"path": path}) from None
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as error:
        raise BackupError(
            _("%(path)s is not a complete Communiqué dump (%(error)s).")
            % {"path": path, "error": error}
        ) from None


def _header_of(lines: IO[str], path: Path) -> dict[str, Any]:
    try:
        header = json.loads(lines.readline())
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(
            _("%(path)s is not a Communiqué dump.") % {"path": path}
        ) from None
    if header.get("version") != VERSION:
        raise BackupError(
            _(
                "%(path)s is a dump in format %(found)s; this version of "
                "Communiqué restores format %(expected)s."
            )
            % {"path": path, "found": header.get("version"), "expected": VERSION}
        )
    return header


def _check_migrations(header: dict[str, Any], using: str) -> None:
    here = applied_migrations(using)
    if not here:
        raise BackupError(
            _("The database is not set up. Run `communique migrate` first.")
        )
    differing = sorted(
        app
        for app in set(header["migrations"]) | set(here)
        if set(header["migrations"].get(app, [])) != set(here.get(app, []))
    )
    if differing:
        raise BackupError(
            _(
                "The dump was made with other migrations applied than this "
                "database has (%(apps)s). Restore it with the version of "
                "Communiqué that made it, then upgrade."
            )
            % {"apps": ", ".join(differing)}
        )


def site_content(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """The rows per model that a restore would replace (those migrations make
    aside); empty for a new site."""
    counts = {
        model._meta.label_lower: model._base_manager.using(using).count()
        for model in dumped_models()
        if model._meta.label_lower not in CREATED_BY_MIGRATIONS
    }
    return {label: count for label, count in counts.items() if count}


def _described(counts: dict[str, int]) -> str:
    """ "6 statements, 17 comments" in the active language."""
    return ", ".join(
        f"{count} {apps.get_model(label)._meta.verbose_name_plural}"
        for label, count in counts.items()
    )


def restore(
    path: Path, *, using: str = DEFAULT_DB_ALIAS, replace: bool = False
) -> dict[str, int]:
    """Load the dump at ``path`` into the site; return the rows per model.

    The site must be migrated to the same migrations as the dumped one, and
    hold no content unless ``replace`` (then its content is deleted first).
    All or nothing: one transaction.
    """
    path = Path(path)
    header = read_header(path)
    _check_migrations(header, using)
    existing = site_content(using)
    if existing and not replace:
        raise BackupError(
            _(
                "This site is not empty (%(content)s). Restore into a new, "
                "migrated site, or pass --replace to delete this site's content "
                "and put the dump's in its place."
            )
            % {"content": _described(existing)}
        )
    restored: Counter[str] = Counter()
    with transaction.atomic(using=using):
        if replace:
            for model in reversed(dumped_models()):
                if model._meta.label_lower not in CREATED_BY_MIGRATIONS:
                    model._base_manager.using(using).all().delete()
        with _open_dump(path) as lines:
            _header_of(lines, path)
            restored = _load_rows(lines, using)
        expected = {label: n for label, n in header["counts"].items() if n}
        if dict(restored) != expected:
            raise BackupError(
                _(
                    "%(path)s holds other rows than its header lists; "
                    "nothing was restored."
                )
                % {"path": path}
            )
        _reset_sequences(using)
        search_index.rebuild()
        transaction.on_commit(lambda: pagecache.invalidate(SITE), using=using)
    return dict(restored)


def _load_rows(lines: IO[str], using: str) -> Counter[str]:
    restored: Counter[str] = Counter()
    waiting = []
    try:
        for row in serializers.deserialize(
            SERIALIZER, lines, using=using, handle_forward_references=True
        ):
            row.save(using=using)
            restored[row.object._meta.label_lower] += 1
            if row.deferred_fields:
                waiting.append(row)
        for row in waiting:
            row.save_deferred_fields(using=using)
    except serializers.base.DeserializationError as error:
        raise BackupError(
            _("A row of the dump cannot be restored: %(error)s") % {"error": error}
        ) from None
    return restored


def _reset_sequences(using: str) -> None:
    """Move each table's id sequence past the restored rows (PostgreSQL; SQLite
    keeps track by itself)."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), dumped_models())
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
