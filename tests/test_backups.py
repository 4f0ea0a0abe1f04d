"""`communique dump` and `communique restore` on real sites in subprocesses:
SQLite to PostgreSQL and SQLite to SQLite give the same pages and the same
rows, a dump taken while another process writes is consistent, and a restore
refuses what it must.

PostgreSQL parts create a scratch database of their own in the server at
``CI_POSTGRES_URL`` (default postgres://127.0.0.1:5432/test) and drop it
afterwards; they skip, with the reason, when no server answers there.
"""

from __future__ import annotations

import gzip
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.live_server import command_env, fetch, running_server

pytestmark = pytest.mark.server

REPO_ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("CI_POSTGRES_URL", "postgres://127.0.0.1:5432/test")
PERSIAN_SLUG = "بیانیه\u200cی-بندر"  # a half-space inside the first word
PAGES = [
    "/",
    "/archive/",
    "/archive/2025/",
    "/statements/on-the-harbour/",
    "/fa/",
    "/fa/archive/",
    "/fa/statements/" + urllib.parse.quote(PERSIAN_SLUG) + "/",
    # The search index is left out of dumps and written again on restore.
    "/search/?q=harbour",
    "/search/?q=quay&in=comments",
    "/fa/search/?q=" + urllib.parse.quote("بندر"),
]


def run(*args: str, data_dir: Path, env: dict[str, str] | None = None) -> str:
    """`communique ARGS` for the site in ``data_dir``; its output, or a failure."""
    result = subprocess.run(
        [sys.executable, "-m", "communique", *args],
        env=command_env(data_dir, env),
        cwd=REPO_ROOT,  # so that `shell -c` can import tests.test_backups
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def build_site() -> None:
    """Fill a migrated site with one of everything a dump must keep. Run in a
    subprocess by `communique shell -c`."""
    import datetime as dt

    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.backends.db import SessionStore

    from communique.antispam.models import BlockedTerm
    from communique.antispam.services import count_refusal
    from communique.comments import services as comments
    from communique.comments.models import Comment
    from communique.publishing import services
    from communique.publishing.models import Statement
    from tests.factories import (
        CommentFactory,
        EditorFactory,
        ModeratorFactory,
        StatementFactory,
        UserFactory,
    )

    editor = EditorFactory(username="editor", email="editor@example.org")
    moderator = ModeratorFactory(username="moderator")
    trusted = UserFactory(username="trusted")
    trusted.user_permissions.add(Permission.objects.get(codename="skip_approval"))
    UserFactory(username="root", is_superuser=True, is_staff=True)

    harbour = StatementFactory(
        title="On the harbour (draft title)", slug="on-the-harbour", author=editor
    )
    harbour.title = "On the harbour"
    services.save_statement(statement=harbour, user=editor)  # keeps a revision
    # A time below the millisecond, which JSON dumps tend to cut off.
    Statement.objects.filter(pk=harbour.pk).update(
        published_at=harbour.published_at.replace(microsecond=123)
    )
    StatementFactory(
        title="بیانیه‌ی بندر",
        slug=PERSIAN_SLUG,
        language="fa",
        translation_of=harbour,
        body_source="بند نخست.\n\nبند دوم با نیم‌فاصله.",
        signature="هیئت اجرایی",
        date=dt.date(2025, 3, 2),
    )
    StatementFactory(title="Not yet", status=Statement.Status.DRAFT)

    first = CommentFactory(statement=harbour, body_source="First, on the quay.")
    reply = CommentFactory(statement=harbour, parent=first, body_source="A reply.")
    CommentFactory(statement=harbour, parent=reply, body_source="A reply to it.")
    CommentFactory(statement=harbour, user=trusted, body_source="From a member.")
    held = CommentFactory(
        statement=harbour, status=Comment.Status.PENDING, body_source="Held, then ok."
    )
    comments.approve_comments(Comment.objects.filter(pk=held.pk), moderator=moderator)
    junk = CommentFactory(statement=harbour, body_source="Cheap casino here.")
    comments.mark_spam(Comment.objects.filter(pk=junk.pk), moderator=moderator)
    CommentFactory(
        statement=harbour, status=Comment.Status.PENDING, body_source="Still waiting."
    )

    BlockedTerm.objects.create(term="casino", action=BlockedTerm.Action.SPAM)
    BlockedTerm.objects.create(term="قمار", action=BlockedTerm.Action.HOLD)
    count_refusal("captcha")
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Statement),
        object_id=str(harbour.pk),
        object_repr=str(harbour),
        action_flag=CHANGE,
        change_message="[]",
    )
    SessionStore().create()  # left out of the dump


