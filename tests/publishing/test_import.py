import datetime as dt
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.utils import timezone

from communique.publishing.importer import (
    StatementFileError,
    find_statement_files,
    import_statement_file,
)
from communique.publishing.models import Statement, StatementRevision

pytestmark = pytest.mark.django_db

FULL = """\
---
title: "A Statement on Testing"
signature: "The Board of the Example Association"
date: 2024-05-01
language: en
slug: on-testing
status: published
format: markdown
comments: closed
---

The first paragraph, with *emphasis*.

The second paragraph.
"""

MINIMAL = """\
---
title: "Minimal Statement, With Punctuation!"
date: 2023-02-03
---

Only a body.
"""


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def statement_file(title="Same", slug="same", language="en", body="Body."):
    return (
        f"---\ntitle: {title}\nslug: {slug}\nlanguage: {language}\n"
        f"date: 2024-05-01\n---\n\n{body}\n"
    )


def paragraphs(html):
    return BeautifulSoup(html, "html.parser").find_all("p")


def test_full_file_creates_published_statement(tmp_path):
    outcome = import_statement_file(write(tmp_path, "full.md", FULL))
    statement = Statement.objects.get()
    assert outcome.created
    assert outcome.statement == statement
    assert statement.title == "A Statement on Testing"
    assert statement.signature == "The Board of the Example Association"
    assert statement.date == dt.date(2024, 5, 1)
    assert statement.language == "en"
    assert statement.slug == "on-testing"
    assert statement.status == Statement.Status.PUBLISHED
    assert statement.commenting == Statement.Commenting.CLOSED
    assert statement.is_public


def test_full_file_body_is_rendered_as_paragraphs(tmp_path):
    import_statement_file(write(tmp_path, "full.md", FULL))
    statement = Statement.objects.get()
    found = paragraphs(statement.body_html)
    assert [p.get_text() for p in found] == [
        "The first paragraph, with emphasis.",
        "The second paragraph.",
    ]
    assert "<em>emphasis</em>" in statement.body_html
    assert statement.body_source.startswith("The first paragraph")


def test_missing_optional_fields_get_defaults(tmp_path):
    import_statement_file(write(tmp_path, "minimal.md", MINIMAL))
    statement = Statement.objects.get()
    assert statement.slug == "minimal-statement-with-punctuation"
    assert statement.language == "en"
    assert statement.status == Statement.Status.PUBLISHED
    assert statement.signature == ""
    assert statement.body_format == "markdown"
    assert statement.commenting == Statement.Commenting.OPEN
    assert statement.published_at == timezone.make_aware(dt.datetime(2023, 2, 3))


def test_missing_date_is_today(tmp_path):
    text = "---\ntitle: Undated\n---\n\nBody.\n"
    import_statement_file(write(tmp_path, "undated.md", text))
    assert Statement.objects.get().date == timezone.localdate()


def test_draft_has_no_publication_time(tmp_path):
    text = "---\ntitle: Draft\nstatus: draft\ndate: 2024-05-01\n---\n\nBody.\n"
    import_statement_file(write(tmp_path, "draft.md", text))
    statement = Statement.objects.get()
    assert statement.status == Statement.Status.DRAFT
    assert statement.published_at is None


def test_explicit_published_at(tmp_path):
    text = (
        "---\ntitle: Timed\ndate: 2024-05-01\npublished_at: 2024-05-02 09:30\n"
        "---\n\nBody.\n"
    )
    import_statement_file(write(tmp_path, "timed.md", text))
    assert Statement.objects.get().published_at == timezone.make_aware(
        dt.datetime(2024, 5, 2, 9, 30)
    )


def test_importing_twice_updates(tmp_path):
    path = write(tmp_path, "full.md", FULL)
    import_statement_file(path)
    outcome = import_statement_file(path)
    assert not outcome.created
    assert Statement.objects.count() == 1
    assert outcome.statement.pk == Statement.objects.get().pk


def test_importing_same_text_twice_keeps_no_revision(tmp_path):
    path = write(tmp_path, "full.md", FULL)
    import_statement_file(path)
    import_statement_file(path)
    assert StatementRevision.objects.count() == 0


def test_changed_body_keeps_revision_of_old_body(tmp_path):
    path = write(tmp_path, "same.md", statement_file(body="Old words."))
    import_statement_file(path)
    write(tmp_path, "same.md", statement_file(body="New words."))
    import_statement_file(path)
    statement = Statement.objects.get()
    revision = StatementRevision.objects.get()
    assert revision.statement == statement
    assert revision.body_source == "Old words."
    assert statement.body_source == "New words."
    assert "New words." in statement.body_html


def test_reimport_keeps_original_publication_time(tmp_path):
    path = write(tmp_path, "same.md", statement_file(body="Old words."))
    first = import_statement_file(path).statement.published_at
    write(tmp_path, "same.md", statement_file(body="New words."))
    import_statement_file(path)
    assert Statement.objects.get().published_at == first


def test_same_slug_in_two_languages_gives_two_statements(tmp_path):
    import_statement_file(write(tmp_path, "en.md", statement_file(language="en")))
    import_statement_file(write(tmp_path, "fa.md", statement_file(language="fa")))
    assert Statement.objects.count() == 2
    assert set(Statement.objects.values_list("language", "slug")) == {
        ("en", "same"),
        ("fa", "same"),
    }


