"""`communique import-disqus`: comments from a Disqus export onto statements here."""

import gzip
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from communique.comments.models import Comment
from communique.imports.models import ImportedItem, OldAddress
from communique.publishing.models import Statement
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "disqus"
EXPORT = FIXTURES / "export.xml"


@pytest.fixture
def statements():
    """The statements the export's threads name, as earlier imports left them."""
    river = StatementFactory(slug="river-plan", title="The river plan")
    OldAddress.objects.create(
        address="/2021/05/the-river-plan", statement=river, source="wordpress"
    )
    return {
        "wages": StatementFactory(slug="on-wages", title="On wages & hours"),
        "river": river,
        "water": StatementFactory(slug="بیانیه-آب", language="fa", title="آب"),
        "housing": StatementFactory(slug="housing-now", title="Housing now"),
    }


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_disqus", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot():
    return sorted(
        Comment.objects.values_list(
            "id",
            "statement_id",
            "parent_id",
            "path",
            "status",
            "author_name",
            "email",
            "body_source",
            "created",
            "fingerprint",
        )
    )


def test_comments_land_on_the_statements_their_threads_name(statements):
    run(str(EXPORT), "--site-url", "http://old.example.org")

    by_author = {c.author_name: c for c in Comment.objects.all()}
    assert by_author["First Reader"].statement == statements["wages"]
    assert by_author["reader"].statement == statements["river"]  # via OldAddress
    assert by_author["بابک"].statement == statements["water"]  # Persian address
    assert by_author["Tenant"].statement == statements["housing"]  # by its slug
    assert "Lost" not in by_author  # t5 matches nothing
    assert "Developer" not in by_author  # t6 is on another host
    assert "Nowhere" not in by_author  # its thread is not in the file


def test_threads_are_kept_whatever_the_order_of_the_file(statements):
    run(str(EXPORT))

    first = Comment.objects.get(author_name="First Reader")
    second = Comment.objects.get(author_name="Second Reader")
    third = Comment.objects.get(author_name="Third Reader")
    assert second.parent == first
    assert third.path.startswith(second.path)
    assert third.parent in (second, first)  # replies nest as deep as the site allows
    persian_reply = Comment.objects.get(author_name="سارا")
    assert persian_reply.parent == Comment.objects.get(author_name="بابک")


def test_statuses_text_and_private_data(statements):
    run(str(EXPORT))

    comments = {c.author_name: c for c in Comment.objects.all()}
    assert comments["Best Deals"].status == Comment.Status.SPAM
    assert comments["Gone Reader"].status == Comment.Status.DELETED
    assert comments["First Reader"].status == Comment.Status.PUBLISHED
    first = comments["First Reader"]
    assert "Shorter hours & fair pay, at last 🎉" in first.body_source
    assert "<not a tag>" in first.body_source
    assert "<b>" not in first.body_source
    assert first.email == "first@example.net"
    assert first.created.isoformat() == "2021-02-01T10:00:00+00:00"
    assert first.fingerprint and "203.0.113" not in first.fingerprint
    guest = comments["Guest & friend"]
    assert guest.email == "" and guest.body_source.startswith(
        'Plain text, no e-mail, "quoted" &'
    )
    assert comments["dateless"].created == statements["wages"].published_at
    assert "\u200f" in comments["reader"].body_source
    assert not Comment.objects.filter(author_name="Empty").exists()


def test_pending_holds_every_comment_neither_spam_nor_deleted(statements):
    run(str(EXPORT), "--pending")

    statuses = set(Comment.objects.values_list("status", flat=True))
    assert statuses == {
        Comment.Status.PENDING,
        Comment.Status.SPAM,
        Comment.Status.DELETED,
    }


def test_the_report_names_each_problem_by_item(statements):
    out, err = run(str(EXPORT), "--site-url", "old.example.org")

    assert "created: comment 101: First Reader, published" in out
    assert "skipped: comment 501: its thread t5 matches no statement" in out
    assert "skipped: comment 109: no text" in out
    assert "problem: thread t5:" in err and "a-page-never-imported" in err
    assert "problem: thread t6: http://localhost:4000/" in err
    assert "problem: thread t999: not in the file" in err
    assert "problem: comment 107: no readable date" in err
    assert "problem: comment 108: unknown value 'maybe' of isSpam" in err
    assert "problem: comment 110: the comment it replies to (9999)" in err
    assert "Created 13, updated 0, skipped 4; 0 unchanged;" in out


def test_importing_twice_changes_nothing(statements):
    run(str(EXPORT))
    before = snapshot()

    out, _ = run(str(EXPORT))

    assert snapshot() == before
    assert "Created 0, updated 0" in out
    assert "unchanged: comment 101: First Reader" in out
    assert "created:" not in out


def test_a_dry_run_saves_nothing_and_says_what_it_would_do(statements):
    out, _ = run(str(EXPORT), "--dry-run")

    assert not Comment.objects.exists()
    assert not ImportedItem.objects.exists()
    assert not OldAddress.objects.filter(source="disqus").exists()
    assert "would create: comment 101: First Reader, published" in out
    assert "Dry run, nothing was saved. Would create 14," in out


def test_a_thread_found_by_its_slug_keeps_its_old_address(client, statements):
    run(str(EXPORT))

    response = client.get("/blog/housing-now.html")

    assert response.status_code == 301
    assert response["Location"] == statements["housing"].get_absolute_url()


def test_a_comment_deleted_here_is_not_brought_back(statements):
    run(str(EXPORT))
    Comment.objects.filter(author_name="First Reader").delete()
    total = Comment.objects.count()

    out, _ = run(str(EXPORT))

    assert Comment.objects.count() == total
    assert "skipped: comment 101: deleted here" in out


def test_no_statement_is_ever_created(statements):
    run(str(EXPORT))

    assert Statement.objects.count() == 4


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("entities.xml", None, "declares entities"),
        ("external.xml", None, "declares entities"),
        ("broken.xml", "<disqus xmlns='http://disqus.com'><post>", "not well-formed"),
        ("empty.xml", "", "not well-formed"),
        ("rss.xml", "<rss><channel/></rss>", "not a Disqus export"),
    ],
)
def test_a_file_that_is_no_disqus_export_is_refused_clearly(
    tmp_path, name, content, message
):
    path = FIXTURES / name
    if content is not None:
        path = tmp_path / name
        path.write_text(content)

    with pytest.raises(CommandError, match=message):
        run(str(path))
    assert not Comment.objects.exists()


def test_the_export_as_disqus_mails_it_gzipped_is_read(tmp_path, statements):
    packed = tmp_path / "example-2026-12-03T10:00:00-all.xml.gz"
    packed.write_bytes(gzip.compress(EXPORT.read_bytes()))

    out, _ = run(str(packed))

    assert "Created 14," in out


def test_a_damaged_gzip_file_is_refused_clearly(tmp_path):
    packed = tmp_path / "export.xml.gz"
    packed.write_bytes(gzip.compress(EXPORT.read_bytes())[:200])

    with pytest.raises(CommandError, match="cannot be"):
        run(str(packed))


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="No such file"):
        run("/nonexistent/export.xml")