def rows_of(dump: Path) -> tuple[dict, list[dict]]:
    """The header and the rows of a dump, many-to-many lists sorted."""
    with gzip.open(dump, "rt", encoding="utf-8") as lines:
        header = json.loads(lines.readline())
        rows = [json.loads(line) for line in lines]
    for row in rows:
        for name, value in row["fields"].items():
            if isinstance(value, list) and value and isinstance(value[0], list):
                row["fields"][name] = sorted(value)
    return header, rows


def pages_of(data_dir: Path, env: dict[str, str] | None = None) -> dict[str, bytes]:
    """The bytes of each of ``PAGES``, asked for by the same name whatever
    port the site is served on (its absolute links carry it)."""
    same_host = {"Host": "127.0.0.1"}
    with running_server(data_dir, env=env) as base:
        return {page: fetch(base + page, headers=same_host)[2] for page in PAGES}


@contextmanager
def scratch_postgres(prefix: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards."""
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL answers at {POSTGRES_URL}: {error}")
    name = f"{prefix}_{secrets.token_hex(6)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlsplit(POSTGRES_URL)._replace(path="/" + name).geturl()
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def dumped_site(tmp_path_factory) -> tuple[Path, Path, dict[str, bytes]]:
    """A SQLite site with one of everything, its dump, and its pages."""
    data_dir = tmp_path_factory.mktemp("dumped-site")
    run("migrate", data_dir=data_dir)
    run("shell", "-c", "from tests.test_backups import build_site; build_site()",
        data_dir=data_dir)  # fmt: skip
    dump = data_dir / "site.jsonl.gz"
    run("dump", str(dump), data_dir=data_dir)
    return data_dir, dump, pages_of(data_dir)


def test_the_dump_has_everything_but_what_is_transient(dumped_site):
    _, dump, _ = dumped_site
    assert dump.stat().st_mode & 0o777 == 0o600  # e-mail addresses, password hashes
    header, rows = rows_of(dump)
    assert header["format"] == "communique-dump"
    assert header["version"] == 1
    assert header["database"] == "sqlite"
    assert "0006_slug_keeps_half_spaces" in header["migrations"]["publishing"]
    kinds = {row["model"] for row in rows}
    assert {
        "accounts.user",
        "auth.group",
        "publishing.statement",
        "publishing.statementrevision",
        "comments.comment",
        "comments.moderationaction",
        "antispam.blockedterm",
        "antispam.refusal",
        "admin.logentry",
    } <= kinds
    assert not kinds & {"sessions.session", "captcha.challenge", "auth.permission"}
    assert not kinds & {"antispam.fingerprintkey", "contenttypes.contenttype"}
    assert header["counts"]["comments.comment"] == 7
    statements = [row for row in rows if row["model"] == "publishing.statement"]
    persian = next(row for row in statements if row["fields"]["language"] == "fa")
    assert persian["fields"]["slug"] == PERSIAN_SLUG
    harbour = next(
        row for row in statements if row["fields"]["slug"] == "on-the-harbour"
    )
    assert persian["fields"]["translation_of"] == harbour["pk"]


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_a_restored_site_has_the_same_rows_and_pages(dumped_site, tmp_path, target):
    _, dump, pages = dumped_site
    with scratch_postgres("restore") if target == "postgresql" else _no_url() as url:
        env = {"COMMUNIQUE_DATABASE_URL": url} if url else {}
        run("migrate", data_dir=tmp_path, env=env)
        output = run("restore", str(dump), data_dir=tmp_path, env=env)
        assert "Restored" in output
        again = tmp_path / "again.jsonl.gz"
        run("dump", str(again), data_dir=tmp_path, env=env)
        restored_pages = pages_of(tmp_path, env)
    header, rows = rows_of(dump)
    restored_header, restored_rows = rows_of(again)
    assert restored_header["database"] == target
    assert restored_header["counts"] == header["counts"]
    assert restored_rows == rows
    english, persian = pages[PAGES[3]].decode(), pages[PAGES[6]].decode()
    assert "A reply to it." in english
    assert "Held, then ok." in english
    assert "Still waiting." not in english
    assert "نیم‌فاصله" in persian
    assert "/statements/on-the-harbour/" in restored_pages[PAGES[7]].decode()
    assert "First, on the <mark>quay</mark>." in restored_pages[PAGES[8]].decode()
    assert PERSIAN_SLUG in urllib.parse.unquote(restored_pages[PAGES[9]].decode())
    for page, body in pages.items():
        assert restored_pages[page] == body, (
            page,
            _first_difference(restored_pages[page], body),
        )


def _first_difference(one: bytes, other: bytes) -> str:
    at = next(
        (i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b),
        min(len(one), len(other)),
    )
    return f"{one[at - 80 : at + 80]!r} != {other[at - 80 : at + 80]!r}"


@contextmanager
def _no_url() -> Iterator[str]:
    yield ""


def test_restore_refuses_a_site_with_content_and_a_file_that_is_no_dump(
    dumped_site, tmp_path
):
    data_dir, dump, _ = dumped_site
    refused = _communique("restore", str(dump), data_dir=data_dir)
    assert refused.returncode != 0
    assert "This site is not empty" in refused.stderr
    assert "--replace" in refused.stderr

    unmigrated = _communique("restore", str(dump), data_dir=tmp_path)
    assert "communique migrate" in unmigrated.stderr

    run("migrate", data_dir=tmp_path)
    truncated = tmp_path / "truncated.jsonl.gz"
    truncated.write_bytes(dump.read_bytes()[:-200])
    broken = _communique("restore", str(truncated), data_dir=tmp_path)
    assert "is not a complete Communiqué dump" in broken.stderr
    # Nothing of it was kept: the whole dump restores afterwards.
    assert "Restored" in run("restore", str(dump), data_dir=tmp_path)
    assert "Restored" in run("restore", "--replace", str(dump), data_dir=tmp_path)


def _communique(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "communique", *args],
        env=command_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# Pairs of rows, a statement then a comment on it, each in its own transaction,
# for as long as the process runs. A dump that read statements and comments at
# different moments would hold comments whose statement it lacks.
WRITER = """
import itertools
from communique.comments.models import Comment
from communique.publishing.models import Statement
for n in itertools.count():
    statement = Statement.objects.create(
        title=f"Written meanwhile {n}", slug=f"meanwhile-{n}", body_source="x",
        status="published")
    Comment.objects.create(statement=statement, author_name="w", body_source="x")
"""
# Enough rows that reading them takes a while.
BULK = """
from communique.comments.models import Comment
from communique.publishing.models import Statement
statement = Statement.objects.create(title="Bulk", slug="bulk", body_source="x")
Comment.objects.bulk_create(
    Comment(statement=statement, author_name="b", body_source="x " * 200)
    for _ in range(4000)
)
"""


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_dump_taken_while_another_process_writes_is_consistent(tmp_path, database):
    with scratch_postgres("dump") if database == "postgresql" else _no_url() as url:
        env = {"COMMUNIQUE_DATABASE_URL": url} if url else {}
        run("migrate", data_dir=tmp_path, env=env)
        run("shell", "-c", BULK, data_dir=tmp_path, env=env)
        writer = subprocess.Popen(
            [sys.executable, "-m", "communique", "shell", "-c", WRITER],
            env=command_env(tmp_path, env),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(2)  # Django started, writing
            assert writer.poll() is None
            dumps = []
            for number in range(3):
                dumps.append(tmp_path / f"dump{number}.jsonl.gz")
                run("dump", str(dumps[-1]), data_dir=tmp_path, env=env)
        finally:
            writer.terminate()
            writer.wait(timeout=15)
    statement_counts = set()
    for dump in dumps:
        header, rows = rows_of(dump)
        statements = {
            row["pk"] for row in rows if row["model"] == "publishing.statement"
        }
        comments = [row for row in rows if row["model"] == "comments.comment"]
        assert {row["fields"]["statement"] for row in comments} <= statements
        assert header["counts"]["comments.comment"] == len(comments)
        statement_counts.add(len(statements))
    assert len(statement_counts) == 3, "the writer wrote nothing between the dumps"