def test_folder_imports_every_markdown_file_recursively(tmp_path):
    write(tmp_path, "one.md", statement_file(title="One", slug="one"))
    write(tmp_path, "nested/two.md", statement_file(title="Two", slug="two"))
    write(tmp_path, "nested/deeper/three.md", statement_file(slug="three"))
    write(tmp_path, "notes.txt", statement_file(slug="txt"))
    write(tmp_path, "one.md.bak", statement_file(slug="bak"))
    (tmp_path / "folder.md").mkdir()
    call_command("import", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    assert set(Statement.objects.values_list("slug", flat=True)) == {
        "one",
        "two",
        "three",
    }


def test_find_statement_files_lists_markdown_only(tmp_path):
    one = write(tmp_path, "a.md", "x")
    two = write(tmp_path, "sub/b.markdown", "x")
    write(tmp_path, "c.txt", "x")
    assert list(find_statement_files([tmp_path])) == [one, two]


BAD_FILES = [
    pytest.param("Just text, no front matter.\n", "front matter", id="no-front"),
    pytest.param("---\ntitle: T\n\nBody.\n", "front matter", id="unclosed"),
    pytest.param("---\ntitle: [oops\n---\n\nBody.\n", "front matter", id="yaml"),
    pytest.param("---\n- title\n- T\n---\n\nBody.\n", "front matter", id="list"),
    pytest.param("---\ntitel: T\n---\n\nBody.\n", "titel", id="unknown-field"),
    pytest.param("---\ndate: 2024-05-01\n---\n\nBody.\n", "title", id="no-title"),
    pytest.param("---\ntitle: T\n---\n\n  \n\n", "body", id="empty-body"),
    pytest.param("---\ntitle: T\ndate: 22/01/2022\n---\n\nB.\n", "date", id="date"),
    pytest.param("---\ntitle: T\nstatus: live\n---\n\nB.\n", "status", id="status"),
    pytest.param(
        "---\ntitle: T\nlanguage: xx-nonsense\n---\n\nB.\n", "language", id="lang"
    ),
    pytest.param("---\ntitle: T\nformat: word\n---\n\nB.\n", "format", id="format"),
    pytest.param('---\ntitle: T\nslug: "a b"\n---\n\nB.\n', "slug", id="slug"),
    pytest.param(b"\xff\xfe---", "file", id="not-utf8"),
    pytest.param(f"---\ntitle: {'t' * 201}\n---\n\nB.\n", "title", id="long-title"),
]


@pytest.mark.parametrize(("text", "field"), BAD_FILES)
def test_bad_file_is_rejected(text, field, tmp_path):
    path = write(tmp_path, "broken-statement.md", text)
    with pytest.raises(StatementFileError) as excinfo:
        import_statement_file(path)
    assert excinfo.value.field == field
    assert "broken-statement.md" in str(excinfo.value)
    assert Statement.objects.count() == 0
    assert StatementRevision.objects.count() == 0


def test_bad_reimport_leaves_statement_unchanged(tmp_path):
    path = write(tmp_path, "same.md", statement_file(body="Old words."))
    import_statement_file(path)
    text = statement_file(body="New words.").replace("---\n\n", "status: live\n---\n\n")
    write(tmp_path, "same.md", text)
    with pytest.raises(StatementFileError):
        import_statement_file(path)
    statement = Statement.objects.get()
    assert statement.body_source == "Old words."
    assert statement.status == Statement.Status.PUBLISHED
    assert StatementRevision.objects.count() == 0


def test_command_reports_created(tmp_path):
    out = StringIO()
    call_command("import", str(write(tmp_path, "full.md", FULL)), stdout=out)
    assert "created:" in out.getvalue()
    assert Statement.objects.count() == 1


def test_command_reports_updated(tmp_path):
    path = str(write(tmp_path, "full.md", FULL))
    call_command("import", path, stdout=StringIO())
    out = StringIO()
    call_command("import", path, stdout=out)
    assert "updated:" in out.getvalue()


def test_command_imports_good_files_and_names_bad_ones(tmp_path):
    write(tmp_path, "good.md", statement_file(slug="good"))
    write(tmp_path, "bad.md", "---\ntitle: T\nstatus: live\n---\n\nB.\n")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(tmp_path), stdout=out, stderr=err)
    assert "bad.md" in err.getvalue()
    assert "status" in err.getvalue()
    assert "good.md" not in err.getvalue()
    assert "created:" in out.getvalue()
    assert list(Statement.objects.values_list("slug", flat=True)) == ["good"]


def test_command_missing_path(tmp_path):
    missing = tmp_path / "nowhere.md"
    with pytest.raises(CommandError) as excinfo:
        call_command("import", str(missing), stdout=StringIO(), stderr=StringIO())
    assert "nowhere.md" in str(excinfo.value)


def test_command_empty_folder(tmp_path):
    with pytest.raises(CommandError):
        call_command("import", str(tmp_path), stdout=StringIO(), stderr=StringIO())


def test_reference_seed(seed_statement_file):
    import_statement_file(seed_statement_file)
    statement = Statement.objects.get()
    assert len(paragraphs(statement.body_html)) == 6
    assert statement.signature.startswith("Political-Executive Board")
    assert statement.date == dt.date(2022, 1, 22)
    assert statement.slug == "on-raisis-trip-to-russia"
    assert statement.language == "en"
    assert statement.status == Statement.Status.PUBLISHED
